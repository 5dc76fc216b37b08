package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Every body SQS can hold becomes a record or a dead-letter record, and the serialized records stay within the
 * bounds the README's "Record size limits" gives (which producer and topic limits are sized from).
 */
class RecordSizeTest {

    /** The README's bound on a record's value plus headers, for any configuration: 2 × 1 MiB + 16 KiB. */
    static final long RECORD_BOUND = 2L * SqsSourceConfig.SQS_MAX_BODY_BYTES + 16 * 1024;

    static final int MIB = SqsSourceConfig.SQS_MAX_BODY_BYTES;

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    /** A valid login whose device_id fills the body to exactly {@code bytes} UTF-8 bytes. */
    static String validLoginOf(int bytes) {
        String base = login(1);
        String marker = "\"593-47-1\"";
        int fill = bytes - BodyConverter.utf8Length(base) + marker.length() - 2;
        return base.replace(marker, "\"" + "d".repeat(fill) + "\"");
    }

    private static Message message(String body) {
        return Message.builder()
                .messageId("00000000-0000-4000-8000-000000000001")
                .receiptHandle("rh")
                .body(body)
                .attributes(Map.of(
                        MessageSystemAttributeName.SENT_TIMESTAMP,
                        "1700000000000",
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        "1"))
                .build();
    }

    /** Value bytes through JsonConverter (schemas on, as the pipeline runs) plus header bytes, as a worker sends. */
    private static long serializedSize(SourceRecord r) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true", "converter.type", "value"));
        SimpleHeaderConverter headers = new SimpleHeaderConverter();
        long size = json.fromConnectData(r.topic(), r.valueSchema(), r.value()).length
                + ((String) r.key()).getBytes(StandardCharsets.UTF_8).length;
        for (Header h : r.headers()) {
            size += h.key().getBytes(StandardCharsets.UTF_8).length
                    + headers.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()).length;
        }
        return size;
    }

    private static RecordFactory factory(Map<String, String> overrides) {
        Map<String, String> props = SourceProps.of("http://127.0.0.1:9324/000000000000/q");
        props.putAll(overrides);
        return new RecordFactory(SqsSourceConfig.parse(props));
    }

    @Test
    void theLargestRecordsStayWithinTheDocumentedBound() {
        RecordFactory records = factory(Map.of());
        // Worst case for JSON escaping: every character of a 1 MiB body needs two characters in the JSON string.
        for (String unit : List.of("\"", "\\", "\t", "\n")) {
            SourceRecord r = records.toRecord(message(unit.repeat(MIB))).record();
            assertThat(r.topic()).isEqualTo("user-logins.dlq");
            assertThat(((Struct) r.value()).getString("body")).hasSize(MIB);
            long size = serializedSize(r);
            assertThat(size)
                    .as("escaped " + (int) unit.charAt(0))
                    .isGreaterThan(2L * MIB)
                    .isLessThanOrEqualTo(RECORD_BOUND);
        }
        // Multi-byte characters are written as they are (UTF-8), not escaped.
        SourceRecord wide = records.toRecord(message("\u20ac".repeat(MIB / 3))).record();
        assertThat(serializedSize(wide)).isLessThan(MIB + 16 * 1024);
        // The largest valid record: the value is no longer than the body plus the schema.
        SourceRecord valid = records.toRecord(message(validLoginOf(MIB))).record();
        assertThat(valid.topic()).isEqualTo("user-logins");
        assertThat(serializedSize(valid)).isLessThanOrEqualTo(MIB + 16 * 1024);
    }

    @Test
    void aDeadLetterBodyAboveTheCapIsCutAtACharacterBoundaryAndTheErrorSaysSo() {
        RecordFactory records = factory(Map.of(SqsSourceConfig.DLQ_MAX_BODY_BYTES, "100000"));
        Map<String, Integer> keptBytes =
                Map.of("x", 100_000, "\u00e9", 100_000, "\u20ac", 99_999, "\ud83d\ude00", 100_000);
        keptBytes.forEach((unit, kept) -> {
            String body = unit.repeat(MIB / BodyConverter.utf8Length(unit));
            int bytes = BodyConverter.utf8Length(body);
            SourceRecord r = records.toRecord(message(body)).record();
            Struct v = (Struct) r.value();
            assertThat(v.getString("body"))
                    .as(unit)
                    .isEqualTo(body.substring(0, v.getString("body").length()));
            assertThat(BodyConverter.utf8Length(v.getString("body"))).as(unit).isEqualTo(kept);
            assertThat(v.getString("error"))
                    .as(unit)
                    .startsWith("not valid JSON")
                    .endsWith("; body truncated from " + bytes + " to " + kept + " bytes")
                    .isEqualTo(r.headers()
                            .lastWithName(RecordFactory.H_ERROR_MESSAGE)
                            .value());
            assertThat(r.headers().lastWithName(RecordFactory.H_ERROR_REASON).value())
                    .isEqualTo(BodyConverter.R_NOT_JSON);
        });
        // At or under the cap, the body is kept whole and the error does not mention truncation.
        Struct whole =
                (Struct) records.toRecord(message("x".repeat(100_000))).record().value();
        assertThat(whole.getString("body")).hasSize(100_000);
        assertThat(whole.getString("error")).doesNotContain("truncated");
    }

    @Test
    void bodiesOfSqsMaximumSizeBetweenOrdinaryOnesAllBecomeRecords() throws Exception {
        String queue = sqs.createQueue(60);
        List<String> bodies = new ArrayList<>();
        bodies.add(login(1));
        bodies.add(validLoginOf(MIB)); // valid, 1 MiB
        bodies.add(login(2));
        bodies.add("{\"user_id\":\"" + "\u00e9".repeat(MIB / 2 - 20) + "\""); // truncated JSON, 1 MiB less a little
        bodies.add(login(3));
        bodies.add("\"".repeat(MIB)); // not an object, 1 MiB of quotes
        bodies.add(login(4));
        List<String> ids = new ArrayList<>();
        for (String body : bodies) {
            ids.add(sqs.client()
                    .sendMessage(b -> b.queueUrl(queue).messageBody(body))
                    .messageId());
        }
        Map<String, String> props = SourceProps.of(queue);
        SqsSourceTask task = TestTasks.start(props);
        try {
            List<SourceRecord> records = TestTasks.pollAtLeast(task, bodies.size(), 30_000);
            assertThat(records).hasSize(bodies.size());
            Map<String, SourceRecord> byId = new HashMap<>();
            records.forEach(r -> byId.put((String) r.key(), r));
            for (int i = 0; i < bodies.size(); i++) {
                SourceRecord r = byId.get(ids.get(i));
                boolean invalid = i == 3 || i == 5;
                assertThat(r.topic()).as("body " + i).isEqualTo(invalid ? "user-logins.dlq" : "user-logins");
                if (invalid) {
                    assertThat(((Struct) r.value()).getString("body"))
                            .as("body " + i + " intact")
                            .isEqualTo(bodies.get(i));
                }
                assertThat(serializedSize(r)).isLessThanOrEqualTo(RECORD_BOUND);
            }
            assertThat(((Struct) byId.get(ids.get(1)).value()).getString("device_id"))
                    .hasSizeGreaterThan(MIB - 200);
            TestTasks.ackAll(task, records);
            await().atMost(Duration.ofSeconds(20)).until(() -> sqs.remaining(queue) == 0);
        } finally {
            task.stop();
        }
    }
}
