package io.sqspii.sqs;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter; not thread-safe (one per loop). */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private int failures;

    Backoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
    }

    /** The wait before the next attempt; grows with each call until {@link #reset()}. */
    long next() {
        long base = initialMs << Math.min(failures, 30);
        failures++;
        long capped = Math.min(Math.max(base, initialMs), maxMs);
        // Full jitter on the upper half keeps N tasks from retrying in lockstep.
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    void reset() {
        failures = 0;
    }
}
