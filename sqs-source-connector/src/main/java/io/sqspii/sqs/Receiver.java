package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Long-polls SQS on its own threads into a hand-off queue that {@code poll()} drains, so {@code poll()} never
 * blocks for a whole long poll and stopping is prompt. Each thread reserves in-flight room before it receives and
 * waits while there is none. The first {@code sqs.receive.concurrency.idle} threads always poll; the others go on
 * standby after a receive that brings less than a full batch and are woken by the next full one. Transient failures
 * are retried with backoff for as long as the task runs; permanent ones fail the task.
 */
final class Receiver {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);
    /** SQS honours a ReceiveRequestAttemptId for 5 minutes; a retry after a longer outage starts afresh. */
    private static final long ATTEMPT_ID_LIFETIME = TimeUnit.MINUTES.toNanos(4);

    private final QueueCalls calls;
    private final InFlightMessages inFlight;
    private final QueueSettings queue;
    private final TaskFailure failure;
    private final SqsSourceTaskMetrics metrics;
    private final SqsSourceSettings.Receive settings;
    private final boolean fifo;
    private final LinkedBlockingQueue<List<Message>> handoff = new LinkedBlockingQueue<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final DaemonThreads threads = new DaemonThreads();
    private final PollStandby standby;
    private volatile boolean running;

    Receiver(
            QueueCalls calls,
            InFlightMessages inFlight,
            QueueSettings queue,
            TaskFailure failure,
            SqsSourceTaskMetrics metrics,
            SqsSourceSettings settings) {
        this.calls = calls;
        this.inFlight = inFlight;
        this.queue = queue;
        this.failure = failure;
        this.metrics = metrics;
        this.settings = settings.receive();
        this.fifo = settings.queue().fifo();
        this.standby = new PollStandby(metrics.pollsOnStandby);
    }

    void start(int concurrency, int alwaysPolling, String threadPrefix) {
        running = true;
        threads.start(concurrency, threadPrefix + "-receiver", i -> () -> receiveLoop(i < alwaysPolling));
    }

    /** Received batches, in the order SQS returned them. */
    List<Message> take(long timeoutMs) throws InterruptedException {
        return handoff.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    List<Message> takeNow() {
        return handoff.poll();
    }

    /** No new receives; a long poll already open is left to finish (its messages are released at once). */
    void stop() {
        running = false;
        stopSignal.countDown();
        inFlight.wakeAll();
        standby.wakeAll();
    }

    /** Waits until every receiver thread ended; false if one is still in a call at the deadline. */
    boolean awaitStopped(long deadlineNanos) throws InterruptedException {
        return threads.join(deadlineNanos);
    }

    private void receiveLoop(boolean alwaysPolling) {
        Backoff backoff = settings.backoff();
        String attemptId = null; // FIFO: reused until a receive returns, as SQS asks for retries of a lost response
        long attemptIdSince = 0;
        while (running) {
            InFlightMessages.Reservation room;
            try {
                room = inFlight.reserve(settings.maxMessages(), queue.maxMessageBytes(), () -> running);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (room == null) {
                return;
            }
            try {
                queue.resolve(calls);
                int seconds = queue.visibility().seconds();
                if (fifo && (attemptId == null || System.nanoTime() - attemptIdSince > ATTEMPT_ID_LIFETIME)) {
                    attemptId = UUID.randomUUID().toString();
                    attemptIdSince = System.nanoTime();
                }
                long start = System.nanoTime();
                List<Message> messages =
                        calls.receive(settings.maxMessages(), settings.waitTimeSeconds(), seconds, attemptId);
                attemptId = null;
                metrics.recordReceive(System.nanoTime() - start, messages.size());
                backoff.reset();
                if (!running) {
                    inFlight.cancel(room);
                    releaseNow(messages); // received while stopping: nobody will poll them
                    return;
                }
                List<InFlight> entries = new ArrayList<>(messages.size());
                messages.forEach(m -> entries.add(InFlightMessages.of(m, start)));
                inFlight.admit(room, entries);
                if (!messages.isEmpty()) {
                    handoff.add(messages);
                }
                if (messages.size() >= settings.maxMessages()) {
                    standby.wakeAll(); // more is waiting in the queue
                } else if (!alwaysPolling && !standby.await(() -> running)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SdkException e) {
                inFlight.cancel(room);
                if (!running) {
                    return; // the client may have been closed under us
                }
                metrics.receiveErrors.incrementAndGet();
                if (!SqsErrors.isRetryable(e)) {
                    String op = queue.visibility().resolved() ? "ReceiveMessage" : "GetQueueAttributes";
                    ConnectException fatal = new ConnectException(SqsErrors.fatalMessage(op, calls.queueUrl(), e), e);
                    log.error(fatal.getMessage());
                    failure.fail(fatal);
                    return;
                }
                long wait = backoff.next();
                log.warn(
                        "SQS ReceiveMessage on {} failed ({}); the task keeps running and retries in {} ms",
                        calls.queueUrl(),
                        SqsErrors.describe(e),
                        wait);
                if (!pause(wait)) {
                    return;
                }
            } catch (RuntimeException e) {
                inFlight.cancel(room);
                log.error("SQS receive loop on {} failed", calls.queueUrl(), e);
                failure.fail(new ConnectException("SQS receive loop failed unexpectedly", e));
                return;
            }
        }
    }

    private void releaseNow(List<Message> messages) {
        List<InFlight> group = new ArrayList<>(messages.size());
        messages.forEach(m -> group.add(InFlightMessages.of(m, System.nanoTime())));
        release(group);
    }

    /** Makes messages nobody will poll visible again at once (best effort: else they come back after the timeout). */
    void release(List<InFlight> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            try {
                calls.changeVisibility(
                        messages.subList(from, Math.min(messages.size(), from + 10)),
                        0,
                        java.time.Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Could not release {} messages: {}", messages.size(), e.toString());
                return;
            }
        }
    }

    /** Waits before a retry; false once the task is stopping. */
    private boolean pause(long ms) {
        try {
            return !stopSignal.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
