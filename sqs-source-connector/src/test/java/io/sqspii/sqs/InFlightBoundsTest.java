package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** In flight is bounded by body bytes as well as by count, and the receiver waits rather than spins. */
class InFlightBoundsTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @Test
    void receivingWaitsWhileTheBytesInFlightWouldExceedTheBound() throws Exception {
        String queue = sqs.createQueue(60);
        int bodyBytes = 200_000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = (char) ('a' + i) + "x".repeat(bodyBytes - 1);
            ids.add(sqs.client()
                    .sendMessage(b -> b.queueUrl(queue).messageBody(body))
                    .messageId());
        }
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.MESSAGE_FORMAT, "string");
        props.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        props.put(SqsSourceConfig.MAX_MESSAGES, "1");
        long bound = 3L * 1024 * 1024;
        props.put(SqsSourceConfig.MAX_IN_FLIGHT_BYTES, Long.toString(bound));
        SqsSourceTask task = TestTasks.start(props);
        try {
            // A receive needs room for one more 1 MiB message: with 3 MiB, at most 2 MiB of bodies are admitted first.
            List<SourceRecord> first = TestTasks.pollAtLeast(task, 11, 15_000);
            assertThat(first).hasSize(11);
            long requests = task.metrics().receiveRequests.get();
            assertThat(TestTasks.pollFor(task, 2_000))
                    .as("nothing more while the bound is reached")
                    .isEmpty();
            assertThat(task.metrics().receiveRequests.get())
                    .as("the receiver waits, it does not poll SQS")
                    .isEqualTo(requests);
            assertThat(task.metrics().received.get()).isEqualTo(11);
            assertThat(task.inFlightMessages()).hasSize(11);
            long inFlightBytes = (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(task.metrics().name(), "messages-in-flight-bytes");
            assertThat(inFlightBytes).isEqualTo(11L * bodyBytes).isLessThanOrEqualTo(bound);

            Set<Object> seen = new HashSet<>();
            first.forEach(r -> seen.add(r.key()));
            TestTasks.ackAll(task, first);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (seen.size() < 20 && System.nanoTime() < deadline) {
                List<SourceRecord> more = task.poll();
                if (more != null) {
                    more.forEach(r -> seen.add(r.key()));
                    TestTasks.ackAll(task, more);
                }
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        } finally {
            task.stop();
        }
    }
}
