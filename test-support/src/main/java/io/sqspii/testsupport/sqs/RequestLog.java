package io.sqspii.testsupport.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls that reached the proxy, by operation: how many, their request bodies as they arrived (unless counting
 * only), and how many were open at once. Place it first, so that it sees each call before another policy changes
 * or answers it.
 */
public final class RequestLog implements ProxyPolicy {

    private final boolean keepBodies;
    private final Map<String, List<JsonNode>> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

    private RequestLog(boolean keepBodies) {
        this.keepBodies = keepBodies;
    }

    /** Keeps every request body. */
    public static RequestLog keepingBodies() {
        return new RequestLog(true);
    }

    /** Counts calls without keeping their bodies (for long benchmark runs). */
    public static RequestLog countingOnly() {
        return new RequestLog(false);
    }

    /** Request bodies (JSON) of every call of {@code operation} that reached the proxy, in order. */
    public List<JsonNode> requests(String operation) {
        if (!keepBodies) {
            throw new IllegalStateException("this log only counts calls");
        }
        return requests.getOrDefault(operation, List.of());
    }

    /** How many calls of {@code operation} reached the proxy. */
    public int calls(String operation) {
        return counter(calls, operation).get();
    }

    /** Calls of {@code operation} waiting for an answer right now (on an idle queue: the long polls parked). */
    public int open(String operation) {
        return counter(open, operation).get();
    }

    /** The most calls of {@code operation} that were open at the same time. */
    public int mostOpen(String operation) {
        return counter(mostOpen, operation).get();
    }

    /** {@link #mostOpen} since the last call of this method; resets it to those open now. */
    public int takeMostOpen(String operation) {
        return counter(mostOpen, operation).getAndSet(open(operation));
    }

    @Override
    public void before(SqsCall call) throws IOException {
        String op = call.operation();
        if (keepBodies) {
            requests.computeIfAbsent(op, k -> new CopyOnWriteArrayList<>()).add(call.requestJson());
        }
        counter(calls, op).incrementAndGet();
        counter(mostOpen, op).accumulateAndGet(counter(open, op).incrementAndGet(), Math::max);
    }

    @Override
    public void answering(SqsCall call) {
        counter(open, call.operation()).decrementAndGet();
    }

    private static AtomicInteger counter(Map<String, AtomicInteger> counters, String operation) {
        return counters.computeIfAbsent(operation, k -> new AtomicInteger());
    }
}
