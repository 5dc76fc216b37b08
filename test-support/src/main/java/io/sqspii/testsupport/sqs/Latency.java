package io.sqspii.testsupport.sqs;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Holds every call for a latency ± jitter before it is forwarded, as a network round trip to AWS would. Loopback
 * ElasticMQ answers in well under a millisecond, AWS in 10–30 ms. None until {@link #set}.
 */
public final class Latency implements ProxyPolicy {

    private volatile long ms;
    private volatile long jitterMs;

    /** From now on every call waits {@code ms} ± up to {@code jitter} ms (never below 0). */
    public void set(long ms, long jitter) {
        if (ms < 0 || jitter < 0) {
            throw new IllegalArgumentException("latency and jitter must be >= 0, got " + ms + " and " + jitter);
        }
        this.ms = ms;
        this.jitterMs = jitter;
    }

    @Override
    public void before(SqsCall call) throws InterruptedException {
        long base = ms;
        long jitter = jitterMs;
        long delay = jitter == 0 ? base : base + ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        if (delay > 0) {
            TimeUnit.MILLISECONDS.sleep(delay);
        }
    }
}
