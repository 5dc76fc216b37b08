package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.header;
import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Attack (review B8): a producer puts PII into SQS metadata, which the body's encryption does not cover: a
 * message attribute clientIp=203.0.113.7, and on a FIFO queue the group id (the record key) and deduplication
 * id user@example.com. Through real ElasticMQ and the task, neither value appears in any key or header of the
 * records (nor of a dead-letter record), the messages are still all delivered and deleted, and a FIFO group
 * still has one key.
 */
class SqsMetadataAttackTest {

    static final String IP = "203.0.113.7";
    static final String EMAIL = "user@example.com";
    static final String HASH_KEY = "0123456789abcdef0123456789abcdef-test";

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    /** Everything of a record outside its value, as text the way a Kafka consumer would see it. */
    private static String keyAndHeaders(SourceRecord r) {
        StringBuilder sb = new StringBuilder(String.valueOf(r.key()));
        SimpleHeaderConverter hc = new SimpleHeaderConverter();
        for (Header h : r.headers()) {
            sb.append('\n')
                    .append(h.key())
                    .append('=')
                    .append(new String(
                            hc.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Test
    void aMessageAttributeHoldingAnIpNeverReachesKafka() throws Exception {
        String queue = sqs.createQueue(30);
        Map<String, MessageAttributeValue> attrs = Map.of(
                "clientIp",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(IP)
                                .build(),
                "traceId",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("00-abc-01")
                                .build());
        sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(login(1)).messageAttributes(attrs));
        sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody("not json").messageAttributes(attrs));
        Map<String, String> props = SourceProps.of(queue);
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 2, 10_000);
        assertThat(records).extracting(SourceRecord::topic).containsExactlyInAnyOrder("user-logins", "user-logins.dlq");
        for (SourceRecord r : records) {
            assertThat(keyAndHeaders(r)).doesNotContain(IP).doesNotContain("sqs.attr.");
        }
        TestTasks.ackAll(task, records);
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        task.stop(); // else it would receive the next message

        // an allow-listed attribute does reach Kafka, the others still do not
        sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(login(2)).messageAttributes(attrs));
        props.put(SqsSourceConfig.ATTRIBUTES_INCLUDE, "traceId");
        SqsSourceTask allowing = tasks.start(props);
        SourceRecord r = TestTasks.pollAtLeast(allowing, 1, 10_000).get(0);
        assertThat(header(r, "sqs.attr.traceId")).isEqualTo("00-abc-01");
        assertThat(keyAndHeaders(r)).doesNotContain(IP);
    }

    @Test
    void aFifoGroupAndDedupIdHoldingAnEmailNeverReachKafka() throws Exception {
        String queue = sqs.createFifoQueue(30);
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.client()
                    .sendMessage(b -> b.queueUrl(queue)
                            .messageGroupId(EMAIL)
                            .messageDeduplicationId(EMAIL + "-" + n)
                            .messageBody(n == 1 ? "not json" : login(n)));
        }
        sqs.client()
                .sendMessage(b -> b.queueUrl(queue)
                        .messageGroupId("other-group")
                        .messageDeduplicationId("o-1")
                        .messageBody(login(9)));
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.FIFO_IDS_HASH_KEY, HASH_KEY); // sqs.fifo.ids=hash is the default
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (records.size() < 4 && System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
                TestTasks.ackAll(task, batch); // a FIFO group is blocked while one of its messages is in flight
            }
        }
        assertThat(records).hasSize(4);
        assertThat(records).extracting(SourceRecord::topic).contains("user-logins.dlq");
        for (SourceRecord r : records) {
            assertThat(keyAndHeaders(r)).doesNotContain(EMAIL).doesNotContain("example.com");
        }
        // one group, one key (one partition, in order); another group, another key
        List<Object> emailKeys = records.stream()
                .filter(r -> !"o-1".equals(r.key()))
                .map(SourceRecord::key)
                .distinct()
                .toList();
        assertThat(records.stream().map(SourceRecord::key).distinct()).hasSize(2);
        assertThat(emailKeys).isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        task.stop(); // else it would receive the next message

        // drop: no id at all, records keyed by message id
        sqs.client()
                .sendMessage(b -> b.queueUrl(queue)
                        .messageGroupId(EMAIL)
                        .messageDeduplicationId(EMAIL + "-d")
                        .messageBody(login(5)));
        props.put(SqsSourceConfig.FIFO_IDS, "drop");
        props.remove(SqsSourceConfig.FIFO_IDS_HASH_KEY);
        SqsSourceTask dropping = tasks.start(props);
        SourceRecord d = TestTasks.pollAtLeast(dropping, 1, 10_000).get(0);
        assertThat(d.key()).isEqualTo(header(d, RecordFactory.H_MESSAGE_ID));
        assertThat(header(d, RecordFactory.H_GROUP_ID)).isNull();
        assertThat(header(d, RecordFactory.H_DEDUPLICATION_ID)).isNull();
        assertThat(keyAndHeaders(d)).doesNotContain(EMAIL);
    }

    @Test
    void aFifoQueueWithHashButNoKeyIsRefusedAtConfiguration() {
        Map<String, String> props = SourceProps.of(sqs.createFifoQueue(30));
        assertThat(new SqsSourceConnector().validate(props).configValues())
                .filteredOn(v -> v.name().equals(SqsSourceConfig.FIFO_IDS_HASH_KEY))
                .singleElement()
                .satisfies(v -> assertThat(v.errorMessages())
                        .singleElement()
                        .satisfies(m -> assertThat(m).contains("required on a FIFO queue")));
    }
}
