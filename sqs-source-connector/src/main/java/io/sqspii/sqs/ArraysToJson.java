package io.sqspii.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces every array field of the record's (flat) Struct or Map by its JSON text, so that a row-shaped record can
 * store a nested array in one {@code jsonb} column: the JDBC sink writes a string of schema name
 * {@code io.debezium.data.Json} with a {@code cast(? as jsonb)}. The elements keep their shape: objects stay objects,
 * values already encrypted stay ciphertext in place. Logical types become their ISO text (Date {@code 2026-12-04},
 * Timestamp an ISO-8601 instant), Decimal a number, bytes base64. Other fields pass through.
 */
public abstract class ArraysToJson<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    public static final String OVERVIEW_DOC = "Replace every array field of the record's top-level Struct (or Map) by "
            + "its JSON text, as an optional string of schema name " + ArraysToJson.JSON_SCHEMA_NAME
            + " (the JDBC sink "
            + "writes it to a jsonb column). Nested objects in the elements stay JSON objects; Date and Timestamp become "
            + "ISO-8601 text.";

    /** Debezium's semantic name of a JSON string: its PostgreSQL dialect binds it as json or jsonb. */
    static final String JSON_SCHEMA_NAME = "io.debezium.data.Json";
    /** Debezium reads the column type it binds to from this parameter (JSONB: cast(? as jsonb)). */
    static final String COLUMN_TYPE_PARAMETER = "__debezium.source.column.type";

    static final ConfigDef CONFIG_DEF = new ConfigDef();

    private static final Schema JSON_SCHEMA = SchemaBuilder.string()
            .optional()
            .name(JSON_SCHEMA_NAME)
            .parameter(COLUMN_TYPE_PARAMETER, "JSONB")
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(16));

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure: every array field is converted
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        Schema schema = operatingSchema(record);
        if (value == null) {
            return record;
        }
        if (schema == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException("ArraysToJson needs a Struct or a Map, found "
                        + value.getClass().getSimpleName());
            }
            Map<Object, Object> out = new LinkedHashMap<>(map.size());
            map.forEach((k, v) -> out.put(k, v instanceof List<?> list ? text(toJson(null, list)) : v));
            return newRecord(record, null, out);
        }
        if (schema.type() != Schema.Type.STRUCT || !(value instanceof Struct struct)) {
            throw new DataException("ArraysToJson needs a Struct or a Map, found schema type " + schema.type());
        }
        Schema updated = schemas.get(schema);
        if (updated == null) {
            updated = updatedSchema(schema);
            schemas.put(schema, updated);
        }
        if (updated == schema) {
            return record;
        }
        Struct out = new Struct(updated);
        for (Field f : schema.fields()) {
            Object v = struct.get(f);
            out.put(f.name(), f.schema().type() == Schema.Type.ARRAY && v != null ? text(toJson(f.schema(), v)) : v);
        }
        return newRecord(record, updated, out);
    }

    private static Schema updatedSchema(Schema schema) {
        if (schema.fields().stream().noneMatch(f -> f.schema().type() == Schema.Type.ARRAY)) {
            return schema;
        }
        SchemaBuilder b = SchemaBuilder.struct()
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc());
        if (schema.parameters() != null) {
            b.parameters(schema.parameters());
        }
        for (Field f : schema.fields()) {
            b.field(f.name(), f.schema().type() == Schema.Type.ARRAY ? JSON_SCHEMA : f.schema());
        }
        if (schema.isOptional()) {
            b.optional();
        }
        return b.build();
    }

    private static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new DataException("ArraysToJson cannot write JSON text: " + e.getOriginalMessage());
        }
    }

    /** {@code schema} null: a schemaless value. Never quotes a value in an error. */
    static JsonNode toJson(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        String logical = schema == null ? null : schema.name();
        if (logical != null) {
            switch (logical) {
                case org.apache.kafka.connect.data.Date.LOGICAL_NAME:
                    return NODES.textNode(LocalDate.ofInstant(((Date) value).toInstant(), ZoneOffset.UTC)
                            .toString());
                case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME:
                    return NODES.textNode(((Date) value).toInstant().toString());
                case org.apache.kafka.connect.data.Time.LOGICAL_NAME:
                    return NODES.textNode(LocalTime.ofInstant(((Date) value).toInstant(), ZoneOffset.UTC)
                            .toString());
                case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME:
                    return NODES.numberNode((BigDecimal) value);
                default:
                    break;
            }
        }
        if (value instanceof Struct s) {
            ObjectNode o = NODES.objectNode();
            for (Field f : s.schema().fields()) {
                o.set(f.name(), toJson(f.schema(), s.get(f)));
            }
            return o;
        }
        if (value instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            Schema element = schema == null ? null : schema.valueSchema();
            list.forEach(v -> a.add(toJson(element, v)));
            return a;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            Schema element = schema == null || schema.type() != Schema.Type.MAP ? null : schema.valueSchema();
            map.forEach((k, v) -> o.set(String.valueOf(k), toJson(element, v)));
            return o;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return NODES.textNode(Base64.getEncoder().encodeToString(copy));
        }
        if (value instanceof Date d) {
            return NODES.textNode(d.toInstant().toString());
        }
        throw new DataException(
                "ArraysToJson cannot write a value of type " + value.getClass().getSimpleName());
    }

    abstract Schema operatingSchema(R record);

    abstract Object operatingValue(R record);

    abstract R newRecord(R record, Schema updatedSchema, Object updatedValue);

    /** Converts the arrays of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends ArraysToJson<R> {
        @Override
        Schema operatingSchema(R record) {
            return record.keySchema();
        }

        @Override
        Object operatingValue(R record) {
            return record.key();
        }

        @Override
        R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    updatedSchema,
                    updatedValue,
                    record.valueSchema(),
                    record.value(),
                    record.timestamp(),
                    record.headers());
        }
    }

    /** Converts the arrays of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends ArraysToJson<R> {
        @Override
        Schema operatingSchema(R record) {
            return record.valueSchema();
        }

        @Override
        Object operatingValue(R record) {
            return record.value();
        }

        @Override
        R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    record.keySchema(),
                    record.key(),
                    updatedSchema,
                    updatedValue,
                    record.timestamp(),
                    record.headers());
        }
    }
}
