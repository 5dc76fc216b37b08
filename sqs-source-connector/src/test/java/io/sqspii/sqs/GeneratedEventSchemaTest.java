package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.dataset.SchemaNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Random schemas of the subset, random events: a conforming event always becomes a valid Struct; the same event
 * with one value broken is always a schema_mismatch naming exactly that value's pointer; random JSON never makes
 * the converter throw.
 */
class GeneratedEventSchemaTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FORMATS = {null, null, null, "date-time", "date", "uuid", "email", "ipv4", "ipv6"};
    private static final String[] TYPES = {"object", "array", "string", "string", "integer", "number", "boolean"};

    @Test
    void conformingEventsBecomeStructsAndOneBrokenValueIsRejectedAtItsPointer() throws Exception {
        int broken = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random r = new Random(seed);
            ObjectNode schemaJson = object(r, 0);
            JsonValueSchema schema = JsonValueSchema.compile(JSON.writeValueAsString(schemaJson), "message_id");
            BodyConverter c = new BodyConverter(schema, 1 << 20, 32);
            for (int n = 0; n < 5; n++) {
                JsonNode event = value(r, schema.root());
                BodyConverter.Outcome o = c.convert(JSON.writeValueAsString(event));
                assertThat(o.rejection()).as("seed %d: %s", seed, event).isNull();
                Struct v = (Struct) o.value();
                v.put("message_id", "m");
                v.validate();

                Breakage b = breakOne(r, schema.root(), event, "");
                if (b != null) {
                    BodyConverter.Outcome bad = c.convert(JSON.writeValueAsString(b.event));
                    assertThat(bad.rejection())
                            .as("seed %d: %s broken at %s", seed, b.event, b.pointer)
                            .isNotNull();
                    assertThat(bad.rejection().reason()).isEqualTo(BodyConverter.R_SCHEMA);
                    assertThat(bad.rejection().message())
                            .as("seed %d", seed)
                            .startsWith(b.pointer + ": ")
                            .doesNotContain("QQsecret");
                    broken++;
                }
            }
        }
        assertThat(broken).isGreaterThan(500);
    }

    @Test
    void randomJsonNeverMakesTheConverterThrow() throws Exception {
        for (int seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            JsonValueSchema schema = JsonValueSchema.compile(JSON.writeValueAsString(object(r, 0)));
            BodyConverter c = new BodyConverter(schema, 1 << 20, 32);
            for (int n = 0; n < 20; n++) {
                BodyConverter.Outcome o = c.convert(JSON.writeValueAsString(junk(r, 0)));
                assertThat(o.valid() || o.rejection().message() != null).isTrue();
            }
        }
    }

    // --- random schemas of the subset ---

    private static ObjectNode object(Random r, int depth) {
        ObjectNode o = F.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        ArrayNode required = F.arrayNode();
        int count = 1 + r.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = "p" + i;
            props.set(name, node(r, depth + 1));
            if (r.nextBoolean()) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            o.set("required", required);
        }
        if (r.nextInt(3) > 0) {
            o.put("additionalProperties", r.nextBoolean());
        }
        return o;
    }

    private static ObjectNode node(Random r, int depth) {
        String type = TYPES[r.nextInt(depth >= 3 ? TYPES.length - 2 : TYPES.length) + (depth >= 3 ? 2 : 0)];
        ObjectNode n = switch (type) {
            case "object" -> object(r, depth);
            case "array" -> {
                ObjectNode a = F.objectNode().put("type", "array");
                a.set("items", node(r, depth + 1));
                if (r.nextBoolean()) {
                    a.put("maxItems", r.nextInt(4));
                }
                if (r.nextInt(3) == 0) {
                    a.put(
                            "minItems",
                            r.nextInt(a.has("maxItems") ? a.get("maxItems").asInt() + 1 : 3));
                }
                yield a;
            }
            case "string" -> {
                ObjectNode s = F.objectNode().put("type", "string");
                String format = FORMATS[r.nextInt(FORMATS.length)];
                if (format != null) {
                    s.put("format", format);
                } else if (r.nextInt(3) == 0) {
                    ArrayNode e = s.putArray("enum");
                    for (int i = 0; i <= r.nextInt(3); i++) {
                        e.add("v" + i + "\u00e9\uD83D\uDE00");
                    }
                } else {
                    if (r.nextBoolean()) {
                        s.put("maxLength", r.nextInt(6));
                    }
                    if (r.nextInt(3) == 0) {
                        s.put(
                                "minLength",
                                r.nextInt(
                                        s.has("maxLength") ? s.get("maxLength").asInt() + 1 : 4));
                    }
                }
                yield s;
            }
            case "integer" -> {
                ObjectNode i = F.objectNode().put("type", "integer");
                if (r.nextInt(3) == 0) {
                    i.putArray("enum").add(-1).add(7).add(Long.MAX_VALUE);
                } else if (r.nextBoolean()) {
                    bounds(r, i);
                }
                yield i;
            }
            case "number" -> {
                ObjectNode x = F.objectNode().put("type", "number");
                if (r.nextBoolean()) {
                    bounds(r, x);
                }
                yield x;
            }
            default -> F.objectNode().put("type", type);
        };
        if (r.nextInt(3) == 0) {
            n.set("type", F.arrayNode().add(n.get("type").asText()).add("null"));
            if (n.has("enum")) {
                ((ArrayNode) n.get("enum")).addNull();
            }
        }
        if (r.nextInt(4) == 0) {
            n.put("description", "d").put("$comment", "c");
        }
        return n;
    }

    /** Bounds around the integers lo..hi (never empty), inclusive, exclusive or fractional, some past 2^53. */
    private static void bounds(Random r, ObjectNode n) {
        long lo = r.nextInt(2001) - 1000 + (r.nextInt(6) == 0 ? 9007199254740000L : 0);
        long hi = lo + r.nextInt(100);
        switch (r.nextInt(4)) {
            case 0 -> n.put("minimum", lo);
            case 1 -> n.put("exclusiveMinimum", lo - 1);
            case 2 -> n.put("minimum", lo - 0.5);
            default -> {}
        }
        switch (r.nextInt(4)) {
            case 0 -> n.put("maximum", hi);
            case 1 -> n.put("exclusiveMaximum", hi + 1);
            case 2 -> n.put("exclusiveMaximum", hi + 0.25);
            default -> {}
        }
    }

    // --- random conforming events, from the compiled tree ---

    private static JsonNode value(Random r, SchemaNode n) {
        if (n.nullable() && r.nextInt(4) == 0) {
            return F.nullNode();
        }
        if (n.enumeration() != null) {
            List<JsonNode> members = new ArrayList<>();
            n.enumeration().strings().forEach(s -> members.add(F.textNode(s)));
            n.enumeration().integers().forEach(i -> members.add(F.numberNode(i)));
            return members.get(r.nextInt(members.size()));
        }
        return switch (n.kind()) {
            case OBJECT -> {
                ObjectNode o = F.objectNode();
                for (SchemaNode.Property p : n.properties()) {
                    if (p.required() || r.nextBoolean()) {
                        o.set(p.name(), value(r, p.node()));
                    }
                }
                if (n.additionalProperties() && r.nextBoolean()) {
                    o.put("QQsecret_extra", "QQsecret");
                }
                yield o;
            }
            case ARRAY -> {
                ArrayNode a = F.arrayNode();
                int min = Math.max(0, n.minItems());
                int size = min + r.nextInt(n.maxItems() >= 0 ? n.maxItems() + 1 - min : 4);
                for (int i = 0; i < size; i++) {
                    a.add(value(r, n.items()));
                }
                yield a;
            }
            case STRING -> F.textNode(text(r, n));
            case INTEGER -> n.range() != null ? F.numberNode(within(r, n.range())) : F.numberNode(r.nextLong());
            case NUMBER ->
                n.range() != null
                        ? fraction(r, n.range(), within(r, n.range()))
                        : r.nextBoolean() ? F.numberNode(r.nextGaussian() * 1e6) : F.numberNode(r.nextInt());
            case BOOLEAN -> F.booleanNode(r.nextBoolean());
        };
    }

    /** An integer within the bounds, at an edge a third of the time. */
    private static long within(Random r, SchemaNode.Range range) {
        BigInteger low = range.lowestInteger();
        BigInteger high = range.highestInteger();
        long lo = low != null ? low.longValueExact() : high != null ? high.longValueExact() - 1000 : -1000;
        long hi = high != null ? high.longValueExact() : lo + 1000;
        return switch (r.nextInt(6)) {
            case 0 -> lo;
            case 1 -> hi;
            default -> lo + (long) (r.nextDouble() * (hi - lo + 1)) % (hi - lo + 1);
        };
    }

    /** {@code v}, or sometimes {@code v + 0.25} where that is within the bounds too. */
    private static JsonNode fraction(Random r, SchemaNode.Range range, long v) {
        if (Math.abs(v) < 1L << 50 && r.nextBoolean() && range.outside(BigDecimal.valueOf(v + 0.25)) == null) {
            return F.numberNode(v + 0.25);
        }
        return F.numberNode(v);
    }

    private static String text(Random r, SchemaNode n) {
        if (n.format() != null) {
            return switch (n.format()) {
                case "date-time" ->
                    "2026-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10) + "T0" + r.nextInt(10) + ":30:00"
                            + (r.nextBoolean() ? "Z" : ".5+05:30");
                case "date" -> (1900 + r.nextInt(200)) + "-12-3" + r.nextInt(2);
                case "uuid" ->
                    java.util
                            .UUID
                            .nameUUIDFromBytes(new byte[] {(byte) r.nextInt()})
                            .toString();
                case "email" -> "user." + r.nextInt(1000) + "@mail-" + r.nextInt(9) + ".example.com";
                case "ipv4" -> r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
                case "ipv6" ->
                    r.nextBoolean() ? "2001:db8::" + Integer.toHexString(r.nextInt(65536)) : "::ffff:10.0.0.1";
                default -> throw new IllegalStateException();
            };
        }
        int min = Math.max(0, n.minLength());
        int max = n.maxLength() >= 0 ? n.maxLength() : 8;
        StringBuilder b = new StringBuilder();
        int[] alphabet = {'a', 'Z', ' ', '"', '\\', 0xe9, 0x20ac, 0x1F600, 0xFDFA};
        for (int i = 0, len = min + r.nextInt(Math.max(max, min) - min + 1); i < len; i++) {
            b.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    // --- one broken value ---

    private record Breakage(JsonNode event, String pointer) {}

    /** {@code event} (conforming to {@code n}) with one value made wrong, and that value's pointer; null if none. */
    private static Breakage breakOne(Random r, SchemaNode n, JsonNode event, String at) {
        List<Runnable> options = new ArrayList<>();
        Breakage[] out = new Breakage[1];
        if (event.isObject()) {
            ObjectNode o = (ObjectNode) event;
            for (SchemaNode.Property p : n.properties()) {
                JsonNode child = o.get(p.name());
                String cat = at + "/" + p.name();
                if (child == null) {
                    continue;
                }
                if (p.required()) {
                    options.add(() -> out[0] = new Breakage(o.deepCopy().without(p.name()), cat));
                }
                options.add(() -> {
                    Breakage inner = breakOne(r, p.node(), child, cat);
                    if (inner != null) {
                        ObjectNode copy = o.deepCopy();
                        copy.set(p.name(), inner.event);
                        out[0] = new Breakage(copy, inner.pointer);
                    }
                });
            }
            if (!n.additionalProperties()) {
                options.add(
                        () -> out[0] = new Breakage(o.deepCopy().put("QQsecret", 1), at.isEmpty() ? "the event" : at));
            }
        } else if (event.isArray() && !event.isEmpty()) {
            int i = r.nextInt(event.size());
            options.add(() -> {
                Breakage inner = breakOne(r, n.items(), event.get(i), at + "/" + i);
                if (inner != null) {
                    ArrayNode copy = ((ArrayNode) event).deepCopy();
                    copy.set(i, inner.event);
                    out[0] = new Breakage(copy, inner.pointer);
                }
            });
        }
        if (!at.isEmpty()) {
            options.add(() -> out[0] = new Breakage(wrongType(n), at));
            if (n.maxItems() >= 0 && event.isArray()) {
                options.add(() -> {
                    ArrayNode longer = F.arrayNode();
                    for (int i = 0; i <= n.maxItems(); i++) {
                        longer.add(value(new Random(i), n.items()));
                    }
                    out[0] = new Breakage(longer, at);
                });
            }
            if (n.kind() == SchemaNode.Kind.STRING && n.format() != null) {
                options.add(() -> out[0] = new Breakage(F.textNode("QQsecret not a " + n.format()), at));
            }
            if (n.enumeration() != null) {
                options.add(() -> out[0] = new Breakage(
                        n.kind() == SchemaNode.Kind.STRING ? F.textNode("QQsecret") : F.numberNode(123456789), at));
            }
            if (n.maxLength() >= 0) {
                options.add(() ->
                        out[0] = new Breakage(F.textNode("QQsecret".repeat(2).substring(0, n.maxLength() + 1)), at));
            }
            if (n.minLength() > 0 && n.enumeration() == null) {
                options.add(() -> out[0] = new Breakage(F.textNode("QQsecret".substring(0, n.minLength() - 1)), at));
            }
            if (n.minItems() > 0 && event.isArray()) {
                options.add(() -> {
                    ArrayNode shorter = F.arrayNode();
                    for (int i = 0; i < n.minItems() - 1; i++) {
                        shorter.add(value(new Random(i), n.items()));
                    }
                    out[0] = new Breakage(shorter, at);
                });
            }
            if (n.range() != null && n.range().lowestInteger() != null) {
                options.add(() -> out[0] =
                        new Breakage(F.numberNode(n.range().lowestInteger().subtract(BigInteger.ONE)), at));
            }
            if (n.range() != null && n.range().highestInteger() != null) {
                options.add(() -> out[0] =
                        new Breakage(F.numberNode(n.range().highestInteger().add(BigInteger.ONE)), at));
            }
            if (!n.nullable()) {
                options.add(() -> out[0] = new Breakage(F.nullNode(), at));
            }
        }
        if (options.isEmpty()) {
            return null;
        }
        options.get(r.nextInt(options.size())).run();
        return out[0];
    }

    private static JsonNode wrongType(SchemaNode n) {
        return switch (n.kind()) {
            case OBJECT -> F.arrayNode().add("QQsecret");
            case ARRAY -> F.objectNode().put("QQsecret", 1);
            case STRING -> F.numberNode(42);
            case INTEGER -> F.numberNode(1.5);
            case NUMBER, BOOLEAN -> F.textNode("QQsecret");
        };
    }

    private static JsonNode junk(Random r, int depth) {
        return switch (depth > 3 ? r.nextInt(4) : r.nextInt(6)) {
            case 0 -> F.textNode("QQsecret" + r.nextInt());
            case 1 -> r.nextBoolean() ? F.numberNode(r.nextLong()) : F.numberNode(r.nextDouble());
            case 2 -> F.booleanNode(r.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> {
                ArrayNode a = F.arrayNode();
                for (int i = 0; i < r.nextInt(4); i++) {
                    a.add(junk(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = 0; i < r.nextInt(5); i++) {
                    o.set("p" + r.nextInt(5), junk(r, depth + 1));
                }
                yield o;
            }
        };
    }
}
