package io.sqspii.sqs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sqspii.dataset.SchemaNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns an SQS message body into a record value, or says why it cannot.
 *
 * <p>Error texts name the rule that failed and where: the JSON Pointer of the offending value in the event
 * ({@code /items/3/sku: required}), built from the declared schema's property names and array indexes, or a
 * parser position — never any part of the body, which may hold PII.
 */
final class BodyConverter {

    /** Why a body was rejected: a short machine-readable reason and a human-readable message. */
    record Rejection(String reason, String message) {}

    /** Either a value (with its schema) or a rejection. */
    record Outcome(Schema schema, Object value, Rejection rejection) {
        boolean valid() {
            return rejection == null;
        }
    }

    static final String R_TOO_LARGE = "body_too_large";
    static final String R_NOT_JSON = "invalid_json";
    static final String R_TRUNCATED = "truncated_json";
    static final String R_DUPLICATE_KEY = "duplicate_key";
    static final String R_LIMIT = "json_limit_exceeded";
    static final String R_NOT_OBJECT = "not_an_object";
    static final String R_SCHEMA = "schema_mismatch";
    static final String R_NUL = "nul_character";
    static final String R_BAD_UNICODE = "invalid_unicode";
    static final String R_CONVERSION_FAILED = "conversion_failed";

    private final JsonValueSchema schema; // null for message.format=string
    private final int maxBodyBytes;
    private final int maxDepth;
    private final ObjectMapper mapper;

    BodyConverter(JsonValueSchema schema, int maxBodyBytes, int maxDepth) {
        this.schema = schema;
        this.maxBodyBytes = maxBodyBytes;
        this.maxDepth = maxDepth;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(Math.max(maxBodyBytes, 1))
                        .maxNumberLength(100)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    Outcome convert(String body) {
        if (body == null) {
            body = "";
        }
        // Cheap upper bound first: UTF-8 needs at most 3 bytes per UTF-16 char.
        if ((long) body.length() * 3 > maxBodyBytes && utf8Length(body) > maxBodyBytes) {
            return reject(
                    R_TOO_LARGE, "body is " + utf8Length(body) + " bytes, more than max.body.bytes=" + maxBodyBytes);
        }
        if (schema == null) {
            return new Outcome(Schema.STRING_SCHEMA, body, null);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("nesting depth")) {
                return reject(R_LIMIT, "JSON nesting deeper than json.max.nesting.depth=" + maxDepth);
            }
            return reject(R_LIMIT, "JSON exceeds a parser limit (string or number length)");
        } catch (JsonEOFException e) {
            return reject(R_TRUNCATED, "truncated JSON: input ends inside a value" + at(e.getLocation()));
        } catch (MismatchedInputException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Trailing token")) {
                return reject(
                        R_NOT_JSON, "not valid JSON: more content after the top-level value" + at(e.getLocation()));
            }
            if (m.contains("Duplicate field")) {
                return reject(R_DUPLICATE_KEY, "duplicate object key" + at(e.getLocation()));
            }
            return reject(R_NOT_JSON, "not valid JSON" + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Duplicate field")) {
                return reject(R_DUPLICATE_KEY, "duplicate object key" + at(e.getLocation()));
            }
            if (m.contains("end-of-input")) {
                return reject(R_TRUNCATED, "truncated JSON: input ends inside a value" + at(e.getLocation()));
            }
            return reject(R_NOT_JSON, "not valid JSON" + at(e.getLocation()));
        }
        if (root == null || root.isMissingNode()) {
            return reject(R_NOT_JSON, "empty body");
        }
        if (!root.isObject()) {
            return reject(R_NOT_OBJECT, "expected a JSON object, got " + kind(root));
        }
        return toStruct(root);
    }

    private Outcome toStruct(JsonNode root) {
        try {
            return new Outcome(schema.connectSchema(), object(schema.root(), schema.connectSchema(), root, ""), null);
        } catch (Reject r) {
            return new Outcome(null, null, r.rejection);
        }
    }

    /**
     * A body's value that does not fit its schema node. Messages name the JSON Pointer of the value in the event
     * (built from declared property names and array indexes only) and never quote the value.
     */
    private static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Rejection rejection;

        Reject(String reason, String message) {
            super(null, null, false, false);
            this.rejection = new Rejection(reason, message);
        }
    }

    private static Reject mismatch(String at, String what) {
        return new Reject(R_SCHEMA, where(at) + ": " + what);
    }

    private static String where(String at) {
        return at.isEmpty() ? "the event" : at;
    }

    private Struct object(SchemaNode n, Schema s, JsonNode v, String at) throws Reject {
        Struct struct = new Struct(s);
        for (SchemaNode.Property p : n.properties()) {
            JsonNode c = v.get(p.name());
            String cat = at + "/" + p.name(); // property names are identifiers: nothing to escape
            if (c == null) {
                if (p.required()) {
                    throw mismatch(cat, "required");
                }
                continue;
            }
            Object value = value(p.node(), s.field(p.name()).schema(), c, cat);
            if (value != null) {
                struct.put(p.name(), value);
            }
        }
        if (!n.additionalProperties()) {
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (n.properties().stream().noneMatch(p -> p.name().equals(name))) {
                    // The name itself is body content: do not echo it.
                    throw mismatch(at, "has a property the schema does not declare (additionalProperties is false)");
                }
            }
        }
        return struct;
    }

    /** The Connect value of {@code v} under node {@code n} (Connect schema {@code s}); null for JSON null. */
    private Object value(SchemaNode n, Schema s, JsonNode v, String at) throws Reject {
        if (v.isNull()) {
            if (!n.nullable()) {
                throw mismatch(at, "expected " + expected(n) + ", got null");
            }
            if (n.enumeration() != null && !n.enumeration().allows(v)) {
                throw mismatch(at, "not one of the enum values");
            }
            return null;
        }
        switch (n.kind()) {
            case OBJECT -> {
                if (!v.isObject()) {
                    throw wrongType(n, v, at);
                }
                return object(n, s, v, at);
            }
            case ARRAY -> {
                if (!v.isArray()) {
                    throw wrongType(n, v, at);
                }
                if (n.minItems() >= 0 && v.size() < n.minItems()) {
                    throw mismatch(at, count(v.size(), "item") + ", fewer than its minItems " + n.minItems());
                }
                if (n.maxItems() >= 0 && v.size() > n.maxItems()) {
                    throw mismatch(at, count(v.size(), "item") + ", more than its maxItems " + n.maxItems());
                }
                List<Object> list = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    list.add(value(n.items(), s.valueSchema(), v.get(i), at + "/" + i));
                }
                return list;
            }
            case STRING -> {
                if (!v.isTextual()) {
                    throw wrongType(n, v, at);
                }
                String text = v.textValue();
                Rejection r = checkText(at, text);
                if (r != null) {
                    throw new Reject(r.reason(), r.message());
                }
                // The length is told, never the text: the string may be PII.
                int length = n.minLength() >= 0 || n.maxLength() >= 0 ? text.codePointCount(0, text.length()) : 0;
                if (n.minLength() >= 0 && length < n.minLength()) {
                    throw mismatch(at, count(length, "character") + ", fewer than its minLength " + n.minLength());
                }
                if (n.maxLength() >= 0 && length > n.maxLength()) {
                    throw mismatch(at, count(length, "character") + ", more than its maxLength " + n.maxLength());
                }
                enumeration(n, v, at);
                if (n.format() == null) {
                    return text;
                }
                try {
                    return Formats.convert(n.format(), text, at);
                } catch (Formats.NotInFormat e) {
                    throw mismatch(e.at, e.getMessage());
                }
            }
            case INTEGER -> {
                if (!v.isIntegralNumber()) {
                    throw wrongType(n, v, at);
                }
                if (!v.canConvertToLong()) {
                    throw mismatch(at, "an integer outside the 64-bit range");
                }
                range(n, v, at);
                enumeration(n, v, at);
                return v.longValue();
            }
            case NUMBER -> {
                if (!v.isNumber()) {
                    throw wrongType(n, v, at);
                }
                double d = v.doubleValue();
                if (!Double.isFinite(d)) {
                    throw mismatch(at, "a number outside the 64-bit float range");
                }
                range(n, v, at);
                return d;
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw wrongType(n, v, at);
                }
                return v.booleanValue();
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Holds a number to its bounds, compared as decimals (exact for integers of any size). Like every message here,
     * the rejection names the bound and not the value.
     */
    private static void range(SchemaNode n, JsonNode v, String at) throws Reject {
        if (n.range() == null) {
            return;
        }
        String keyword = n.range().outside(v.decimalValue());
        if (keyword == null) {
            return;
        }
        String bound = n.range().bound(keyword).stripTrailingZeros().toPlainString();
        throw mismatch(
                at,
                switch (keyword) {
                            case "minimum" -> "below its minimum ";
                            case "exclusiveMinimum" -> "not above its exclusiveMinimum ";
                            case "maximum" -> "above its maximum ";
                            default -> "not below its exclusiveMaximum ";
                        }
                        + bound);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void enumeration(SchemaNode n, JsonNode v, String at) throws Reject {
        if (n.enumeration() != null && !n.enumeration().allows(v)) {
            throw mismatch(at, "not one of the enum values");
        }
    }

    private static Reject wrongType(SchemaNode n, JsonNode v, String at) {
        return mismatch(at, "expected " + expected(n) + ", got " + kind(v));
    }

    private static String expected(SchemaNode n) {
        return switch (n.kind()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
        };
    }

    /** PostgreSQL text cannot hold U+0000, and an unpaired surrogate has no UTF-8 form. */
    static Rejection checkText(String at, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return new Rejection(R_NUL, where(at) + ": holds U+0000, which text columns cannot store");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return new Rejection(
                        R_BAD_UNICODE,
                        where(at) + ": holds an unpaired UTF-16 surrogate " + "(not representable in UTF-8)");
            }
        }
        return null;
    }

    private static Outcome reject(String reason, String message) {
        return new Outcome(null, null, new Rejection(reason, message));
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> "another kind of value";
        };
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
