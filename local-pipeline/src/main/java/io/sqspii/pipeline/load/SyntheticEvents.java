package io.sqspii.pipeline.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.dataset.Canonical;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.SchemaNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Synthetic events of any dataset, made from its compiled event schema: every required property, optional ones
 * most of the time, nulls where nullable, enum members, values of each format, strings within maxLength, arrays
 * within maxItems, nesting to any depth. PII values come from a small pool per property, so a deterministic column
 * has duplicates to find. A share of the bodies is malformed in the ways real queues carry (truncated, not JSON,
 * a wrong type or a missing required value somewhere in the tree, another event shape); the rest conform. Seeded:
 * the same arguments give the same bodies.
 */
public final class SyntheticEvents {

  /** What a body is: a conforming event or one way of being malformed. */
  public enum Kind { VALID, TRUNCATED, NOT_JSON, WRONG_TYPE, MISSING_REQUIRED, OTHER_SHAPE }

  /** A body and what it is. */
  public record Generated(Kind kind, String body) {
    public boolean valid() {
      return kind == Kind.VALID;
    }
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Kind[] MALFORMED = {Kind.TRUNCATED, Kind.NOT_JSON, Kind.WRONG_TYPE, Kind.MISSING_REQUIRED,
      Kind.OTHER_SHAPE};

  private final SchemaNode root;
  private final Random rnd;
  private final int pool;

  private SyntheticEvents(SchemaNode root, long seed, int count) {
    this.root = root;
    this.rnd = new Random(seed);
    this.pool = Math.max(4, count / 4);
  }

  public static List<String> generate(Definition definition, long seed, int count, double malformedShare) {
    return generateLabelled(definition, seed, count, malformedShare).stream().map(Generated::body).toList();
  }

  public static List<Generated> generateLabelled(Definition definition, long seed, int count, double malformedShare) {
    if (count < 0 || !(malformedShare >= 0 && malformedShare <= 1)) {
      throw new IllegalArgumentException("count must be >= 0 and the malformed share between 0 and 1");
    }
    SyntheticEvents g = new SyntheticEvents(definition.event(), seed, count);
    BitSet malformed = new BitSet(count);
    int k = (int) Math.round(count * malformedShare);
    while (malformed.cardinality() < k) {
      malformed.set(g.rnd.nextInt(count));
    }
    List<Generated> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ObjectNode event = (ObjectNode) g.value(definition.event());
      if (!malformed.get(i)) {
        out.add(new Generated(Kind.VALID, Json.write(event)));
      } else {
        Kind kind = MALFORMED[g.rnd.nextInt(MALFORMED.length)];
        out.add(new Generated(kind, g.malformed(kind, event)));
      }
    }
    return out;
  }

  private JsonNode value(SchemaNode n) {
    return switch (n.kind()) {
      case OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (SchemaNode.Property p : n.properties()) {
          if (p.required() || rnd.nextInt(10) < 7) {
            o.set(p.name(), p.node().nullable() && rnd.nextInt(8) == 0 ? NODES.nullNode() : value(p.node()));
          }
        }
        yield o;
      }
      case ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        int max = n.maxItems() < 0 ? 4 : Math.min(4, n.maxItems());
        for (int i = rnd.nextInt(max + 1); i > 0; i--) {
          a.add(n.items().nullable() && rnd.nextInt(8) == 0 ? NODES.nullNode() : value(n.items()));
        }
        yield a;
      }
      case INTEGER -> n.enumeration() != null ? member(n) : NODES.numberNode(rnd.nextInt(1000));
      case NUMBER -> NODES.numberNode(Math.round(rnd.nextDouble() * 100_000) / 100.0);
      case BOOLEAN -> NODES.booleanNode(rnd.nextBoolean());
      case STRING -> n.enumeration() != null ? member(n) : NODES.textNode(text(n));
    };
  }

  private JsonNode member(SchemaNode n) {
    List<JsonNode> members = new ArrayList<>();
    n.enumeration().strings().stream().sorted().forEach(s -> members.add(NODES.textNode(s)));
    n.enumeration().integers().stream().sorted().forEach(i -> members.add(NODES.numberNode(i)));
    return members.isEmpty() ? NODES.nullNode() : members.get(rnd.nextInt(members.size()));
  }

  /** A string of the node's format or PII canonical form; PII from a pool, so equal values recur. */
  private String text(SchemaNode n) {
    int pick = n.pii() != null ? rnd.nextInt(pool) : rnd.nextInt(1 << 20);
    Canonical canonical = n.pii() == null ? Canonical.NONE : n.pii().canonical();
    String s;
    if ("date-time".equals(n.format())) {
      s = Instant.ofEpochSecond(1_764_000_000L + rnd.nextInt(10_000_000)).toString();
    } else if ("date".equals(n.format())) {
      s = LocalDate.ofEpochDay(20_000 + rnd.nextInt(800)).toString();
    } else if ("uuid".equals(n.format())) {
      s = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
    } else if ("email".equals(n.format()) || canonical == Canonical.EMAIL) {
      s = (rnd.nextBoolean() ? "User" : "user") + pick + "@Example" + (pick % 7) + ".org";
    } else if ("ipv4".equals(n.format()) || canonical == Canonical.IP) {
      s = "10." + (pick >> 16 & 255) + "." + (pick >> 8 & 255) + "." + (pick & 255);
    } else if ("ipv6".equals(n.format())) {
      s = "2001:db8::" + Integer.toHexString(pick & 0xffff);
    } else if (canonical == Canonical.PHONE) {
      s = "+1 202 555 " + String.format(java.util.Locale.ROOT, "%04d", pick % 10_000);
    } else {
      s = "v" + pick;
    }
    return n.maxLength() >= 0 && s.length() > n.maxLength() ? s.substring(0, n.maxLength()) : s;
  }

  private String malformed(Kind kind, ObjectNode event) {
    return switch (kind) {
      case TRUNCATED -> {
        String text = Json.write(event);
        yield text.substring(0, 1 + rnd.nextInt(text.length() - 1));
      }
      case NOT_JSON -> "event=" + event.size() + "&format=form";
      case OTHER_SHAPE -> "{\"foo\":\"oops_wrong_msg_format\"}";
      case WRONG_TYPE -> {
        ObjectNode target = deepObject(event);
        String name = target.fieldNames().hasNext() ? target.fieldNames().next() : null;
        if (name == null) {
          yield "[]";
        }
        // an object where the schema has a leaf, or a number where it has an object or a string
        target.set(name, target.get(name).isValueNode() && !target.get(name).isNumber() ? NODES.numberNode(7)
            : NODES.objectNode().put("x", 1));
        yield Json.write(event);
      }
      case MISSING_REQUIRED -> {
        String required = root.properties().stream().filter(SchemaNode.Property::required)
            .map(SchemaNode.Property::name).findFirst().orElse(null);
        if (required == null) {
          yield "\"not an object\"";
        }
        event.remove(required);
        yield Json.write(event);
      }
      case VALID -> throw new IllegalArgumentException("not a malformed kind");
    };
  }

  /** A nested object of the event if there is one with fields, else the event itself. */
  private ObjectNode deepObject(ObjectNode event) {
    ObjectNode at = event;
    for (JsonNode child : event) {
      if (child.isObject() && child.size() > 0) {
        at = (ObjectNode) child;
        break;
      }
    }
    return at;
  }
}
