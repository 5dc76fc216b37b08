package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Keeps messages that wait for their Kafka ack invisible, on threads of its own (a scheduler, and a small pool
 * for the calls, shared with nothing else): once a quarter of the visibility timeout has passed, the message's
 * timeout is set again (ChangeMessageVisibilityBatch). Each 10-entry call is bounded in time, runs side by side
 * with the others of its round and is handled on its own (a failed or hung call does not skip the others); what
 * failed is tried again on the next tick, so several attempts fit before the message would become visible. The
 * most urgent messages go first and one tick does a bounded amount of work.
 */
final class VisibilityKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VisibilityKeeper.class);
    static final int MAX_CALLS_PER_TICK = 100;

    private final QueueCalls calls;
    private final InFlightMessages inFlight;
    private final VisibilityTimeout visibility;
    private final SqsSourceTaskMetrics metrics;
    private final ScheduledExecutorService thread;
    private final ExecutorService callers;
    private volatile boolean running;

    VisibilityKeeper(
            QueueCalls calls,
            InFlightMessages inFlight,
            VisibilityTimeout visibility,
            SqsSourceTaskMetrics metrics,
            int concurrency,
            String threadPrefix) {
        this.calls = calls;
        this.inFlight = inFlight;
        this.visibility = visibility;
        this.metrics = metrics;
        this.thread = DaemonThreads.scheduler(threadPrefix + "-visibility");
        this.callers = DaemonThreads.pool(concurrency, threadPrefix + "-visibility-call");
    }

    void start() {
        running = true;
        thread.schedule(this::tickAndReschedule, 100, TimeUnit.MILLISECONDS);
    }

    private void tickAndReschedule() {
        long next = 1000; // until the timeout is known
        try {
            if (visibility.resolved() && visibility.seconds() > 0) {
                tick();
                next = visibility.tickMillis();
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Visibility extension on {} failed ({}); retrying on the next tick",
                    calls.queueUrl(),
                    e.toString());
        }
        if (running) {
            thread.schedule(this::tickAndReschedule, next, TimeUnit.MILLISECONDS);
        }
    }

    /** One round: extends every due message, most urgent first, at most {@link #MAX_CALLS_PER_TICK} calls. */
    void tick() {
        long now = System.nanoTime();
        long after = visibility.extendAfterNanos();
        List<InFlight> due = new ArrayList<>();
        for (InFlight f : inFlight.all()) {
            if (now - f.visibleSinceNanos >= after) {
                due.add(f);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(Comparator.comparingLong(f -> f.visibleSinceNanos));
        int seconds = visibility.seconds();
        // The 10-entry calls run side by side (each bounded in time); the tick ends when all of them did.
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < due.size() && sent.size() < MAX_CALLS_PER_TICK && running; from += 10) {
            List<InFlight> batch = due.subList(from, Math.min(due.size(), from + 10));
            sent.add(callers.submit(() -> extend(batch, seconds)));
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                log.warn(
                        "Visibility extension on {} failed ({}); retrying on the next tick",
                        calls.queueUrl(),
                        e.getCause().toString());
            }
        }
    }

    private void extend(List<InFlight> batch, int seconds) {
        long sentAt = System.nanoTime();
        ChangeMessageVisibilityBatchResponse r;
        try {
            r = calls.changeVisibility(batch, seconds, visibility.callTimeout());
        } catch (SdkException e) {
            metrics.visibilityFailures.addAndGet(batch.size());
            log.warn(
                    "SQS ChangeMessageVisibilityBatch of {} messages on {} failed ({}); retrying on the next tick",
                    batch.size(),
                    calls.queueUrl(),
                    SqsErrors.describe(e));
            return;
        }
        for (var ok : r.successful()) {
            batch.get(Integer.parseInt(ok.id())).visibleSinceNanos = sentAt;
            metrics.visibilityExtensions.incrementAndGet();
        }
        for (BatchResultErrorEntry err : r.failed()) {
            InFlight f = batch.get(Integer.parseInt(err.id()));
            if (inFlight.get(f.messageId) == f) { // else it was deleted meanwhile: expected
                metrics.visibilityFailures.incrementAndGet();
                log.warn(
                        "SQS could not extend the visibility of message {} ({}); retrying on the next tick",
                        f.messageId,
                        err.code());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
        callers.shutdownNow();
    }
}
