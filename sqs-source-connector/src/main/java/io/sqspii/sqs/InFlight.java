package io.sqspii.sqs;

import java.util.concurrent.atomic.AtomicBoolean;

/** A received message not yet deleted (or given up on), with what it costs the task while it waits. */
final class InFlight {
    final String messageId;
    final String receiptHandle;
    final long bytes;
    /** When its visibility timeout last (re)started. */
    volatile long visibleSinceNanos;

    private final AtomicBoolean acked = new AtomicBoolean();
    /** Delete attempts of this entry that SQS reported Failed; touched by the one deleter that owns the entry. */
    int entryRetries;

    InFlight(String messageId, String receiptHandle, long bytes, long visibleSinceNanos) {
        this.messageId = messageId;
        this.receiptHandle = receiptHandle;
        this.bytes = bytes;
        this.visibleSinceNanos = visibleSinceNanos;
    }

    /** True only for the first caller: an ack is queued once, whatever Connect or a duplicate record does. */
    boolean markAcked() {
        return acked.compareAndSet(false, true);
    }

    boolean acked() {
        return acked.get();
    }
}
