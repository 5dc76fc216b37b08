package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes a message once Kafka has its record. {@link #ack} (called on the producer's thread) only queues; deleter
 * threads send DeleteMessageBatch calls of up to 10 entries, retry failed calls and failed entries, and give a
 * message back to SQS (which delivers it again) when its delete cannot succeed.
 */
final class Acker {

    private static final Logger log = LoggerFactory.getLogger(Acker.class);
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    private static final int MAX_ENTRY_RETRIES = 5;

    private final QueueCalls calls;
    private final InFlightMessages inFlight;
    private final TaskFailure failure;
    private final SqsSourceTaskMetrics metrics;
    private final SqsSourceSettings.Receive settings;
    private final LinkedBlockingQueue<InFlight> acked = new LinkedBlockingQueue<>();
    private final DaemonThreads threads = new DaemonThreads();
    private volatile boolean finishing;
    private volatile long retryDeadlineNanos = Long.MAX_VALUE;

    Acker(
            QueueCalls calls,
            InFlightMessages inFlight,
            TaskFailure failure,
            SqsSourceTaskMetrics metrics,
            SqsSourceSettings.Receive settings) {
        this.calls = calls;
        this.inFlight = inFlight;
        this.failure = failure;
        this.metrics = metrics;
        this.settings = settings;
    }

    void start(int concurrency, String threadPrefix) {
        threads.start(concurrency, threadPrefix + "-deleter", this::deleteLoop);
    }

    /**
     * Kafka stored the record of {@code messageId} ({@code inKafka}), or did not: Connect also reports a record that
     * a transformation dropped, or that failed to convert or to produce under {@code errors.tolerance=all}, and then
     * the message stays in SQS. Either way each message is settled once.
     */
    void ack(String messageId, boolean inKafka) {
        InFlight f = messageId == null ? null : inFlight.get(messageId);
        if (f == null || !f.markAcked()) {
            return; // unknown, or a duplicate whose message is already settled
        }
        if (inKafka) {
            acked.add(f);
            return;
        }
        inFlight.remove(f);
        metrics.notInKafka.incrementAndGet();
        log.warn(
                "The record of SQS message {} did not reach Kafka (failed, or dropped by a transformation, with "
                        + "errors.tolerance=all); the message is not deleted and SQS delivers it again after its visibility "
                        + "timeout",
                messageId);
    }

    /** Stopping: keep deleting, but retry failed calls only until {@code deadlineNanos}. */
    void stopRetryingAfter(long deadlineNanos) {
        retryDeadlineNanos = deadlineNanos;
    }

    /** Deletes what is queued now (one attempt each after the deadline) and ends the threads. */
    void finish(long joinDeadlineNanos) throws InterruptedException {
        finishing = true;
        threads.join(joinDeadlineNanos);
    }

    private void deleteLoop() {
        Backoff backoff = settings.backoff();
        try {
            while (!finishing || !acked.isEmpty()) {
                deleteQueued(backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("SQS delete loop on {} failed", calls.queueUrl(), e);
            failure.fail(new ConnectException("SQS delete loop failed unexpectedly", e));
        }
    }

    /** Waits briefly for acks and deletes them in a batch of up to 10. */
    private void deleteQueued(Backoff backoff) throws InterruptedException {
        InFlight first = acked.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        List<InFlight> batch = new ArrayList<>(10);
        batch.add(first);
        // A short linger fills batches: acks arrive in bursts, one producer batch at a time.
        long lingerUntil = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < 10) {
            acked.drainTo(batch, 10 - batch.size());
            long left = lingerUntil - System.nanoTime();
            if (batch.size() >= 10 || left <= 0) {
                break;
            }
            InFlight next = acked.poll(left, TimeUnit.NANOSECONDS);
            if (next != null) {
                batch.add(next);
            }
        }
        deleteBatch(batch, backoff);
    }

    private boolean mayRetry() {
        return !finishing && System.nanoTime() < retryDeadlineNanos;
    }

    /** Deletes up to 10 messages; retries the call and its failed entries, then gives up per message id. */
    private void deleteBatch(List<InFlight> batch, Backoff backoff) throws InterruptedException {
        List<InFlight> pending = new ArrayList<>(batch);
        while (!pending.isEmpty()) {
            DeleteMessageBatchResponse response;
            try {
                response = calls.delete(pending);
                backoff.reset();
            } catch (SdkException e) {
                if (SqsErrors.isRetryable(e) && mayRetry()) {
                    long wait = backoff.next();
                    log.warn(
                            "SQS DeleteMessageBatch of {} messages failed ({}); retrying in {} ms",
                            pending.size(),
                            SqsErrors.describe(e),
                            wait);
                    Thread.sleep(wait);
                    continue;
                }
                for (InFlight f : pending) {
                    giveUp(f, SqsErrors.describe(e));
                }
                boolean stopping = finishing || retryDeadlineNanos != Long.MAX_VALUE;
                if (!SqsErrors.isRetryable(e) && !stopping) {
                    ConnectException fatal =
                            new ConnectException(SqsErrors.fatalMessage("DeleteMessageBatch", calls.queueUrl(), e), e);
                    log.error(fatal.getMessage());
                    failure.fail(fatal);
                }
                return;
            }
            List<InFlight> deleted = new ArrayList<>(response.successful().size());
            for (var ok : response.successful()) {
                deleted.add(pending.get(Integer.parseInt(ok.id())));
            }
            metrics.deleted.addAndGet(inFlight.removeAll(deleted));
            List<InFlight> retry = new ArrayList<>();
            for (BatchResultErrorEntry err : response.failed()) {
                InFlight f = pending.get(Integer.parseInt(err.id()));
                // Sender faults (e.g. an expired receipt handle) will not succeed on retry.
                if (Boolean.TRUE.equals(err.senderFault()) || ++f.entryRetries > MAX_ENTRY_RETRIES || !mayRetry()) {
                    giveUp(f, err.code());
                } else {
                    retry.add(f);
                }
            }
            if (!retry.isEmpty()) {
                long wait = backoff.next();
                log.warn(
                        "SQS could not delete {} messages (ids {}); retrying in {} ms",
                        retry.size(),
                        retry.stream().map(f -> f.messageId).toList(),
                        wait);
                Thread.sleep(wait);
            }
            pending = retry;
        }
    }

    private void giveUp(InFlight f, String why) {
        inFlight.remove(f);
        metrics.deleteFailures.incrementAndGet();
        log.warn("SQS message {} was acked but could not be deleted ({}); SQS will deliver it again", f.messageId, why);
    }
}
