package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pipeline.FaultRun.Outcome;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticLogins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A FIFO queue read by two source tasks: every message group's records sit in one partition of the topic, in
 * the order the group's messages were sent, though the groups' messages were sent interleaved.
 */
class FifoOrderIT {

    private static final int GROUPS = 8;
    private static final int PER_GROUP = 150;

    @Test
    void perGroupOrderInTheTopicEqualsSendOrderWithTwoTasks(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(
                        PipelineLayout.fromSystemProperties(), db.database(), 60, Map.of(), List.of(fifoLogins(dir)));
                FaultRun run = new FaultRun(pipeline)) {
            // group ids reach Kafka as HMAC tokens (sqs.fifo.ids=hash, the default), which needs a key on FIFO queues
            pipeline.registerConnectors(2, 2, Map.of("sqs.fifo.ids.hash.key", "fifo-order-it-key-0123456789abcdef"));
            List<String> bodies = SyntheticLogins.generate(301, GROUPS * PER_GROUP, 0.02);
            Map<String, List<String>> sentByGroup = new LinkedHashMap<>();
            List<SentMessage> sent = new ArrayList<>();
            // Ten messages of one group per batch (a batch keeps its order), groups taking turns.
            int next = 0;
            for (int round = 0; next < bodies.size(); round++) {
                String group = "group-" + (round % GROUPS);
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 10 && next < bodies.size(); i++, next++) {
                    entries.add(SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .messageBody(bodies.get(next))
                            .messageGroupId(group)
                            .messageDeduplicationId(UUID.randomUUID().toString())
                            .build());
                }
                SendMessageBatchResponse response = pipeline.sqs()
                        .client()
                        .sendMessageBatch(b -> b.queueUrl(pipeline.queueUrl()).entries(entries));
                assertThat(response.failed()).isEmpty();
                Map<String, String> idByEntry = new HashMap<>();
                response.successful().forEach(ok -> idByEntry.put(ok.id(), ok.messageId()));
                for (SendMessageBatchRequestEntry e : entries) {
                    String id = idByEntry.get(e.id());
                    sent.add(new SentMessage(id, e.messageBody()));
                    if (LoginContract.validLogin(e.messageBody()) != null) {
                        sentByGroup
                                .computeIfAbsent(group, g -> new ArrayList<>())
                                .add(id);
                    }
                }
            }
            run.sentElsewhere(sent);
            Outcome outcome = run.finish(Duration.ofSeconds(180));
            PipelineFaultsIT.report("FIFO queue, tasks.max=2 (" + GROUPS + " groups)", null, outcome);

            Map<String, List<String>> topicByGroup = new HashMap<>();
            Map<String, Set<Integer>> partitionsByGroup = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(TopicReader.readAll(
                    pipeline.kafka().bootstrapServers(), pipeline.primary().topic()));
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String group = header(r, "sqs.message.group.id");
                topicByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(header(r, "sqs.message.id"));
                partitionsByGroup.computeIfAbsent(group, g -> new HashSet<>()).add(r.partition());
            }
            assertThat(partitionsByGroup.values())
                    .as("each group in one partition")
                    .allSatisfy(p -> assertThat(p).hasSize(1));
            assertThat(new HashSet<>(partitionsByGroup.values()).size())
                    .as("groups spread over partitions")
                    .isGreaterThan(1);
            // keyed by the groups' tokens, not their names: the same lists in the same orders
            assertThat(topicByGroup.keySet()).doesNotContainAnyElementsOf(sentByGroup.keySet());
            assertThat(topicByGroup.values()).containsExactlyInAnyOrderElementsOf(sentByGroup.values());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The user_logins definition, read from a FIFO queue (a queue name ending in .fifo). */
    private static RunDataset fifoLogins(Path dir) throws Exception {
        RunDataset fifo = EditedDefinition.of(
                PipelineLayout.fromSystemProperties(), RunDataset.USER_LOGINS, dir, "login-queue", "login-queue.fifo");
        assertThat(fifo.queue()).isEqualTo("login-queue.fifo");
        return fifo;
    }
}
