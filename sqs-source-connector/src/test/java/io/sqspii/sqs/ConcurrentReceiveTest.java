package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.Latency;
import io.sqspii.testsupport.sqs.RequestLog;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several long polls and deletes in flight per task; a stop in the middle of it loses nothing. */
class ConcurrentReceiveTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    @Test
    void severalCallsOverlapAndAStopMidStreamLosesNothing() throws Exception {
        String queue = sqs.createQueue(120); // anything not deleted and not released would stay hidden for 2 minutes
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            bodies.add(login(i));
        }
        List<String> ids = sqs.send(queue, bodies);
        RequestLog log = RequestLog.keepingBodies();
        Latency latency = new Latency();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), log, latency)) {
            latency.set(30, 10); // a network round trip, so that calls overlap visibly
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            props.put(SqsSourceConfig.RECEIVE_CONCURRENCY, "4");
            SqsSourceTask task = tasks.start(props);

            Set<Object> acked = new HashSet<>();
            while (acked.size() < 200) {
                List<SourceRecord> batch = TestTasks.pollAtLeast(task, 1, 10_000);
                assertThat(batch).isNotEmpty();
                batch.forEach(r ->
                        assertThat(acked.add(r.key())).as("each message once").isTrue());
                TestTasks.ackAll(task, batch);
            }
            assertThat(log.mostOpen("ReceiveMessage"))
                    .as("long polls in flight at once")
                    .isBetween(2, 4);
            assertThat(log.mostOpen("DeleteMessageBatch"))
                    .as("deletes in flight at once")
                    .isBetween(2, 4);

            // Stop while receives and deletes are under way: every acked message is deleted, every other one is
            // made visible again at once (received and polled-but-not-acked ones would wait 2 minutes: there are none).
            task.stop();
            await().atMost(Duration.ofSeconds(20)).until(task::isClosed);
            assertThat(task.metrics().deleted.get()).isEqualTo(acked.size());
            Set<String> back = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                sqs.client()
                        .receiveMessage(
                                b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages()
                        .forEach(m -> {
                            assertThat(back.add(m.messageId()))
                                    .as("returned once")
                                    .isTrue();
                            sqs.client().deleteMessage(d -> d.queueUrl(queue).receiptHandle(m.receiptHandle()));
                        });
                return back.size() + acked.size() >= ids.size();
            });
            Set<Object> all = new HashSet<>(acked);
            all.addAll(back);
            assertThat(all).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
