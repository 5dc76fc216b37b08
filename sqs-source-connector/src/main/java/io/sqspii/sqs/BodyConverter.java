package io.sqspii.sqs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Iterator;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns an SQS message body into a record value, or says why it cannot.
 *
 * <p>Error texts name the rule that failed, field names of the declared schema and positions — never any part of
 * the body, which may hold PII.
 */
final class BodyConverter {

  /** Why a body was rejected: a short machine-readable reason and a human-readable message. */
  record Rejection(String reason, String message) {
  }

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
      return reject(R_TOO_LARGE, "body is " + utf8Length(body) + " bytes, more than max.body.bytes=" + maxBodyBytes);
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
        return reject(R_NOT_JSON, "not valid JSON: more content after the top-level value" + at(e.getLocation()));
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
    Struct struct = new Struct(schema.connectSchema());
    for (JsonValueSchema.Field f : schema.fields()) {
      JsonNode n = root.get(f.name());
      if (n == null) {
        if (f.required()) {
          return reject(R_SCHEMA, "required field \"" + f.name() + "\" is missing");
        }
        continue;
      }
      if (n.isNull()) {
        if (!f.nullable()) {
          return reject(R_SCHEMA, "field \"" + f.name() + "\" is null but its type is " + f.kind().jsonType);
        }
        continue;
      }
      Object value;
      switch (f.kind()) {
        case STRING -> {
          if (!n.isTextual()) {
            return wrongType(f, n);
          }
          String s = n.textValue();
          Rejection r = checkText(f.name(), s);
          if (r != null) {
            return new Outcome(null, null, r);
          }
          if (f.maxLength() >= 0 && s.codePointCount(0, s.length()) > f.maxLength()) {
            return reject(R_SCHEMA, "field \"" + f.name() + "\" is " + s.codePointCount(0, s.length())
                + " characters, more than its maxLength " + f.maxLength());
          }
          value = s;
        }
        case DATE_TIME -> {
          if (!n.isTextual()) {
            return wrongType(f, n);
          }
          try {
            value = Date.from(OffsetDateTime.parse(n.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
          } catch (DateTimeParseException | ArithmeticException e) {
            return reject(R_SCHEMA, "field \"" + f.name() + "\" is not an RFC 3339 date-time with an offset");
          }
        }
        case INTEGER -> {
          if (!n.isIntegralNumber()) {
            return wrongType(f, n);
          }
          if (!n.canConvertToLong()) {
            return reject(R_SCHEMA, "field \"" + f.name() + "\" is an integer outside the 64-bit range");
          }
          value = n.longValue();
        }
        case NUMBER -> {
          if (!n.isNumber()) {
            return wrongType(f, n);
          }
          double d = n.doubleValue();
          if (!Double.isFinite(d)) {
            return reject(R_SCHEMA, "field \"" + f.name() + "\" is a number outside the 64-bit float range");
          }
          value = d;
        }
        case BOOLEAN -> {
          if (!n.isBoolean()) {
            return wrongType(f, n);
          }
          value = n.booleanValue();
        }
        default -> throw new IllegalStateException();
      }
      struct.put(f.connectField(), value);
    }
    if (!schema.additionalProperties()) {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        if (!schema.declares(it.next())) {
          // The name itself is body content: do not echo it.
          return reject(R_SCHEMA, "the object has a property the schema does not declare "
              + "(additionalProperties is false)");
        }
      }
    }
    return new Outcome(schema.connectSchema(), struct, null);
  }

  /** PostgreSQL text cannot hold U+0000, and an unpaired surrogate has no UTF-8 form. */
  static Rejection checkText(String field, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return new Rejection(R_NUL, "field \"" + field + "\" holds U+0000, which text columns cannot store");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return new Rejection(R_BAD_UNICODE, "field \"" + field + "\" holds an unpaired UTF-16 surrogate "
            + "(not representable in UTF-8)");
      }
    }
    return null;
  }

  private static Outcome wrongType(JsonValueSchema.Field f, JsonNode n) {
    return reject(R_SCHEMA, "field \"" + f.name() + "\" must be " + (f.kind() == JsonValueSchema.Kind.DATE_TIME
        ? "a date-time string" : "of type " + f.kind().jsonType) + ", got " + kind(n));
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
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
