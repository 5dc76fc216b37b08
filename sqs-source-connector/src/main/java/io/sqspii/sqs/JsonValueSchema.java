package io.sqspii.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sqspii.dataset.DefinitionException;
import io.sqspii.dataset.EventSchema;
import io.sqspii.dataset.SchemaNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * A declared event schema compiled by the dataset model ({@link EventSchema}: the JSON Schema subset dataset
 * definitions use, declared once) and translated into a fixed Connect {@link Schema}: objects → Struct (any depth),
 * arrays → Array, {@code string} → STRING (format {@code date-time} → Timestamp, {@code date} → Date; the other
 * formats stay strings), {@code integer} → INT64, {@code number} → FLOAT64, {@code boolean} → BOOLEAN; a property
 * is optional when nullable or not required. A string's {@code maxLength} (code points, enforced by
 * {@link BodyConverter}) is carried as the schema parameter {@value #MAX_LENGTH_PARAMETER}, where the PII transform
 * bounds the canonical form too. The root's {@code title} names the Struct; descriptions become docs.
 */
final class JsonValueSchema {

    /** Connect schema parameter of a string field that declares {@code maxLength}: the bound, in code points. */
    static final String MAX_LENGTH_PARAMETER = "maxLength";

    /** How schema problems name their origin: {@code value schema#/properties/a/pattern: ...}. */
    private static final String LABEL = "value schema";

    /** Thrown for a schema this compiler cannot honour; the message is for the user. */
    static final class InvalidSchemaException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSchemaException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final SchemaNode root;
    private final Schema connectSchema;

    private JsonValueSchema(SchemaNode root, Schema connectSchema) {
        this.root = root;
        this.connectSchema = connectSchema;
    }

    Schema connectSchema() {
        return connectSchema;
    }

    /** The compiled tree {@link BodyConverter} validates against, node by node beside {@link #connectSchema()}. */
    SchemaNode root() {
        return root;
    }

    static JsonValueSchema compile(String schemaText) throws InvalidSchemaException {
        return compile(schemaText, "");
    }

    /**
     * With a non-empty {@code messageIdField}, the Connect schema gets one more (required, string) field of that
     * name after the declared ones, for the SQS message id; it must not be a declared property.
     */
    static JsonValueSchema compile(String schemaText, String messageIdField) throws InvalidSchemaException {
        JsonNode json;
        try {
            json = STRICT.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new InvalidSchemaException(
                    "the schema is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        }
        SchemaNode root;
        try {
            root = EventSchema.compile(LABEL, json);
        } catch (DefinitionException e) {
            throw new InvalidSchemaException(String.join("; ", e.problems()));
        }
        if (!messageIdField.isEmpty()
                && root.properties().stream().anyMatch(p -> p.name().equals(messageIdField))) {
            throw new InvalidSchemaException("\"" + messageIdField + "\" is declared by the schema and named by "
                    + SqsSourceConfig.VALUE_MESSAGE_ID_FIELD + ": the message id needs a field of its own");
        }
        SchemaBuilder struct = SchemaBuilder.struct();
        if (root.title() != null && !root.title().isBlank()) {
            struct.name(root.title().trim());
        }
        fields(struct, root);
        if (!messageIdField.isEmpty()) {
            struct.field(messageIdField, Schema.STRING_SCHEMA);
        }
        return new JsonValueSchema(root, struct.build());
    }

    private static void fields(SchemaBuilder struct, SchemaNode object) {
        for (SchemaNode.Property p : object.properties()) {
            struct.field(p.name(), translate(p.node(), p.node().nullable() || !p.required()));
        }
    }

    /** The Connect schema of one node below the root. */
    static Schema translate(SchemaNode n, boolean optional) {
        SchemaBuilder b = switch (n.kind()) {
            case OBJECT -> {
                SchemaBuilder s = SchemaBuilder.struct();
                fields(s, n);
                yield s;
            }
            case ARRAY -> SchemaBuilder.array(translate(n.items(), n.items().nullable()));
            case STRING ->
                "date-time".equals(n.format())
                        ? Timestamp.builder()
                        : "date".equals(n.format()) ? Date.builder() : SchemaBuilder.string();
            case INTEGER -> SchemaBuilder.int64();
            case NUMBER -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
        };
        if (optional) {
            b.optional();
        }
        if (n.maxLength() >= 0 && b.type() == Schema.Type.STRING) {
            b.parameter(MAX_LENGTH_PARAMETER, Integer.toString(n.maxLength()));
        }
        if (n.description() != null) {
            b.doc(n.description());
        }
        return b.build();
    }
}
