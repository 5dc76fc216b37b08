package io.sqspii.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * A declared JSON Schema (a small subset) compiled into a fixed Connect {@link Schema}.
 *
 * <p>Supported: a top-level {@code "type": "object"} with {@code properties} typed {@code string}, {@code integer}
 * (INT64), {@code number} (FLOAT64), {@code boolean}, {@code string} + {@code "format": "date-time"} (Connect
 * Timestamp); nullable as {@code ["<type>", "null"]}; {@code maxLength} on strings (code points, enforced by
 * {@link BodyConverter} and carried as the field schema's parameter {@value #MAX_LENGTH_PARAMETER}, where the PII
 * transform bounds the canonical form too); {@code required}; {@code additionalProperties} true/false.
 * Keywords that would constrain values but are not enforced here are rejected rather than silently ignored.
 */
final class JsonValueSchema {

  enum Kind {
    STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), DATE_TIME("string");

    final String jsonType;

    Kind(String jsonType) {
      this.jsonType = jsonType;
    }
  }

  /** {@code maxLength} is -1 when the schema declares none. */
  record Field(String name, Kind kind, boolean nullable, boolean required, int maxLength,
      org.apache.kafka.connect.data.Field connectField) {
  }

  /** Connect schema parameter of a string field that declares {@code maxLength}: the bound, in code points. */
  static final String MAX_LENGTH_PARAMETER = "maxLength";

  /** Thrown for a schema this compiler cannot honour; the message is for the user. */
  static final class InvalidSchemaException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSchemaException(String message) {
      super(message);
    }
  }

  private static final Set<String> TOP_KEYWORDS = Set.of("$schema", "$id", "$comment", "title", "description",
      "examples", "type", "properties", "required", "additionalProperties");
  private static final Set<String> PROPERTY_KEYWORDS = Set.of("$comment", "title", "description", "examples",
      "deprecated", "readOnly", "writeOnly", "type", "format", "maxLength");

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Schema connectSchema;
  private final List<Field> fields;
  private final Set<String> fieldNames;
  private final boolean additionalProperties;

  private JsonValueSchema(Schema connectSchema, List<Field> fields, boolean additionalProperties) {
    this.connectSchema = connectSchema;
    this.fields = List.copyOf(fields);
    this.fieldNames = new HashSet<>();
    fields.forEach(f -> fieldNames.add(f.name()));
    this.additionalProperties = additionalProperties;
  }

  Schema connectSchema() {
    return connectSchema;
  }

  List<Field> fields() {
    return fields;
  }

  boolean additionalProperties() {
    return additionalProperties;
  }

  boolean declares(String name) {
    return fieldNames.contains(name);
  }

  static JsonValueSchema compile(String schemaText) throws InvalidSchemaException {
    return compile(schemaText, "");
  }

  /**
   * With a non-empty {@code messageIdField}, the Connect schema gets one more (required, string) field of that
   * name after the declared ones, for the SQS message id; it must not be a declared property.
   */
  static JsonValueSchema compile(String schemaText, String messageIdField) throws InvalidSchemaException {
    JsonNode root;
    try {
      root = STRICT.readTree(schemaText);
    } catch (JsonProcessingException e) {
      throw new InvalidSchemaException("the schema is not valid JSON (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSchemaException("the schema must be a JSON object");
    }
    unsupported(root, TOP_KEYWORDS, "the schema");
    if (!"object".equals(text(root.get("type")))) {
      throw new InvalidSchemaException("the schema's \"type\" must be \"object\"");
    }
    JsonNode props = root.get("properties");
    if (props == null || !props.isObject() || props.isEmpty()) {
      throw new InvalidSchemaException("the schema needs a non-empty \"properties\" object");
    }
    Set<String> required = new HashSet<>();
    JsonNode req = root.get("required");
    if (req != null) {
      if (!req.isArray()) {
        throw new InvalidSchemaException("\"required\" must be an array of property names");
      }
      for (JsonNode n : req) {
        if (!n.isTextual() || !props.has(n.asText())) {
          throw new InvalidSchemaException("\"required\" names " + n + ", which is not a declared property");
        }
        required.add(n.asText());
      }
    }
    boolean additional = true;
    JsonNode add = root.get("additionalProperties");
    if (add != null) {
      if (!add.isBoolean()) {
        throw new InvalidSchemaException("\"additionalProperties\" must be true or false");
      }
      additional = add.booleanValue();
    }

    SchemaBuilder struct = SchemaBuilder.struct();
    String title = text(root.get("title"));
    if (title != null && !title.isBlank()) {
      struct.name(title.trim());
    }
    List<String> names = new ArrayList<>();
    List<Kind> kinds = new ArrayList<>();
    List<Boolean> nullables = new ArrayList<>();
    List<Integer> maxLengths = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      String name = e.getKey();
      if (name.isEmpty()) {
        throw new InvalidSchemaException("a property name is empty");
      }
      JsonNode p = e.getValue();
      if (!p.isObject()) {
        throw new InvalidSchemaException("property \"" + name + "\" must be described by an object");
      }
      unsupported(p, PROPERTY_KEYWORDS, "property \"" + name + "\"");
      boolean nullable = false;
      String type;
      JsonNode t = p.get("type");
      if (t != null && t.isTextual()) {
        type = t.asText();
      } else if (t != null && t.isArray() && t.size() == 2 && t.get(0).isTextual() && t.get(1).isTextual()
          && (t.get(0).asText().equals("null") ^ t.get(1).asText().equals("null"))) {
        nullable = true;
        type = t.get(0).asText().equals("null") ? t.get(1).asText() : t.get(0).asText();
      } else {
        throw new InvalidSchemaException("property \"" + name + "\": \"type\" must be one of string, integer, "
            + "number, boolean, or [\"<one of those>\", \"null\"]");
      }
      Kind kind = switch (type) {
        case "string" -> "date-time".equals(text(p.get("format"))) ? Kind.DATE_TIME : Kind.STRING;
        case "integer" -> Kind.INTEGER;
        case "number" -> Kind.NUMBER;
        case "boolean" -> Kind.BOOLEAN;
        default -> throw new InvalidSchemaException("property \"" + name + "\": type \"" + type
            + "\" is not supported (string, integer, number, boolean)");
      };
      if (p.has("format") && kind != Kind.DATE_TIME && kind != Kind.STRING) {
        throw new InvalidSchemaException("property \"" + name + "\": \"format\" applies to strings only");
      }
      int maxLength = -1;
      JsonNode ml = p.get("maxLength");
      if (ml != null) {
        if (kind != Kind.STRING) {
          throw new InvalidSchemaException("property \"" + name + "\": \"maxLength\" applies to strings only");
        }
        if (!ml.isIntegralNumber() || !ml.canConvertToInt() || ml.intValue() < 0) {
          throw new InvalidSchemaException("property \"" + name + "\": \"maxLength\" must be a non-negative "
              + "integer of at most " + Integer.MAX_VALUE);
        }
        maxLength = ml.intValue();
      }
      boolean optional = nullable || !required.contains(name);
      SchemaBuilder fb = switch (kind) {
        case STRING -> SchemaBuilder.string();
        case INTEGER -> SchemaBuilder.int64();
        case NUMBER -> SchemaBuilder.float64();
        case BOOLEAN -> SchemaBuilder.bool();
        case DATE_TIME -> Timestamp.builder();
      };
      if (optional) {
        fb.optional();
      }
      if (maxLength >= 0) {
        fb.parameter(MAX_LENGTH_PARAMETER, Integer.toString(maxLength));
      }
      String doc = text(p.get("description"));
      if (doc != null) {
        fb.doc(doc);
      }
      struct.field(name, fb.build());
      names.add(name);
      kinds.add(kind);
      nullables.add(nullable);
      maxLengths.add(maxLength);
    }
    if (!messageIdField.isEmpty()) {
      if (props.has(messageIdField)) {
        throw new InvalidSchemaException("\"" + messageIdField + "\" is declared by the schema and named by "
            + SqsSourceConfig.VALUE_MESSAGE_ID_FIELD + ": the message id needs a field of its own");
      }
      struct.field(messageIdField, Schema.STRING_SCHEMA);
    }
    Schema schema = struct.build();
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(new Field(names.get(i), kinds.get(i), nullables.get(i), required.contains(names.get(i)),
          maxLengths.get(i), schema.field(names.get(i))));
    }
    return new JsonValueSchema(schema, fields, additional);
  }

  private static void unsupported(JsonNode node, Set<String> allowed, String where) throws InvalidSchemaException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new InvalidSchemaException(where + ": keyword \"" + k + "\" is not supported (supported: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }
}
