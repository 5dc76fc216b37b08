package io.sqspii.pii;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Turns a record that cannot be encrypted within its bounds into a dead-letter record of the SQS source
 * connector's own form (sqs-source-connector/README.md): value {@code Struct{message_id, error, body}} under the
 * same schema name, headers {@code sqs.error.reason} and {@code sqs.error.message}. The body is the record value
 * as it reached this transform (nothing encrypted yet), re-serialised as JSON; a later transform selected by the
 * {@code sqs.error.reason} header (the shipped encryptBody) encrypts it, as it does the connector's own.
 */
final class DeadLetters implements AutoCloseable {
    static final String H_ERROR_REASON = "sqs.error.reason";
    static final String H_ERROR_MESSAGE = "sqs.error.message";
    static final String H_MESSAGE_ID = "sqs.message.id";
    static final String REASON = "field_too_large";

    static final Schema SCHEMA = SchemaBuilder.struct()
            .name("io.sqspii.sqs.DeadLetter")
            .doc("An SQS message whose body could not become a record value")
            .field("message_id", Schema.STRING_SCHEMA)
            .field("error", Schema.STRING_SCHEMA)
            .field("body", Schema.STRING_SCHEMA)
            .build();

    private final String topic;
    private final JsonConverter json = new JsonConverter();

    DeadLetters(String topic) {
        this.topic = topic;
        // no schema envelope: the body is the message's JSON; date-times become epoch milliseconds
        json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    }

    <R extends ConnectRecord<R>> R deadLetter(R record, String error) {
        String body = new String(
                json.fromConnectData(record.topic(), record.valueSchema(), record.value()), StandardCharsets.UTF_8);
        Headers headers = record.headers().duplicate();
        headers.remove(H_ERROR_REASON).remove(H_ERROR_MESSAGE);
        headers.addString(H_ERROR_REASON, REASON);
        headers.addString(H_ERROR_MESSAGE, error);
        Struct value = new Struct(SCHEMA)
                .put("message_id", messageId(record))
                .put("error", error)
                .put("body", body);
        return record.newRecord(
                topic, null, record.keySchema(), record.key(), SCHEMA, value, record.timestamp(), headers);
    }

    /** The connector's {@code sqs.message.id} header, else a text key, else empty. */
    private static String messageId(ConnectRecord<?> record) {
        Header h = record.headers().lastWithName(H_MESSAGE_ID);
        if (h != null && h.value() != null) {
            return h.value().toString();
        }
        return record.key() instanceof String s ? s : "";
    }

    @Override
    public void close() {
        json.close();
    }
}
