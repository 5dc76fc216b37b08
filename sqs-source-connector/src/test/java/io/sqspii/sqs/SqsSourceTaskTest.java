package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsSourceTaskTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    static String login(int i) {
        return "{\"user_id\":\"u-" + i + "\",\"app_version\":\"2.3." + (i % 7) + "\",\"device_type\":\"android\","
                + "\"ip\":\"10.0." + (i / 250) + "." + (i % 250) + "\",\"locale\":" + (i % 5 == 0 ? "null" : "\"RU\"")
                + ",\"device_id\":\"593-47-" + i + "\"}";
    }

    @Test
    void thousandMessagesBecomeRecordsAndAreDeletedAfterTheAck() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bodies.add(login(i));
        }
        long before = System.currentTimeMillis();
        List<String> ids = sqs.send(queue, bodies);
        long after = System.currentTimeMillis();
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            indexById.put(ids.get(i), i);
        }

        SqsSourceTask task = tasks.start(SourceProps.of(queue));
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 1000, 60_000);
        assertThat(records).hasSize(1000);
        Set<String> seen = new HashSet<>();
        for (SourceRecord r : records) {
            assertThat(r.topic()).isEqualTo("user-logins");
            String id = (String) r.key();
            assertThat(seen.add(id)).as("each message once").isTrue();
            Integer i = indexById.get(id);
            assertThat(i).as("key is the SQS MessageId").isNotNull();
            assertThat(r.timestamp()).isBetween(before - 1000, after + 1000);
            assertThat(header(r, RecordFactory.H_MESSAGE_ID)).isEqualTo(id);
            assertThat(header(r, RecordFactory.H_SENT_TIMESTAMP)).isEqualTo(r.timestamp());
            assertThat(header(r, RecordFactory.H_RECEIVE_COUNT)).isEqualTo(1);
            Struct v = (Struct) r.value();
            v.validate();
            assertThat(v.schema()).isEqualTo(r.valueSchema());
            assertThat(v.getString("user_id")).isEqualTo("u-" + i);
            assertThat(v.getString("app_version")).isEqualTo("2.3." + (i % 7));
            assertThat(v.getString("device_type")).isEqualTo("android");
            assertThat(v.getString("ip")).isEqualTo("10.0." + (i / 250) + "." + (i % 250));
            assertThat(v.getString("locale")).isEqualTo(i % 5 == 0 ? null : "RU");
            assertThat(v.getString("device_id")).isEqualTo("593-47-" + i);
        }
        assertThat(sqs.remaining(queue)).as("nothing deleted before the ack").isEqualTo(1000);

        TestTasks.ackAll(task, records);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> task.metrics().deleted.get() == 1000);
        assertThat(sqs.remaining(queue)).isZero();
        assertThat(task.metrics().received.get()).isEqualTo(1000);
        assertThat(task.inFlightMessages()).isEmpty();
    }

    @Test
    void aRecordATransformationFilteredOutIsDoneWithUnderTheDefaultErrorTolerance() throws Exception {
        String queue = sqs.createQueue(30);
        sqs.send(queue, List.of(login(1), login(2)));
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 2, 20_000);
        // errors.tolerance=none: Connect reports a record without metadata only when a transformation (say, a
        // Filter) dropped it; a failed send fails the task instead. The message is done with: deleted.
        TestTasks.ackAll(task, records.subList(0, 1));
        task.commitRecord(records.get(1), null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.metrics().deleted.get() == 2);
        assertThat(task.metrics().notInKafka.get()).isZero();
        assertThat(sqs.remaining(queue)).isZero();
        assertThat(TestTasks.pollFor(task, 4000))
                .as("nothing delivered again after the visibility timeout")
                .isEmpty();
    }

    @Test
    void unackedMessagesComeBackAfterTheVisibilityTimeoutOnceTheTaskStopped() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> ids = sqs.send(queue, List.of(login(1), login(2), login(3), login(4), login(5)));
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
        props.put("errors.tolerance", "all");
        SqsSourceTask first = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(first, 5, 20_000);
        assertThat(records).extracting(SourceRecord::key).containsExactlyInAnyOrderElementsOf(ids);
        // Ack one of them, then stop: the other four must come back, the acked one must not. The second record is
        // reported without metadata, as Connect does with errors.tolerance=all when a record did not reach Kafka (a
        // failed conversion or send, or a transformation that dropped it): that is not an ack, its message stays.
        TestTasks.ackAll(first, records.subList(0, 1));
        first.commitRecord(records.get(1), null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> first.metrics().deleted.get() == 1);
        assertThat(first.metrics().notInKafka.get()).isEqualTo(1);
        first.stop();
        await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
        assertThat(first.metrics().deleted.get()).isEqualTo(1);

        SqsSourceTask second = tasks.start(props);
        List<SourceRecord> again = TestTasks.pollAtLeast(second, 4, 20_000);
        assertThat(again)
                .extracting(SourceRecord::key)
                .containsExactlyInAnyOrderElementsOf(
                        records.subList(1, 5).stream().map(SourceRecord::key).toList());
        assertThat(again)
                .allSatisfy(r ->
                        assertThat(header(r, RecordFactory.H_RECEIVE_COUNT)).isEqualTo(2));
        TestTasks.ackAll(second, again);
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        assertThat(TestTasks.pollFor(second, 2500)).as("no further redelivery").isEmpty();
    }

    @Test
    void invalidBodiesBecomeDeadLetterRecordsWithTheBodyIntact() throws Exception {
        String queue = sqs.createQueue(30);
        StringBuilder deep = new StringBuilder("{\"user_id\":");
        for (int i = 0; i < 200; i++) {
            deep.append('[');
        }
        for (int i = 0; i < 200; i++) {
            deep.append(']');
        }
        deep.append('}');
        Map<String, String> invalid = new java.util.LinkedHashMap<>();
        invalid.put("not json", "hello 10.1.2.3 not json");
        invalid.put("foreign object", "{\"foo\":\"oops_wrong_msg_format\"}");
        invalid.put("truncated", login(1).substring(0, 40));
        invalid.put("wrong type", login(2).replace("\"ip\":\"10.0.0.2\"", "\"ip\":1234"));
        invalid.put("missing required", login(3).replace(",\"device_id\":\"593-47-3\"", ""));
        invalid.put("deep nesting", deep.toString());
        invalid.put("duplicate key", login(4).replace("{", "{\"ip\":\"10.9.9.9\","));
        invalid.put("U+0000", login(5).replace("\"device_type\":\"android\"", "\"device_type\":\"andr\\u0000oid\""));
        invalid.put("unpaired surrogate", login(6).replace("\"RU\"", "\"R\\ud800U\""));
        invalid.put("array", "[" + login(7) + "]");
        invalid.put("null required", login(8).replace("\"android\"", "null"));
        invalid.put("over-long", login(9).replace("\"android\"", "\"" + "a".repeat(3000) + "\""));
        invalid.put("empty object", "{}");
        invalid.put("trailing garbage", login(10) + " {");

        List<String> bodies = new ArrayList<>(invalid.values());
        bodies.add(login(100));
        bodies.add(login(101));
        List<String> ids = sqs.send(queue, bodies);
        Map<String, String> bodyById = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            bodyById.put(ids.get(i), bodies.get(i));
        }

        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.MAX_BODY_BYTES, "2048");
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(task, bodies.size(), 20_000);
        assertThat(records).hasSize(bodies.size());
        List<String> kinds = new ArrayList<>(invalid.keySet());
        for (SourceRecord r : records) {
            String id = (String) r.key();
            String body = bodyById.get(id);
            int index = ids.indexOf(id);
            if (index >= invalid.size()) {
                assertThat(r.topic()).isEqualTo("user-logins");
                continue;
            }
            String kind = kinds.get(index);
            assertThat(r.topic()).as(kind).isEqualTo("user-logins.dlq");
            Struct v = (Struct) r.value();
            v.validate();
            assertThat(v.getString("message_id")).isEqualTo(id);
            assertThat(v.getString("body")).as(kind + ": body intact").isEqualTo(body);
            String error = v.getString("error");
            assertThat(error).as(kind).isNotBlank();
            assertThat(header(r, RecordFactory.H_ERROR_MESSAGE)).isEqualTo(error);
            assertThat((String) header(r, RecordFactory.H_ERROR_REASON))
                    .as(kind)
                    .isNotBlank();
            // The error never quotes the body.
            assertThat(error)
                    .as(kind)
                    .doesNotContain("10.")
                    .doesNotContain("hello")
                    .doesNotContain("593-47")
                    .doesNotContain("oops")
                    .doesNotContain("aaaa")
                    .doesNotContain("u-");
            assertThat(r.timestamp()).isEqualTo(header(r, RecordFactory.H_SENT_TIMESTAMP));
        }
        Map<String, String> reasonByKind = new HashMap<>();
        for (SourceRecord r : records) {
            int index = ids.indexOf((String) r.key());
            if (index < invalid.size()) {
                reasonByKind.put(kinds.get(index), (String) header(r, RecordFactory.H_ERROR_REASON));
            }
        }
        assertThat(reasonByKind)
                .containsEntry("not json", BodyConverter.R_NOT_JSON)
                .containsEntry("foreign object", BodyConverter.R_SCHEMA)
                .containsEntry("truncated", BodyConverter.R_TRUNCATED)
                .containsEntry("wrong type", BodyConverter.R_SCHEMA)
                .containsEntry("missing required", BodyConverter.R_SCHEMA)
                .containsEntry("deep nesting", BodyConverter.R_LIMIT)
                .containsEntry("duplicate key", BodyConverter.R_DUPLICATE_KEY)
                .containsEntry("U+0000", BodyConverter.R_NUL)
                .containsEntry("unpaired surrogate", BodyConverter.R_BAD_UNICODE)
                .containsEntry("array", BodyConverter.R_NOT_OBJECT)
                .containsEntry("null required", BodyConverter.R_SCHEMA)
                .containsEntry("over-long", BodyConverter.R_TOO_LARGE)
                .containsEntry("empty object", BodyConverter.R_SCHEMA)
                .containsEntry("trailing garbage", BodyConverter.R_NOT_JSON);
        assertThat(task.metrics().deadLettered.get()).isEqualTo(invalid.size());

        TestTasks.ackAll(task, records);
        await().atMost(Duration.ofSeconds(20)).until(() -> sqs.remaining(queue) == 0);
    }

    @Test
    void withoutDlqTopicInvalidMessagesStayInSqs() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> ids = sqs.send(queue, List.of("not json", login(1)));
        Map<String, String> props = SourceProps.of(queue);
        props.remove(SqsSourceConfig.DLQ_TOPIC);
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "1");
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 1, 10_000);
        assertThat(records).extracting(SourceRecord::key).containsExactly(ids.get(1));
        TestTasks.ackAll(task, records);
        // The invalid one comes back (again and again) for the queue's redrive policy; it is never deleted.
        assertThat(TestTasks.pollFor(task, 3500)).isEmpty();
        assertThat(task.metrics().leftInQueue.get()).isGreaterThanOrEqualTo(2);
        assertThat(sqs.remaining(queue)).isEqualTo(1);
    }

    @Test
    void invalidUnicodeCannotEnterSqsAtAll() {
        // Why "invalid UTF-8" is not a dead-letter case of its own: SQS refuses such bodies on send (ElasticMQ too).
        // The JSON-escaped forms (\\u0000, \\ud800) do get through and are dead-lettered (see above).
        String queue = sqs.createQueue(30);
        for (String body : List.of("{\"ip\":\"a\ud800b\"}", "{\"ip\":\"a\u0000b\"}", "\uFFFE")) {
            assertThatThrownBy(() ->
                            sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(body)))
                    .isInstanceOf(SqsException.class)
                    .hasMessageContaining("InvalidMessageContents");
        }
    }

    static Object header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : h.value();
    }
}
