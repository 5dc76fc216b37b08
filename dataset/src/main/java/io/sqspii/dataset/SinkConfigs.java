package io.sqspii.dataset;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Debezium JDBC sink configs of a dataset: upsert on the row key into tables apply created, never created or
 * evolved by the sink, reading rows with the schema the definition gives. Keyed by connector name ({@code <dataset>-sink}, {@code <dataset>-rejected-sink}).
 */
final class SinkConfigs {

    private SinkConfigs() {}

    static Map<String, Map<String, String>> of(Layout l) {
        Definition d = l.definition();
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> sink =
                common(d.topic(), l.keyColumn(), d.table(), RowSchema.of(d.table(), l.columns(), l.keyColumn()));
        sink.put("batch.size", "5000");
        out.put(DatasetConnectors.sinkName(d), sink);
        out.put(
                DatasetConnectors.rejectedSinkName(d),
                common(
                        d.deadLetterTopic(),
                        Layout.MESSAGE_ID,
                        d.rejectedTable(),
                        RowSchema.of(d.rejectedTable(), l.rejectedColumns(), Layout.MESSAGE_ID)));
        return out;
    }

    private static Map<String, String> common(String topic, String key, String table, String rowSchema) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topic);
        // Worker config providers fill these in; credentials never sit in a connector config.
        c.put("connection.url", "${env:JDBC_URL}");
        c.put("connection.username", "${env:JDBC_USER}");
        c.put("connection.password", "${file:/opt/connect/secrets/jdbc.properties:password}");
        c.put("insert.mode", "upsert");
        c.put("use.reduction.buffer", "true");
        c.put("connection.restart.on.errors", "true");
        c.put("flush.max.retries", "5");
        c.put("flush.retry.delay.ms", "2000");
        c.put("primary.key.mode", "record_value");
        c.put("primary.key.fields", key);
        c.put("delete.enabled", "false");
        c.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // The table is the definition's: the sink must not alter it.
        c.put("schema.evolution", "none");
        c.put("collection.name.format", table);
        // The source writes plain JSON rows; the schema comes once, from the definition (RowSchema).
        c.put("value.converter", RowSchema.JSON_CONVERTER);
        c.put("value.converter.schemas.enable", "true");
        c.put("value.converter.schema.content", rowSchema);
        return c;
    }
}
