package io.sqspii.pipeline.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.dataset.Canonical;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.PiiMode;
import io.sqspii.dataset.SchemaNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Synthetic events of any dataset, made from its compiled event schema alone: every required property, optional
 * ones most of the time, nulls where nullable, enum members, values of each format, numbers within their bounds
 * (minimum, maximum, exclusive ones), strings and arrays within their minLength/maxLength and minItems/maxItems,
 * nesting to any depth. A leaf the schema marks as deterministic PII draws from a pool
 * much smaller than the count, a few members far more often than the rest (as a few users are far more active),
 * so its column has duplicates to group and join; the value only depends on the pool index and the canonical form,
 * so two leaves of one key domain (and two datasets) share values. Randomized PII and clear values are fresh.
 *
 * <p>A share of the bodies is malformed, placed at random positions, cycling through the {@link Kind}s the schema
 * allows; each must be rejected by the source connector's input contract. Seeded: the same arguments give the
 * same bodies.
 */
public final class SyntheticEvents {

    /** What a body is: a conforming event or one way of being malformed. */
    public enum Kind {
        VALID,
        /** An event cut short, as by a producer that crashed mid-write. */
        TRUNCATED,
        /** Form-encoded, XML or a Python dict's repr of the event: not JSON at all. */
        NOT_JSON,
        /** The event wrapped in a top-level array. */
        NOT_OBJECT,
        /** {@code {"foo":"oops_wrong_msg_format"}}: JSON, but some other message (when the root requires a field). */
        OTHER_SHAPE,
        /** A value of another JSON type somewhere in the tree. */
        WRONG_TYPE,
        /** A required property left out somewhere in the tree. */
        MISSING_REQUIRED,
        /** A string outside its format or enum. */
        NOT_ALLOWED,
        /** A string over its maxLength or an array over its maxItems. */
        TOO_LONG,
        /** A number outside its bounds, a string under its minLength or an array under its minItems. */
        OUT_OF_BOUNDS,
        /** U+0000 in a string: valid JSON, but no PostgreSQL text column can hold it. */
        NUL_CHARACTER,
        /** A top-level key given twice. */
        DUPLICATE_KEY,
        /** An extra property nested deeper than the connector's 32 levels. */
        TOO_DEEP;

        public boolean valid() {
            return this == VALID;
        }
    }

    /** A body and what it is. */
    public record Generated(Kind kind, String body) {
        public boolean valid() {
            return kind.valid();
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Kind[] MALFORMED =
            List.of(Kind.values()).subList(1, Kind.values().length).toArray(Kind[]::new);
    private static final String OTHER_SHAPE_KEY = "foo";
    /** Beyond the source connector's json.max.nesting.depth (32), with a margin. */
    private static final int MIN_DEPTH = 40;
    /** TOO_LONG only where the longer body stays far below SQS's size limit. */
    private static final int MAX_OVERFLOW = 100_000;

    private final SchemaNode root;
    private final Random rnd;
    private final int pool;

    private SyntheticEvents(SchemaNode root, long seed, int count) {
        this.root = root;
        this.rnd = new Random(seed);
        // About one value per 20 events, as a login population has about one user per 20 logins.
        this.pool = Math.max(8, count / 20);
    }

    /** {@code count} bodies, {@code round(count * malformedShare)} of them malformed. */
    public static List<String> generate(Definition definition, long seed, int count, double malformedShare) {
        return generateLabelled(definition, seed, count, malformedShare).stream()
                .map(Generated::body)
                .toList();
    }

    /** Like {@link #generate}, each body with what it is (for tests that count rows and rejections). */
    public static List<Generated> generateLabelled(Definition definition, long seed, int count, double malformedShare) {
        if (count < 0 || !(malformedShare >= 0 && malformedShare <= 1)) {
            throw new IllegalArgumentException("count must be >= 0 and the malformed share between 0 and 1");
        }
        SyntheticEvents g = new SyntheticEvents(definition.event(), seed, count);
        BitSet malformed = choose(g.rnd, count, (int) Math.round(count * malformedShare));
        List<Generated> out = new ArrayList<>(count);
        int junk = 0;
        for (int i = 0; i < count; i++) {
            ObjectNode event = (ObjectNode) g.value(g.root);
            if (!malformed.get(i)) {
                out.add(new Generated(Kind.VALID, Json.write(event)));
                continue;
            }
            // The next kind in the cycle that this schema and event allow (TRUNCATED always does).
            String body = null;
            Kind kind = null;
            while (body == null) {
                kind = MALFORMED[junk++ % MALFORMED.length];
                body = g.malformed(kind, event);
            }
            out.add(new Generated(kind, body));
        }
        return out;
    }

    /** {@code k} distinct positions out of {@code n}, uniformly (Floyd's algorithm: k draws, no n-sized shuffle). */
    static BitSet choose(Random rnd, int n, int k) {
        BitSet chosen = new BitSet(n);
        for (int j = n - k; j < n; j++) {
            int t = rnd.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        return chosen;
    }

    private JsonNode value(SchemaNode n) {
        return switch (n.kind()) {
            case OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (SchemaNode.Property p : n.properties()) {
                    if (p.required() || rnd.nextInt(10) < 7) {
                        o.set(
                                p.name(),
                                p.node().nullable() && rnd.nextInt(8) == 0 ? NODES.nullNode() : value(p.node()));
                    }
                }
                yield o;
            }
            case ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int min = Math.max(0, n.minItems());
                int max = Math.max(min, n.maxItems() < 0 ? 4 : Math.min(4, n.maxItems()));
                for (int i = min + rnd.nextInt(max - min + 1); i > 0; i--) {
                    a.add(n.items().nullable() && rnd.nextInt(8) == 0 ? NODES.nullNode() : value(n.items()));
                }
                yield a;
            }
            case INTEGER ->
                n.enumeration() != null
                        ? member(n)
                        : n.range() != null
                                ? NODES.numberNode(integer(n.range()))
                                : NODES.numberNode(rnd.nextInt(1000));
            case NUMBER ->
                NODES.numberNode(
                        n.range() != null ? number(n.range()) : Math.round(rnd.nextDouble() * 100_000) / 100.0);
            case BOOLEAN -> NODES.booleanNode(rnd.nextBoolean());
            case STRING -> n.enumeration() != null ? member(n) : NODES.textNode(text(n));
        };
    }

    /** An integer within the bounds: in 0..999 where they allow, else among the 1000 next to the nearer bound. */
    private long integer(SchemaNode.Range range) {
        BigInteger window = BigInteger.valueOf(999);
        // The compiler keeps a 64-bit integer within the bounds.
        BigInteger l = range.lowest64BitInteger();
        BigInteger u = range.highest64BitInteger();
        BigInteger lo = l.max(BigInteger.ZERO);
        BigInteger hi = u.min(window);
        if (lo.compareTo(hi) > 0) {
            lo = u.signum() < 0 ? l.max(u.subtract(window)) : l;
            hi = u.signum() < 0 ? u : u.min(l.add(window));
        }
        return lo.longValueExact() + rnd.nextInt(hi.subtract(lo).intValueExact() + 1);
    }

    /** A number within the bounds, in 0..1000 with two decimals where they allow. */
    private double number(SchemaNode.Range range) {
        double l = Math.max(
                bound(range.minimum(), Double.NEGATIVE_INFINITY),
                bound(range.exclusiveMinimum(), Double.NEGATIVE_INFINITY));
        double u = Math.min(
                bound(range.maximum(), Double.POSITIVE_INFINITY),
                bound(range.exclusiveMaximum(), Double.POSITIVE_INFINITY));
        double lo = Math.max(l, 0);
        double hi = Math.min(u, 1000);
        if (lo > hi) {
            lo = u < 0 ? Math.max(l, u - 1000) : l;
            hi = u < 0 ? u : Math.min(u, l + 1000);
        }
        double v = lo + rnd.nextDouble() * (hi - lo);
        double rounded = Math.round(v * 100) / 100.0;
        if (range.outside(BigDecimal.valueOf(rounded)) == null) {
            return rounded;
        }
        // v may sit on an exclusive bound (nextDouble can be 0): then the middle, or the one inclusive bound
        double mid = lo / 2 + hi / 2;
        return range.outside(BigDecimal.valueOf(v)) == null
                ? v
                : range.outside(BigDecimal.valueOf(mid)) == null ? mid : range.minimum() != null ? l : u;
    }

    private static double bound(BigDecimal b, double none) {
        return b == null ? none : b.doubleValue();
    }

    private JsonNode member(SchemaNode n) {
        List<JsonNode> members = new ArrayList<>();
        n.enumeration().strings().stream().sorted().forEach(s -> members.add(NODES.textNode(s)));
        n.enumeration().integers().stream().sorted().forEach(i -> members.add(NODES.numberNode(i)));
        return members.isEmpty() ? NODES.nullNode() : members.get(rnd.nextInt(members.size()));
    }

    /** A string of the node's format or PII canonical form; deterministic PII from the pool, so equal values recur. */
    private String text(SchemaNode n) {
        boolean pooled = n.pii() != null && n.pii().mode() != PiiMode.RANDOMIZED;
        int pick = pooled ? (int) (Math.pow(rnd.nextDouble(), 1.5) * pool) : rnd.nextInt(1 << 20);
        Canonical canonical = n.pii() == null ? Canonical.NONE : n.pii().canonical();
        String s;
        if ("date-time".equals(n.format())) {
            s = Instant.ofEpochSecond(1_764_000_000L + rnd.nextInt(10_000_000)).toString();
        } else if ("date".equals(n.format())) {
            s = LocalDate.ofEpochDay(20_000 + rnd.nextInt(800)).toString();
        } else if ("uuid".equals(n.format())) {
            s = pooled
                    ? new UUID(0x5eed_0000_0000_4000L, 0x8000_0000_0000_0000L | pick).toString()
                    : new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        } else if (canonical == Canonical.EMAIL || Canonical.EMAIL.name().equalsIgnoreCase(n.format())) {
            // Declared so, or by the format of that name. Two spellings of one address: one ciphertext once canonical.
            s = (rnd.nextBoolean() ? "User" : "user") + pick + "@Example" + (pick % 7) + ".org";
        } else if ("ipv4".equals(n.format())) {
            s = ipv4(pick);
        } else if ("ipv6".equals(n.format())) {
            s = ipv6(pick);
        } else if (canonical == Canonical.IP) {
            s = pick % 7 == 3 ? ipv6(pick) : ipv4(pick); // one address in seven is IPv6
        } else if (canonical == Canonical.PHONE) {
            s = "+1 202 555 " + String.format(Locale.ROOT, "%04d", pick % 10_000);
        } else if (n.pii() != null) {
            long h = Integer.toUnsignedLong(pick * 0x9E3779B1); // spreads the pool index over the digits
            s = String.format(Locale.ROOT, "%03d-%02d-%04d", h % 1000, h / 1000 % 100, h / 100_000 % 10_000);
        } else {
            s = "v" + pick;
        }
        if (n.maxLength() >= 0 && s.length() > n.maxLength()) {
            s = s.substring(0, n.maxLength());
        }
        if (s.length() < n.minLength()) {
            // Longer where the form allows: an address's local part, free text or an identifier; formats keep theirs.
            String more = "x".repeat(n.minLength() - s.length());
            int at = s.indexOf('@');
            if (at > 0) {
                s = s.substring(0, at) + more + s.substring(at);
            } else if (n.format() == null && (canonical == Canonical.NONE || canonical == Canonical.IDENTIFIER)) {
                s += more;
            }
        }
        return s;
    }

    private static String ipv4(int pick) {
        return "10." + (pick >> 16 & 255) + "." + (pick >> 8 & 255) + "." + (pick & 255);
    }

    /** RFC 5952 text (two non-zero last groups, the run of zeros before them as "::"), as the canonical form is. */
    private static String ipv6(int pick) {
        return "2001:db8::" + Integer.toHexString(1 + (pick >>> 16 & 0xfff)) + ":"
                + Integer.toHexString(1 + (pick & 0xfffe));
    }

    /** A property present in a generated event, with its declaration: where a malformation can go. */
    private record Site(ObjectNode parent, SchemaNode.Property property) {
        JsonNode value() {
            return parent.get(property.name());
        }

        SchemaNode node() {
            return property.node();
        }
    }

    private static void sites(SchemaNode n, JsonNode v, List<Site> out) {
        if (n.kind() == SchemaNode.Kind.OBJECT && v.isObject()) {
            for (SchemaNode.Property p : n.properties()) {
                JsonNode child = v.get(p.name());
                if (child != null) {
                    out.add(new Site((ObjectNode) v, p));
                    sites(p.node(), child, out);
                }
            }
        } else if (n.kind() == SchemaNode.Kind.ARRAY && v.isArray()) {
            for (JsonNode element : v) {
                sites(n.items(), element, out);
            }
        }
    }

    private Site site(ObjectNode event, Predicate<Site> fits) {
        List<Site> all = new ArrayList<>();
        sites(root, event, all);
        List<Site> fitting = all.stream().filter(fits).toList();
        return fitting.isEmpty() ? null : fitting.get(rnd.nextInt(fitting.size()));
    }

    private static boolean isNumber(Site s) {
        return (s.node().kind() == SchemaNode.Kind.INTEGER || s.node().kind() == SchemaNode.Kind.NUMBER)
                && s.value().isNumber();
    }

    private static boolean isString(Site s) {
        return s.node().kind() == SchemaNode.Kind.STRING && s.value().isTextual();
    }

    /** The body of a malformed kind made from {@code event}, or null when neither the schema nor it allows it. */
    private String malformed(Kind kind, ObjectNode event) {
        switch (kind) {
            case TRUNCATED -> {
                // Any proper prefix of an object's text lacks the closing brace, so it never parses.
                String text = Json.write(event);
                return text.substring(0, 1 + rnd.nextInt(text.length() - 1));
            }
            case NOT_JSON -> {
                return notJson(event);
            }
            case NOT_OBJECT -> {
                return Json.write(NODES.arrayNode().add(event));
            }
            case OTHER_SHAPE -> {
                boolean rejected = root.properties().stream()
                        .anyMatch(p -> p.required() && !p.name().equals(OTHER_SHAPE_KEY));
                return rejected ? "{\"" + OTHER_SHAPE_KEY + "\":\"oops_wrong_msg_format\"}" : null;
            }
            case WRONG_TYPE -> {
                Site s = site(event, x -> true);
                if (s == null) {
                    return null;
                }
                // A number where the schema has a string; text where it has anything else.
                s.parent()
                        .set(
                                s.property().name(),
                                s.node().kind() == SchemaNode.Kind.STRING ? NODES.numberNode(7) : NODES.textNode("7"));
                return Json.write(event);
            }
            case MISSING_REQUIRED -> {
                Site s = site(event, x -> x.property().required());
                if (s == null) {
                    return null;
                }
                s.parent().remove(s.property().name());
                return Json.write(event);
            }
            case NOT_ALLOWED -> {
                Site s = site(
                        event,
                        x -> isString(x)
                                && (x.node().format() != null || x.node().enumeration() != null));
                if (s == null) {
                    return null;
                }
                s.parent().put(s.property().name(), "not a value");
                return Json.write(event);
            }
            case TOO_LONG -> {
                Site s = site(
                        event,
                        x -> isString(x)
                                        && x.node().maxLength() >= 0
                                        && x.node().maxLength() < MAX_OVERFLOW
                                || x.node().kind() == SchemaNode.Kind.ARRAY
                                        && x.value().isArray()
                                        && x.node().maxItems() >= 0
                                        && x.node().maxItems() < MAX_OVERFLOW / 100);
                if (s == null) {
                    return null;
                }
                if (s.node().kind() == SchemaNode.Kind.ARRAY) {
                    ArrayNode a = (ArrayNode) s.value();
                    while (a.size() <= s.node().maxItems()) {
                        a.add(value(s.node().items()));
                    }
                } else {
                    String text = s.value().textValue();
                    s.parent()
                            .put(s.property().name(), text + "x".repeat(s.node().maxLength() + 1 - text.length()));
                }
                return Json.write(event);
            }
            case OUT_OF_BOUNDS -> {
                Site s = site(
                        event,
                        x -> isNumber(x) && x.node().range() != null
                                || isString(x) && x.node().minLength() > 0
                                || x.node().kind() == SchemaNode.Kind.ARRAY
                                        && x.value().isArray()
                                        && x.node().minItems() > 0);
                if (s == null) {
                    return null;
                }
                if (s.node().kind() == SchemaNode.Kind.ARRAY) {
                    ArrayNode a = (ArrayNode) s.value();
                    while (a.size() >= s.node().minItems()) {
                        a.remove(a.size() - 1);
                    }
                } else if (s.value().isTextual()) {
                    String text = s.value().textValue();
                    int keep = Math.min(
                            text.codePointCount(0, text.length()), s.node().minLength() - 1);
                    s.parent().put(s.property().name(), text.substring(0, text.offsetByCodePoints(0, keep)));
                } else {
                    // One past the nearer integer edge: outside an inclusive bound, on or past an exclusive one.
                    BigInteger low = s.node().range().lowestInteger();
                    BigInteger high = s.node().range().highestInteger();
                    boolean below = high == null || low != null && rnd.nextBoolean();
                    s.parent()
                            .put(s.property().name(), below ? low.subtract(BigInteger.ONE) : high.add(BigInteger.ONE));
                }
                return Json.write(event);
            }
            case NUL_CHARACTER -> {
                Site s = site(event, SyntheticEvents::isString);
                if (s == null) {
                    return null;
                }
                String text = s.value().textValue();
                int at = text.length() / 2;
                s.parent().put(s.property().name(), text.substring(0, at) + '\0' + text.substring(at));
                return Json.write(event);
            }
            case DUPLICATE_KEY -> {
                if (event.isEmpty()) {
                    return null;
                }
                Map.Entry<String, JsonNode> first =
                        event.properties().iterator().next();
                return Json.write(g -> {
                    g.writeStartObject();
                    for (Map.Entry<String, JsonNode> field : event.properties()) {
                        g.writeFieldName(field.getKey());
                        Json.MAPPER.writeTree(g, field.getValue());
                    }
                    g.writeFieldName(first.getKey());
                    Json.MAPPER.writeTree(g, first.getValue());
                    g.writeEndObject();
                });
            }
            case TOO_DEEP -> {
                String name = "nested";
                while (event.has(name)) {
                    name += "_";
                }
                ArrayNode deep = NODES.arrayNode().add("x");
                for (int i = MIN_DEPTH + rnd.nextInt(24); i > 0; i--) {
                    deep = NODES.arrayNode().add(deep);
                }
                event.set(name, deep);
                return Json.write(event);
            }
            default -> throw new IllegalArgumentException("not a malformed kind: " + kind);
        }
    }

    /** The event's top-level properties as a form post, an XML element or a Python dict's repr. */
    private String notJson(ObjectNode event) {
        int style = event.isEmpty() ? 1 : rnd.nextInt(3);
        StringJoiner out = switch (style) {
            case 0 -> new StringJoiner("&");
            case 1 -> new StringJoiner("", "<event>", "</event>");
            default -> new StringJoiner(", ", "{", "}");
        };
        for (Map.Entry<String, JsonNode> field : event.properties()) {
            JsonNode v = field.getValue();
            String text = v.isValueNode() ? v.asText() : Json.write(v);
            out.add(
                    switch (style) {
                        case 0 -> field.getKey() + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
                        case 1 ->
                            "<" + field.getKey() + ">"
                                    + text.replace("&", "&amp;").replace("<", "&lt;") + "</" + field.getKey() + ">";
                        default ->
                            "'" + field.getKey() + "': "
                                    + (v.isNull()
                                            ? "None"
                                            : v.isBoolean()
                                                    ? (v.asBoolean() ? "True" : "False")
                                                    : v.isNumber() ? text : "'" + text.replace("'", "\\'") + "'");
                    });
        }
        return out.toString();
    }
}
