package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fault case on a running pipeline: messages sent in steps around the fault, then the checks every case
 * ends with — each message a row or a rejected row (as the test's own reading of the contract says), no
 * message twice, nothing left in the queue, no task left FAILED, no manual restart — and the measured time to
 * recover. Tasks seen FAILED on the way, and restarted by the pipeline's {@link FailedTaskRestarter}, are
 * counted in the outcome.
 */
final class FaultRun implements AutoCloseable {

    private final Pipeline pipeline;
    private final Counts baseline;
    private final LoadGenerator generator;
    private final List<SentMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sentCount = new AtomicLong();
    private final Set<String> failedTasksSeen = Collections.synchronizedSet(new java.util.TreeSet<>());
    private final long restartsBefore;

    FaultRun(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.baseline = pipeline.counts();
        this.restartsBefore = pipeline.failedTaskRestarts();
        this.generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 2);
    }

    /** Sends the bodies (straight to the SQS server, never through a fault proxy) and waits until SQS has them. */
    void send(List<String> bodies) {
        long before = sentCount.get();
        sent.addAll(generator.send(bodies, n -> sentCount.set(before + n)));
        sentCount.set(sent.size());
    }

    /** Counts messages the caller sent itself (e.g. to a FIFO queue, with group ids) as sent in this run. */
    void sentElsewhere(List<SentMessage> messages) {
        sent.addAll(messages);
        sentCount.set(sent.size());
    }

    /** Waits until at least {@code n} messages of this run are rows or rejected rows. */
    void awaitAccountedAtLeast(long n, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (accounted() < n) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "only " + accounted() + " of " + n + " messages written within " + timeout);
            }
            recordFailedTasks();
            Thread.sleep(200);
        }
    }

    long accounted() {
        return pipeline.counts().minus(baseline).total();
    }

    /**
     * Holds a fault for {@code duration}, watching the connectors' task states meanwhile (a FAILED task is
     * remembered: nobody restarts it here).
     */
    void hold(Duration duration) throws InterruptedException {
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            recordFailedTasks();
            Thread.sleep(1000);
        }
    }

    /**
     * After a fault ended: the time until the pipeline writes again (the first row beyond what was written when
     * the fault ended), or until everything is written if it all already was.
     */
    Duration awaitRecovery(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long atEnd = accounted();
        Instant deadline = Instant.now().plus(timeout);
        while (accounted() == atEnd && atEnd < sent.size()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("nothing written within " + timeout + " after the fault ended");
            }
            recordFailedTasks();
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Waits until every message sent is accounted for and the queue is empty, then checks the outcome; returns
     * the counts of this run.
     */
    Outcome finish(Duration stallTimeout) throws Exception {
        new ProgressMonitor(
                        pipeline,
                        baseline,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        stallTimeout)
                .awaitAccounted(sent.size(), sentCount::get);
        recordFailedTasks();
        Set<String> ids = new HashSet<>();
        Set<String> expectRows = new HashSet<>();
        synchronized (sent) {
            for (SentMessage m : sent) {
                ids.add(m.messageId());
                JsonNode login = LoginContract.validLogin(m.body());
                if (login != null) {
                    expectRows.add(m.messageId());
                }
            }
        }
        Set<String> rows = PipelineRows.logins(pipeline.database()).keySet();
        Set<String> rejected = PipelineRows.rejected(pipeline.database()).keySet();
        Set<String> rowsOfRun = new HashSet<>(rows);
        rowsOfRun.retainAll(ids);
        Set<String> rejectedOfRun = new HashSet<>(rejected);
        rejectedOfRun.retainAll(ids);
        Set<String> inBoth = new HashSet<>(rowsOfRun);
        inBoth.retainAll(rejectedOfRun);
        // Both tables are keyed by message id: a second copy of a message can only show as a row in both.
        long duplicates = inBoth.size();

        assertThat(ids).as("distinct message ids sent").hasSize(sent.size());
        assertThat(rowsOfRun).as("valid messages are rows").isEqualTo(expectRows);
        Set<String> expectRejected = new HashSet<>(ids);
        expectRejected.removeAll(expectRows);
        assertThat(rejectedOfRun).as("invalid messages are rejected rows").isEqualTo(expectRejected);
        assertThat(duplicates).as("duplicate rows").isZero();
        assertThat(pipeline.sqs().remaining(pipeline.queueUrl()))
                .as("messages left in the queue")
                .isZero();
        assertThat(ConnectorStates.failedTasks(pipeline))
                .as("tasks FAILED at the end")
                .isEmpty();
        return new Outcome(
                sent.size(),
                rowsOfRun.size(),
                rejectedOfRun.size(),
                duplicates,
                pipeline.failedTaskRestarts() - restartsBefore,
                Set.copyOf(failedTasksSeen));
    }

    List<SentMessage> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    private void recordFailedTasks() {
        try {
            failedTasksSeen.addAll(ConnectorStates.failedTasks(pipeline));
        } catch (RuntimeException e) {
            // the REST API is briefly unavailable while a worker rejoins its group: not a task state
        }
    }

    @Override
    public void close() {
        generator.close();
    }

    /** What one case ended with, for the fault table. */
    record Outcome(long sent, long rows, long rejected, long duplicates, long restarts, Set<String> seenFailed) {
        @Override
        public String toString() {
            return sent + " sent, " + rows + " rows, " + rejected + " rejected, " + duplicates + " duplicates, "
                    + restarts + " automatic task restarts"
                    + (seenFailed.isEmpty() ? "" : " (seen FAILED: " + seenFailed + ")");
        }
    }
}
