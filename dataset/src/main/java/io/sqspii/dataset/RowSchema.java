package io.sqspii.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Connect schema of a table's rows, in the JSON form Kafka's JsonConverter reads from its {@code schema.content}
 * setting: a sink gets the schema once, from the definition, instead of once per record on the wire. Types follow the
 * column's SQL type; every field but the row key is optional, because the table's NOT NULL is what enforces presence
 * (a record that lacks a required value fails at the table, with the sink's usual error handling).
 */
final class RowSchema {

    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    /** Debezium's semantic type of a JSON string: its PostgreSQL dialect binds it with a cast to the column type. */
    static final String DEBEZIUM_JSON = "io.debezium.data.Json";

    static final String DEBEZIUM_COLUMN_TYPE = "__debezium.source.column.type";

    private RowSchema() {}

    /** The schema as JsonConverter's schema.content text. */
    static String of(String name, List<Layout.Column> columns, String keyColumn) {
        ObjectNode schema = Definition.JSON.createObjectNode();
        schema.put("type", "struct");
        schema.put("name", name);
        schema.put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        for (Layout.Column c : columns) {
            ObjectNode f = fields.addObject();
            f.put("field", c.name());
            type(f, c.sqlType());
            f.put("optional", !c.name().equals(keyColumn));
        }
        try {
            return Definition.JSON.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void type(ObjectNode f, String sqlType) {
        switch (sqlType) {
            case "text" -> f.put("type", "string");
            case "bigint" -> f.put("type", "int64");
            case "double precision" -> f.put("type", "double");
            case "boolean" -> f.put("type", "boolean");
            case "timestamptz" ->
                f.put("type", "int64")
                        .put("name", "org.apache.kafka.connect.data.Timestamp")
                        .put("version", 1);
            case "date" ->
                f.put("type", "int32")
                        .put("name", "org.apache.kafka.connect.data.Date")
                        .put("version", 1);
            case "jsonb" ->
                f.put("type", "string")
                        .put("name", DEBEZIUM_JSON)
                        .putObject("parameters")
                        .put(DEBEZIUM_COLUMN_TYPE, "JSONB");
            default -> throw new IllegalStateException("no Connect type for SQL type " + sqlType);
        }
    }
}
