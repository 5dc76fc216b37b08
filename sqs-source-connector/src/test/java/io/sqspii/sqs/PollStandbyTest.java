package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.login;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a quiet queue only sqs.receive.concurrency.idle long polls keep polling (the rest would each cost an empty
 * receive per wait); a full receive puts every poll back to work, and a stop is prompt with polls on standby.
 */
class PollStandbyTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    /** A task on {@code queue} with 1 s long polls. */
    private SqsSourceTask start(String queue, int concurrency, int idleConcurrency, Map<String, String> more) {
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.RECEIVE_CONCURRENCY, Integer.toString(concurrency));
        props.put(SqsSourceConfig.RECEIVE_CONCURRENCY_IDLE, Integer.toString(idleConcurrency));
        props.put(SqsSourceConfig.WAIT_TIME_SECONDS, "1");
        props.putAll(more);
        return tasks.start(props);
    }

    @Test
    void aQuietQueueIsPolledByTheIdleConcurrencyAndAFullReceiveWakesTheRest() throws Exception {
        String queue = sqs.createQueue(120);
        // One message per receive: a receive is either empty or full, so the test does not depend on how many
        // messages a receive happens to bring while they are still being sent.
        SqsSourceTask task =
                start(queue, 6, 1, Map.of(SqsSourceConfig.MAX_IN_FLIGHT, "100", SqsSourceConfig.MAX_MESSAGES, "1"));
        SqsSourceTaskMetrics metrics = task.metrics();

        // Empty queue: after one empty receive each, five of the six stand by, and one poll a second remains.
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.pollsOnStandby.get() == 5);
        long before = metrics.receiveRequests.get();
        Thread.sleep(4000);
        long quiet = metrics.receiveRequests.get() - before;
        assertThat(quiet)
                .as("receives in 4 s of 1 s long polls on an empty queue")
                .isBetween(2L, 6L);
        assertThat(metrics.pollsOnStandby.get()).isEqualTo(5);

        // A backlog: the one poll comes back full, every poll goes back to work and fills the in-flight bound
        // (nothing is acked yet), so none is on standby: they wait for room instead.
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bodies.add(login(i));
        }
        List<String> ids = sqs.send(queue, bodies);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.pollsOnStandby.get() == 0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.inFlightMessages().size() == 100);

        // Acked, the backlog drains; once the queue is empty the extra polls stand by again.
        Set<Object> seen = new HashSet<>();
        while (seen.size() < ids.size()) {
            List<SourceRecord> batch = TestTasks.pollAtLeast(task, 1, 10_000);
            assertThat(batch).isNotEmpty();
            batch.forEach(
                    r -> assertThat(seen.add(r.key())).as("each message once").isTrue());
            TestTasks.ackAll(task, batch);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.pollsOnStandby.get() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.deleted.get() == ids.size());

        task.stop();
        await().atMost(Duration.ofSeconds(10)).until(task::isClosed);
        assertThat(metrics.pollsOnStandby.get())
                .as("a stop wakes the polls on standby")
                .isZero();
    }

    @Test
    void anIdleConcurrencyAsHighAsTheConcurrencyKeepsEveryPollOpen() throws Exception {
        SqsSourceTask task = start(sqs.createQueue(60), 3, 5, Map.of());
        SqsSourceTaskMetrics metrics = task.metrics();
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.receiveRequests.get() >= 6);
        long before = metrics.receiveRequests.get();
        Thread.sleep(3000);
        assertThat(metrics.receiveRequests.get() - before)
                .as("three polls a second for 3 s")
                .isGreaterThanOrEqualTo(6L);
        assertThat(metrics.pollsOnStandby.get()).isZero();
    }
}
