package io.sqspii.testsupport.sqs;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted failures of chosen operations: SQS error responses, a dropped connection, a lost answer, a hang, batch
 * entries that fail. How throttling, 5xx, denied access and network failures look on the wire.
 */
public final class Faults implements ProxyPolicy {

    /** A {@link #fail} status: close the connection without an answer. */
    public static final int DROP = -1;
    /** A {@link #fail} status: forward the call, then drop the connection instead of answering. */
    public static final int LOSE_RESPONSE = -2;

    private record Fault(int status, String errorType, AtomicInteger count) {}

    private record PartialFault(String code, boolean senderFault, AtomicInteger count) {}

    private record Hang(long millis, AtomicInteger count) {}

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, PartialFault> partialFaults = new ConcurrentHashMap<>();
    private final Map<String, Hang> hangs = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();

    /** The next {@code count} calls of {@code operation} (e.g. "ReceiveMessage") fail this way. */
    public void fail(String operation, int count, int status, String errorType) {
        faults.put(operation, new Fault(status, errorType, new AtomicInteger(count)));
    }

    /** The next {@code count} calls of {@code operation} hang for {@code millis}, then the connection drops. */
    public void hang(String operation, int count, long millis) {
        hangs.put(operation, new Hang(millis, new AtomicInteger(count)));
    }

    /** The next {@code count} calls of a batch {@code operation} fail for all entries but the first. */
    public void failEntries(String operation, int count, String code, boolean senderFault) {
        partialFaults.put(operation, new PartialFault(code, senderFault, new AtomicInteger(count)));
    }

    /** Faults injected so far: calls failed, hung or dropped, and batch entries failed. */
    public int injected() {
        return injected.get();
    }

    @Override
    public void before(SqsCall call) throws IOException, InterruptedException {
        String op = call.operation();
        Hang h = hangs.get(op);
        if (h != null && h.count().getAndDecrement() > 0) {
            injected.incrementAndGet();
            Thread.sleep(h.millis());
            call.drop();
            return;
        }
        Fault f = faults.get(op);
        if (f != null && f.count().getAndDecrement() > 0) {
            injected.incrementAndGet();
            if (f.status() == LOSE_RESPONSE) {
                call.loseAnswer();
            } else if (f.status() == DROP) {
                call.drop();
                return;
            } else {
                call.answerError(f.status(), f.errorType(), "injected");
                return;
            }
        }
        PartialFault pf = partialFaults.get(op);
        if (pf != null && pf.count().getAndDecrement() > 0) {
            injected.addAndGet(call.failEntries((i, entry) -> i > 0, pf.code(), pf.senderFault(), "injected"));
        }
    }
}
