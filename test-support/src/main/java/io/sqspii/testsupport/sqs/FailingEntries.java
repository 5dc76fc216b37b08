package io.sqspii.testsupport.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * What a local server never does: reports entries of a batch call as failed on the server's side (SenderFault
 * false, ServiceUnavailable, HTTP 200). An entry chosen to fail is held back from the server, so the queue ends up
 * with exactly what was really accepted.
 */
public final class FailingEntries implements ProxyPolicy {

    private final String operation;
    /** (entry id, attempt number from 1) → whether that attempt fails. */
    private final BiPredicate<String, Integer> fails;

    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    /** Entries of {@code operation} (e.g. "SendMessageBatch") fail where {@code fails(entry id, attempt)} says. */
    public FailingEntries(String operation, BiPredicate<String, Integer> fails) {
        this.operation = operation;
        this.fails = fails;
    }

    /** How often an entry of this id reached the proxy. */
    public int attempts(String entryId) {
        return attempts.getOrDefault(entryId, 0);
    }

    @Override
    public void before(SqsCall call) throws IOException {
        if (call.operation().equals(operation)) {
            call.failEntries((i, entry) -> attempt(entry), "ServiceUnavailable", false, "injected by the test proxy");
        }
    }

    private boolean attempt(JsonNode entry) {
        String id = entry.path("Id").asText();
        return fails.test(id, attempts.merge(id, 1, Integer::sum));
    }
}
