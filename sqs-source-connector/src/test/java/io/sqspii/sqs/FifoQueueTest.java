package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.header;
import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.Faults;
import io.sqspii.testsupport.sqs.RequestLog;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FIFO queues: records keyed by message group (one group, one partition, in order); lost receives retried. */
class FifoQueueTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    /** Sends {@code perGroup} messages to each group, interleaved; returns the message ids per group in send order. */
    private Map<String, List<String>> sendInterleaved(String queue, List<String> groups, int perGroup) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int i = 0; i < perGroup; i++) {
            for (String g : groups) {
                int n = i;
                String id = sqs.client()
                        .sendMessage(b -> b.queueUrl(queue)
                                .messageGroupId(g)
                                .messageDeduplicationId(g + "-" + n)
                                .messageBody(login(n)))
                        .messageId();
                sent.computeIfAbsent(g, k -> new ArrayList<>()).add(id);
            }
        }
        return sent;
    }

    @Test
    void recordsAreKeyedByMessageGroupAndKeepEachGroupsSendOrder() throws Exception {
        String queue = sqs.createFifoQueue(30);
        List<String> groups = List.of("tenant-a", "tenant-b", "tenant-c", "tenant-d");
        Map<String, List<String>> sent = sendInterleaved(queue, groups, 15);
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "message_id");
        props.put(SqsSourceConfig.FIFO_IDS, "keep"); // groups in clear, to compare with what was sent
        // Two tasks on one FIFO queue, as with tasks.max=2: SQS hands a group to one consumer at a time.
        SqsSourceTask a = tasks.start(props);
        Map<String, String> props2 = new HashMap<>(props);
        props2.put(SqsSourceConfig.TASK_INDEX, "1");
        SqsSourceTask b = tasks.start(props2);

        // What a topic partitioned by key would hold, per key, in the order the tasks produced (and acked) it.
        Map<Object, List<String>> byKey = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int total = 0;
        while (total < 60 && System.nanoTime() < deadline) {
            for (SqsSourceTask t : List.of(a, b)) {
                List<SourceRecord> batch = t.poll();
                if (batch == null) {
                    continue;
                }
                for (SourceRecord r : batch) {
                    Struct v = (Struct) r.value();
                    v.validate();
                    assertThat(r.key()).isEqualTo(header(r, RecordFactory.H_GROUP_ID));
                    assertThat(v.getString("message_id")).isEqualTo(header(r, RecordFactory.H_MESSAGE_ID));
                    byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(v.getString("message_id"));
                    total++;
                }
                TestTasks.ackAll(t, batch); // the group's next messages come only once these are deleted
            }
        }
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(groups);
        for (String g : groups) {
            assertThat(byKey.get(g)).as(g).containsExactlyElementsOf(sent.get(g));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
    }

    @Test
    void aLostReceiveResponseIsRetriedWithTheSameAttemptIdAndGetsTheSameMessagesAtOnce() throws Exception {
        String queue = sqs.createFifoQueue(120); // without the attempt id the group would be blocked for 2 minutes
        Map<String, List<String>> sent = sendInterleaved(queue, List.of("g"), 5);
        RequestLog log = RequestLog.keepingBodies();
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), log, faults)) {
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.FIFO_IDS, "drop");
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            // One receiver, so that the lost receive is the one that got the group's messages (ids are per receiver).
            props.put(SqsSourceConfig.RECEIVE_CONCURRENCY, "1");
            faults.fail("ReceiveMessage", 1, Faults.LOSE_RESPONSE, null);
            SqsSourceTask task = tasks.start(props);
            List<SourceRecord> records = TestTasks.pollAtLeast(task, 5, 20_000);
            assertThat(records)
                    .extracting(r -> header(r, RecordFactory.H_MESSAGE_ID))
                    .containsExactlyElementsOf(sent.get("g"));
            assertThat(faults.injected()).isEqualTo(1);
            // Every receive carries an attempt id; only the one whose answer was lost is sent twice (its retry).
            Map<String, Integer> uses = new HashMap<>();
            for (JsonNode r : log.requests("ReceiveMessage")) {
                String id = r.path("ReceiveRequestAttemptId").asText();
                assertThat(id).isNotBlank();
                uses.merge(id, 1, Integer::sum);
            }
            assertThat(uses.values().stream().filter(n -> n > 1)).containsExactly(2);
            TestTasks.ackAll(task, records);
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        }
    }
}
