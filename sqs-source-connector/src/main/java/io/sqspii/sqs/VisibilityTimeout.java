package io.sqspii.sqs;

import java.time.Duration;

/**
 * The visibility timeout in force for a task: the configured one, or the queue's own when the config says -1.
 * Receives always send it, so the keeper's schedule and SQS agree.
 */
final class VisibilityTimeout {

    /** A message waiting for its ack gets its visibility extended once 1/EXTEND_AFTER_PARTS of the timeout passed. */
    static final int EXTEND_AFTER_PARTS = 4;

    private volatile int seconds;

    VisibilityTimeout(int configured) {
        this.seconds = configured;
    }

    boolean resolved() {
        return seconds >= 0;
    }

    /** The queue's own timeout, for a config that leaves it to the queue (see {@link QueueSettings}). */
    void set(int queueSeconds) {
        seconds = queueSeconds;
    }

    /** -1 until resolved. */
    int seconds() {
        return seconds;
    }

    // The keeper's schedule, all derived from the timeout so that several attempts fit before a message expires:
    // extend once a quarter of it has passed, look every twentieth, give each call a tenth.

    long extendAfterNanos() {
        return Duration.ofSeconds(seconds).toNanos() / EXTEND_AFTER_PARTS;
    }

    long tickMillis() {
        return clamp(seconds * 1000L / 20, 100, 5_000);
    }

    Duration callTimeout() {
        return Duration.ofMillis(clamp(seconds * 1000L / 10, 300, 5_000));
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
