package io.sqspii.testsupport.sqs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * While on, answers a share of the calls as SQS does when a caller exceeds its rate: HTTP 400 with a
 * ThrottlingException, the call never reaching the server. Off until {@link #throttleEvery}.
 */
public final class Throttling implements ProxyPolicy {

    private final AtomicInteger every = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /** Throttles one call in {@code every} (2: half of them); 0 stops throttling. */
    public void throttleEvery(int every) {
        this.every.set(every);
    }

    /** Calls answered with a ThrottlingException so far. */
    public long throttled() {
        return throttled.get();
    }

    @Override
    public void before(SqsCall call) {
        int n = every.get();
        if (n > 0 && calls.incrementAndGet() % n == 0) {
            throttled.incrementAndGet();
            call.answerError(400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded");
        }
    }
}
