package io.sqspii.sqs;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Builds the Kafka record for one SQS message: the value record, or a dead-letter record. */
final class RecordFactory {

    static final String H_MESSAGE_ID = "sqs.message.id";
    static final String H_SENT_TIMESTAMP = "sqs.sent.timestamp";
    static final String H_RECEIVE_COUNT = "sqs.receive.count";
    static final String H_FIRST_RECEIVE_TIMESTAMP = "sqs.first.receive.timestamp";
    static final String H_GROUP_ID = "sqs.message.group.id";
    static final String H_SEQUENCE_NUMBER = "sqs.sequence.number";
    static final String H_DEDUPLICATION_ID = "sqs.message.deduplication.id";
    static final String H_ATTR_PREFIX = "sqs.attr.";
    static final String H_ERROR_REASON = "sqs.error.reason";
    static final String H_ERROR_MESSAGE = "sqs.error.message";
    static final String OFFSET_MESSAGE_ID = "message.id";

    static final Schema DLQ_SCHEMA = SchemaBuilder.struct()
            .name("io.sqspii.sqs.DeadLetter")
            .doc("An SQS message whose body could not become a record value")
            .field("message_id", Schema.STRING_SCHEMA)
            .field("error", Schema.STRING_SCHEMA)
            .field("body", Schema.STRING_SCHEMA)
            .build();

    /** The record (null when an invalid message is left in SQS) and why the body was rejected (null if valid). */
    record Result(SourceRecord record, BodyConverter.Rejection rejection) {}

    private final String topic;
    private final String dlqTopic; // null: invalid messages stay in SQS
    private final BodyConverter converter;
    private final Map<String, String> sourcePartition;
    private final boolean fifo;
    private final String messageIdField; // null: the value does not carry the message id
    private final int dlqMaxBodyBytes;
    private final java.util.Set<String> includedAttributes;
    private final FifoIds fifoIds;
    private final FifoIds.Hasher hasher; // null unless fifoIds is HASH with a key

    RecordFactory(SqsSourceSettings settings) {
        SqsSourceSettings.Output out = settings.output();
        this.topic = out.topic();
        this.dlqTopic = out.dlqTopic().orElse(null);
        JsonValueSchema schema = null;
        if (out.valueSchema().isPresent()) {
            SqsSourceSettings.ValueSchemaSource source = out.valueSchema().get();
            try {
                schema = source.compile(out.messageIdField());
            } catch (JsonValueSchema.InvalidSchemaException e) {
                throw ConfigErrors.invalid(source.key(), e.getMessage());
            }
        }
        this.converter = new BodyConverter(schema, out.maxBodyBytes(), out.jsonMaxNestingDepth());
        this.sourcePartition = Map.of("queue", settings.queue().url());
        this.fifo = settings.queue().fifo();
        this.messageIdField = out.messageIdField().orElse(null);
        this.dlqMaxBodyBytes = out.dlqMaxBodyBytes();
        this.includedAttributes = java.util.Set.copyOf(out.attributes());
        this.fifoIds = out.fifoIds();
        this.hasher = fifoIds != FifoIds.HASH
                ? null
                : out.fifoIdsHashKey().map(k -> new FifoIds.Hasher(k.value())).orElse(null);
    }

    /**
     * The record of {@code m}; never throws: a body that cannot become a value (for whatever reason, even an
     * unforeseen one) becomes a dead-letter record, or a rejection when there is no {@code dlq.topic}.
     */
    Result toRecord(Message m) {
        try {
            return build(m);
        } catch (RuntimeException e) {
            // The exception's message may quote the body: only its type is kept.
            BodyConverter.Rejection r = new BodyConverter.Rejection(
                    BodyConverter.R_CONVERSION_FAILED,
                    "conversion failed unexpectedly (" + e.getClass().getSimpleName() + ")");
            if (dlqTopic == null) {
                return new Result(null, r);
            }
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString(H_MESSAGE_ID, m.messageId());
            Long sent = parseLong(attribute(m.attributesAsStrings(), MessageSystemAttributeName.SENT_TIMESTAMP));
            return new Result(deadLetter(m, keyOf(m), sent, headers, r), r);
        }
    }

    private static String attribute(Map<String, String> attributes, MessageSystemAttributeName name) {
        return attributes.get(name.toString());
    }

    /** The message id a record came from (its source offset), whatever its key and whatever SMTs did. */
    static String messageIdOf(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        Object id = offset == null ? null : offset.get(OFFSET_MESSAGE_ID);
        return id instanceof String s ? s : null;
    }

    /**
     * FIFO queues: the message group (as sqs.fifo.ids has it), so that one group stays in one partition, in
     * order. Else, and with sqs.fifo.ids=drop, the message id.
     */
    private String keyOf(Message m) {
        if (fifo) {
            String group = fifoId(attribute(m.attributesAsStrings(), MessageSystemAttributeName.MESSAGE_GROUP_ID));
            if (group != null) {
                return group;
            }
        }
        return m.messageId();
    }

    /** A producer-chosen FIFO id as it may reach Kafka: null (dropped or absent), its HMAC token, or itself. */
    private String fifoId(String id) {
        if (id == null) {
            return null;
        }
        return switch (fifoIds) {
            case DROP -> null;
            case KEEP -> id;
            case HASH -> hasher == null ? null : hasher.token(id); // no key: only a standard queue, without ids
        };
    }

    private Result build(Message m) {
        String id = m.messageId();
        String key = keyOf(m);
        // attributesAsStrings() is the SDK's own map; attributes() copies it into a new enum map on every call.
        Map<String, String> attrs = m.attributesAsStrings();
        Long sent = parseLong(attribute(attrs, MessageSystemAttributeName.SENT_TIMESTAMP));
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(H_MESSAGE_ID, id);
        if (sent != null) {
            headers.addLong(H_SENT_TIMESTAMP, sent);
        }
        Long count = parseLong(attribute(attrs, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        if (count != null) {
            headers.addInt(H_RECEIVE_COUNT, (int) Math.min(Integer.MAX_VALUE, count));
        }
        Long first = parseLong(attribute(attrs, MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP));
        if (first != null) {
            headers.addLong(H_FIRST_RECEIVE_TIMESTAMP, first);
        }
        addIfPresent(headers, H_GROUP_ID, fifoId(attribute(attrs, MessageSystemAttributeName.MESSAGE_GROUP_ID)));
        addIfPresent(headers, H_SEQUENCE_NUMBER, attribute(attrs, MessageSystemAttributeName.SEQUENCE_NUMBER));
        addIfPresent(
                headers,
                H_DEDUPLICATION_ID,
                fifoId(attribute(attrs, MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)));
        for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
            if (!includedAttributes.contains(e.getKey())) {
                continue; // only allow-listed attributes reach Kafka, whatever SQS returned
            }
            MessageAttributeValue v = e.getValue();
            String type = v.dataType() == null ? "String" : v.dataType();
            if (type.startsWith("Binary")) {
                if (v.binaryValue() != null) {
                    headers.addBytes(H_ATTR_PREFIX + e.getKey(), v.binaryValue().asByteArray());
                }
            } else if (v.stringValue() != null) {
                // String and Number (kept as its exact decimal text; SQS numbers can exceed double precision).
                headers.addString(H_ATTR_PREFIX + e.getKey(), v.stringValue());
            }
        }

        BodyConverter.Outcome outcome = converter.convert(m.body());
        if (outcome.valid()) {
            if (messageIdField != null) {
                ((Struct) outcome.value()).put(messageIdField, id);
            }
            return new Result(
                    new SourceRecord(
                            sourcePartition,
                            Map.of(OFFSET_MESSAGE_ID, id),
                            topic,
                            null,
                            Schema.STRING_SCHEMA,
                            key,
                            outcome.schema(),
                            outcome.value(),
                            sent,
                            headers),
                    null);
        }
        BodyConverter.Rejection r = outcome.rejection();
        if (dlqTopic == null) {
            return new Result(null, r);
        }
        return new Result(deadLetter(m, key, sent, headers, r), r);
    }

    /**
     * The dead-letter record: the body whole, or — above {@code dlq.max.body.bytes} — its first bytes (cut at a
     * character boundary), and the error says so. The message is never dropped for its size.
     */
    private SourceRecord deadLetter(
            Message m, String key, Long sent, ConnectHeaders headers, BodyConverter.Rejection r) {
        String body = m.body() == null ? "" : m.body();
        String error = r.message();
        int bytes = BodyConverter.utf8Length(body);
        if (bytes > dlqMaxBodyBytes) {
            body = truncateUtf8(body, dlqMaxBodyBytes);
            error = error + "; body truncated from " + bytes + " to " + BodyConverter.utf8Length(body) + " bytes";
        }
        headers.addString(H_ERROR_REASON, r.reason());
        headers.addString(H_ERROR_MESSAGE, error);
        Struct value = new Struct(DLQ_SCHEMA)
                .put("message_id", m.messageId())
                .put("error", error)
                .put("body", body);
        return new SourceRecord(
                sourcePartition,
                Map.of(OFFSET_MESSAGE_ID, m.messageId()),
                dlqTopic,
                null,
                Schema.STRING_SCHEMA,
                key,
                DLQ_SCHEMA,
                value,
                sent,
                headers);
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean pair =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            int n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += pair ? 2 : 1;
        }
        return s.substring(0, i);
    }

    private static void addIfPresent(ConnectHeaders headers, String name, String value) {
        if (value != null) {
            headers.addString(name, value);
        }
    }

    private static Long parseLong(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
