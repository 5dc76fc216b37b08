package io.sqspii.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles the JSON Schema 2020-12 subset a dataset's event schema may use into a {@link SchemaNode} tree.
 * Everything outside the subset is refused rather than ignored: a keyword we do not enforce would be a constraint
 * the pipeline silently does not keep. Messages name the JSON Pointer of the schema node and never quote a value
 * from the schema (enum members, defaults and examples may be real data).
 */
final class SchemaCompiler {

    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    static final List<String> KEYWORDS = List.of(
            "type",
            "properties",
            "required",
            "items",
            "enum",
            "format",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minimum",
            "exclusiveMinimum",
            "maximum",
            "exclusiveMaximum",
            "additionalProperties",
            "title",
            "description",
            "$comment",
            "examples",
            "deprecated",
            "readOnly",
            "writeOnly",
            "x-pii");
    /** The bounds of integers and numbers, lower ones first. */
    static final List<String> NUMBER_BOUNDS = List.of("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum");
    /** Allowed at the root only, beside the keywords. */
    static final List<String> ROOT_KEYWORDS = List.of("$schema", "$id");

    static final List<String> FORMATS = List.of("date-time", "date", "uuid", "email", "ipv4", "ipv6");
    static final List<String> PII_KEYS = List.of("mode", "canonical", "region", "domain", "column");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");

    private final String file;
    private final List<String> problems = new ArrayList<>();

    private SchemaCompiler(String file) {
        this.file = file;
    }

    /** The compiled root (an object), or every problem found. */
    static SchemaNode compile(String file, JsonNode root) throws DefinitionException {
        SchemaCompiler c = new SchemaCompiler(file);
        SchemaNode node = null;
        if (root == null || !root.isObject()) {
            c.problem("", "the event schema must be a JSON object");
        } else {
            JsonNode dialect = root.get("$schema");
            if (dialect != null && !(dialect.isTextual() && dialect.asText().equals(DIALECT))) {
                c.problem("/$schema", "only JSON Schema 2020-12 is supported ($schema " + DIALECT + ")");
            }
            node = c.node(root, "", "", true, false);
            if (node != null && node.kind() != SchemaNode.Kind.OBJECT) {
                c.problem("", "the event must be an object (type \"object\")");
            }
            if (node != null && node.nullable()) {
                c.problem("/type", "the event itself cannot be null");
            }
        }
        if (!c.problems.isEmpty()) {
            throw new DefinitionException(c.problems);
        }
        return node;
    }

    private void problem(String pointer, String message) {
        problems.add(file + "#" + pointer + ": " + message);
    }

    /** {@code root}: the event schema itself ($schema allowed). {@code inArray}: below an array's items. */
    private SchemaNode node(JsonNode n, String sp, String ep, boolean root, boolean inArray) {
        if (!n.isObject()) {
            problem(sp, "a schema must be a JSON object (boolean schemas are not supported)");
            return null;
        }
        boolean ok = true;
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYWORDS.contains(k) && !(root && ROOT_KEYWORDS.contains(k))) {
                problem(
                        sp + "/" + Names.token(k),
                        "unsupported keyword; the supported keywords are " + String.join(", ", KEYWORDS)
                                + (root ? " (and $schema, $id at the root)" : ""));
                ok = false;
            }
        }
        for (String k : List.of("title", "description", "$comment", "$id")) {
            if (n.has(k) && !n.get(k).isTextual()) {
                problem(sp + "/" + k, k + " must be a string");
            }
        }
        for (String k : List.of("deprecated", "readOnly", "writeOnly")) {
            if (n.has(k) && !n.get(k).isBoolean()) {
                problem(sp + "/" + k, k + " must be true or false");
            }
        }
        if (n.has("examples") && !n.get("examples").isArray()) {
            problem(sp + "/examples", "examples must be an array");
        }
        JsonNode type = n.get("type");
        SchemaNode.Kind kind = null;
        boolean nullable = false;
        if (type == null) {
            problem(sp, "type is required");
            return null;
        } else if (type.isTextual()) {
            kind = kind(type.asText(), sp + "/type");
        } else if (type.isArray()
                && type.size() == 2
                && type.get(0).isTextual()
                && type.get(1).isTextual()
                && (type.get(0).asText().equals("null") != type.get(1).asText().equals("null"))) {
            nullable = true;
            kind = kind(
                    type.get(0).asText().equals("null")
                            ? type.get(1).asText()
                            : type.get(0).asText(),
                    sp + "/type");
        } else {
            problem(
                    sp + "/type",
                    "type must be one of object, array, string, integer, number, boolean, "
                            + "or a pair of one of them with \"null\" (nullable)");
        }
        if (kind == null) {
            return null;
        }
        only(n, sp, kind, SchemaNode.Kind.OBJECT, "properties", "required", "additionalProperties");
        only(n, sp, kind, SchemaNode.Kind.ARRAY, "items", "minItems", "maxItems");
        only(n, sp, kind, SchemaNode.Kind.STRING, "format", "minLength", "maxLength");
        if (n.has("enum") && kind != SchemaNode.Kind.STRING && kind != SchemaNode.Kind.INTEGER) {
            problem(sp + "/enum", "enum applies to string and integer properties only");
        }
        SchemaNode.Enumeration enumeration = null;
        if (n.has("enum")) {
            enumeration = enumeration(n.get("enum"), sp + "/enum", kind, nullable);
        }
        for (String k : List.of("minLength", "maxLength", "minItems", "maxItems")) {
            JsonNode v = n.get(k);
            if (v != null && !isCount(v)) {
                problem(sp + "/" + k, k + " must be a non-negative integer");
            }
        }
        atMost(n, sp, "minLength", "maxLength", "string");
        atMost(n, sp, "minItems", "maxItems", "array");
        SchemaNode.Range range = range(n, sp, kind);
        String format = null;
        if (n.has("format")) {
            JsonNode f = n.get("format");
            if (f.isTextual() && FORMATS.contains(f.asText())) {
                format = f.asText();
            } else {
                problem(sp + "/format", "unsupported format; the supported formats are " + String.join(", ", FORMATS));
            }
        }
        PiiAnnotation pii = null;
        if (n.has("x-pii")) {
            if (kind != SchemaNode.Kind.STRING) {
                problem(sp + "/x-pii", "x-pii applies to string properties only (the ciphertext is text)");
            } else {
                pii = pii(n.get("x-pii"), sp + "/x-pii", inArray);
            }
        }
        List<SchemaNode.Property> props = List.of();
        SchemaNode items = null;
        if (kind == SchemaNode.Kind.OBJECT) {
            props = properties(n, sp, ep, inArray);
            if (n.has("additionalProperties") && !n.get("additionalProperties").isBoolean()) {
                problem(sp + "/additionalProperties", "additionalProperties must be true or false");
            }
        } else if (kind == SchemaNode.Kind.ARRAY) {
            JsonNode it = n.get("items");
            if (it == null) {
                problem(sp, "an array needs items (the schema of its elements)");
            } else {
                items = node(it, sp + "/items", "", false, true);
                if (items != null && inArray && items.holdsPii()) {
                    problem(sp, "PII inside an array inside an array is not supported");
                }
            }
        }
        if (!ok) {
            return null;
        }
        JsonNode additional = n.get("additionalProperties");
        return new SchemaNode(
                sp,
                ep,
                kind,
                nullable,
                format,
                props,
                items,
                pii,
                textOrNull(n, "title"),
                textOrNull(n, "description"),
                intOr(n, "minLength"),
                intOr(n, "maxLength"),
                intOr(n, "minItems"),
                intOr(n, "maxItems"),
                range,
                additional == null || additional.asBoolean(true),
                enumeration);
    }

    /** A lower size bound above its upper one would refuse every value: a mistake, not a constraint. */
    private void atMost(JsonNode n, String sp, String low, String high, String what) {
        JsonNode l = n.get(low);
        JsonNode h = n.get(high);
        if (l != null && h != null && isCount(l) && isCount(h) && l.asInt() > h.asInt()) {
            problem(sp, low + " is greater than " + high + ": no " + what + " fits");
        }
    }

    /**
     * The bounds of an integer or number, or null when none is declared or one is refused: each a finite number,
     * on integer and number schemas only, and together leaving room for a value (for an integer, a 64-bit one).
     */
    private SchemaNode.Range range(JsonNode n, String sp, SchemaNode.Kind kind) {
        boolean numeric = kind == SchemaNode.Kind.INTEGER || kind == SchemaNode.Kind.NUMBER;
        BigDecimal[] b = new BigDecimal[NUMBER_BOUNDS.size()];
        boolean any = false;
        boolean ok = true;
        for (int i = 0; i < b.length; i++) {
            String k = NUMBER_BOUNDS.get(i);
            JsonNode v = n.get(k);
            if (v == null) {
                continue;
            }
            any = true;
            if (!numeric) {
                problem(sp + "/" + k, k + " applies to integer and number schemas only");
                ok = false;
            } else if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                // draft-04's boolean exclusiveMinimum/exclusiveMaximum is the likeliest mistake
                problem(
                        sp + "/" + k,
                        k + " must be a number"
                                + (v.isBoolean() && k.startsWith("exclusive")
                                        ? " (in 2020-12 it is the bound itself, not a flag beside minimum or maximum)"
                                        : ""));
                ok = false;
            } else {
                b[i] = v.decimalValue();
            }
        }
        if (!any || !ok) {
            return null;
        }
        for (int lo = 0; lo < 2; lo++) {
            for (int hi = 2; hi < 4; hi++) {
                if (b[lo] == null || b[hi] == null) {
                    continue;
                }
                int c = b[lo].compareTo(b[hi]);
                boolean inclusive = lo == 0 && hi == 2;
                if (c > 0 || c == 0 && !inclusive) {
                    problem(
                            sp,
                            NUMBER_BOUNDS.get(lo) + " is " + (inclusive ? "greater than " : "not less than ")
                                    + NUMBER_BOUNDS.get(hi) + ": no value fits");
                    ok = false;
                }
            }
        }
        SchemaNode.Range range = new SchemaNode.Range(b[0], b[1], b[2], b[3]);
        if (ok && kind == SchemaNode.Kind.INTEGER) {
            if (range.lowest64BitInteger().compareTo(range.highest64BitInteger()) > 0) {
                problem(sp, "no 64-bit integer lies within its bounds");
                ok = false;
            }
        }
        return ok ? range : null;
    }

    private static boolean isCount(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0;
    }

    private static String textOrNull(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static int intOr(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.canConvertToInt() ? v.asInt() : -1;
    }

    private SchemaNode.Kind kind(String t, String sp) {
        return switch (t) {
            case "object" -> SchemaNode.Kind.OBJECT;
            case "array" -> SchemaNode.Kind.ARRAY;
            case "string" -> SchemaNode.Kind.STRING;
            case "integer" -> SchemaNode.Kind.INTEGER;
            case "number" -> SchemaNode.Kind.NUMBER;
            case "boolean" -> SchemaNode.Kind.BOOLEAN;
            default -> {
                problem(
                        sp,
                        "type must be one of object, array, string, integer, number, boolean (with \"null\" for "
                                + "nullable)");
                yield null;
            }
        };
    }

    private void only(JsonNode n, String sp, SchemaNode.Kind kind, SchemaNode.Kind owner, String... keywords) {
        if (kind == owner) {
            return;
        }
        for (String k : keywords) {
            if (n.has(k)) {
                problem(sp + "/" + k, k + " applies to " + owner.name().toLowerCase(Locale.ROOT) + " schemas only");
            }
        }
    }

    private SchemaNode.Enumeration enumeration(JsonNode e, String sp, SchemaNode.Kind kind, boolean nullable) {
        if (!e.isArray() || e.isEmpty()) {
            problem(sp, "enum must be a non-empty array");
            return null;
        }
        Set<String> strings = new HashSet<>();
        Set<BigInteger> integers = new HashSet<>();
        boolean allowsNull = false;
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < e.size(); i++) {
            JsonNode v = e.get(i);
            boolean fits = (v.isNull() && nullable)
                    || (kind == SchemaNode.Kind.STRING && v.isTextual())
                    || (kind == SchemaNode.Kind.INTEGER && v.isIntegralNumber());
            if (!fits) {
                problem(sp + "/" + i, "enum member does not have the property's type");
            }
            if (!seen.add(v)) {
                problem(sp + "/" + i, "enum member repeats an earlier one");
            }
            if (v.isNull()) {
                allowsNull = true;
            } else if (v.isTextual()) {
                strings.add(v.textValue());
            } else if (v.isIntegralNumber()) {
                integers.add(v.bigIntegerValue());
            }
        }
        return new SchemaNode.Enumeration(strings, integers, allowsNull);
    }

    private List<SchemaNode.Property> properties(JsonNode n, String sp, String ep, boolean inArray) {
        JsonNode props = n.get("properties");
        if (props == null || !props.isObject() || props.isEmpty()) {
            problem(sp, "an object needs properties (a non-empty object)");
            return List.of();
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode req = n.get("required");
        if (req != null) {
            if (!req.isArray()) {
                problem(sp + "/required", "required must be an array of property names");
            } else {
                for (int i = 0; i < req.size(); i++) {
                    JsonNode r = req.get(i);
                    if (!r.isTextual()) {
                        problem(sp + "/required/" + i, "required must name properties (strings)");
                    } else if (!props.has(r.asText())) {
                        problem(sp + "/required/" + i, "names a property that is not declared in properties");
                    } else if (!required.add(r.asText())) {
                        problem(sp + "/required/" + i, "names a property twice");
                    }
                }
            }
        }
        List<SchemaNode.Property> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String psp = sp + "/properties/" + Names.token(name);
            if (!Names.IDENTIFIER.matcher(name).matches() || name.length() > Names.MAX_IDENTIFIER) {
                problem(
                        psp,
                        "a property name must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 "
                                + "characters): it names a column");
                continue;
            }
            SchemaNode child = node(e.getValue(), psp, ep + "/" + Names.token(name), false, inArray);
            if (child != null) {
                out.add(new SchemaNode.Property(name, required.contains(name), child));
            }
        }
        return out;
    }

    private PiiAnnotation pii(JsonNode x, String sp, boolean inArray) {
        if (!x.isObject()) {
            problem(
                    sp,
                    "x-pii must be an object: {\"mode\": ..., \"canonical\": ..., \"region\": ..., \"domain\": ..., "
                            + "\"column\": ...}");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!PII_KEYS.contains(k)) {
                problem(
                        sp + "/" + Names.token(k),
                        "unsupported x-pii key; the supported keys are " + String.join(", ", PII_KEYS));
            }
        }
        PiiMode mode = choice(x, "mode", sp, PiiMode.class, null);
        if (!x.has("mode")) {
            problem(sp, "x-pii needs a mode: deterministic, randomized or hmac");
        }
        Canonical canonical = choice(x, "canonical", sp, Canonical.class, Canonical.NONE);
        String region = text(x, "region", sp);
        if (canonical == Canonical.PHONE && region == null) {
            problem(
                    sp,
                    "canonical phone needs a region (ISO 3166 alpha-2, e.g. US): the country of numbers "
                            + "written without +");
        }
        if (region != null && canonical != Canonical.PHONE) {
            problem(sp + "/region", "region applies to canonical phone only");
        } else if (region != null && !REGION.matcher(region).matches()) {
            problem(sp + "/region", "region must be an ISO 3166 alpha-2 code in capitals");
        }
        String domain = text(x, "domain", sp);
        if (domain != null && !Names.DOMAIN.matcher(domain).matches()) {
            problem(sp + "/domain", "a key domain is a lower-case name ([a-z][a-z0-9_]*, at most 63 characters)");
        }
        String column = text(x, "column", sp);
        if (column != null && inArray) {
            problem(
                    sp + "/column",
                    "a value inside an array is stored in the array's jsonb column: no column of its " + "own");
        } else if (column != null && !Names.isIdentifier(column)) {
            problem(
                    sp + "/column",
                    "a column name must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 " + "characters)");
        }
        return problems.size() == before ? new PiiAnnotation(mode, canonical, region, domain, column) : null;
    }

    private <E extends Enum<E>> E choice(JsonNode x, String key, String sp, Class<E> type, E dflt) {
        JsonNode v = x.get(key);
        if (v == null) {
            return dflt;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
            if (v.isTextual() && v.asText().equals(e.name().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        problem(sp + "/" + key, key + " must be one of " + String.join(", ", names));
        return dflt;
    }

    private String text(JsonNode x, String key, String sp) {
        JsonNode v = x.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(sp + "/" + key, key + " must be a string");
            return null;
        }
        return v.asText();
    }
}
