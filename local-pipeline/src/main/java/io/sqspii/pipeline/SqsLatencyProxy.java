package io.sqspii.pipeline;

import io.sqspii.testsupport.sqs.Latency;
import io.sqspii.testsupport.sqs.RequestLog;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import io.sqspii.testsupport.sqs.SqsRequestBill;

/**
 * Bench only: test-support's forwarding proxy in front of ElasticMQ that holds every SQS call for a chosen latency
 * (± jitter), as a network round trip to AWS would, and bills each call in an {@link SqsRequestBill}. Loopback
 * ElasticMQ answers in well under a millisecond, AWS in 10–30 ms: only with the delay does a bench show what a user
 * of the real service gets.
 */
final class SqsLatencyProxy implements AutoCloseable {

    private final Latency latency = new Latency();
    private final RequestLog calls = RequestLog.countingOnly();
    private final SqsRequestBill bill = new SqsRequestBill();
    private final SqsForwardingProxy proxy;

    private SqsLatencyProxy(String target) {
        this.proxy = SqsForwardingProxy.start(target, calls, latency, bill);
    }

    /** A proxy on a free loopback port forwarding to {@code targetEndpoint} (e.g. ElasticMQ's http://127.0.0.1:port). */
    static SqsLatencyProxy start(String targetEndpoint) {
        return new SqsLatencyProxy(targetEndpoint);
    }

    /** From now on every call waits {@code ms} ± up to {@code jitter} ms (never below 0) before it is forwarded. */
    void latency(long ms, long jitter) {
        latency.set(ms, jitter);
    }

    String endpoint() {
        return proxy.endpoint();
    }

    SqsRequestBill bill() {
        return bill;
    }

    /** The most ReceiveMessage calls open at once since the last call of this method; resets it to those open now. */
    int takeMostOpenReceives() {
        return calls.takeMostOpen("ReceiveMessage");
    }

    @Override
    public void close() {
        proxy.close();
    }
}
