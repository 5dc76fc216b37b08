package io.sqspii.testsupport.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * SQS requests that reached the server, counted by what AWS bills them as, and the messages they carried. Each
 * request is one billed request whatever it carries (up to 10 entries, 64 KiB chunks aside), so requests per message
 * is the cost.
 */
public final class SqsRequestBill implements ProxyPolicy {

    private final LongAdder receives = new LongAdder();
    private final LongAdder emptyReceives = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder visibility = new LongAdder();
    private final LongAdder attributes = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder deleted = new LongAdder();

    @Override
    public void after(SqsCall call) throws IOException {
        count(call.operation(), call.status() == 200 ? entries(call) : -1);
    }

    /**
     * Messages a successful call carried: received for a receive, entries for a batch, 1 for a single delete or
     * visibility change, 0 otherwise. Only receives and batches are parsed (their bodies are a few KiB).
     */
    private static int entries(SqsCall call) throws IOException {
        return switch (call.operation()) {
            case "ReceiveMessage" -> size(call.responseJson().path("Messages"));
            case "DeleteMessageBatch", "ChangeMessageVisibilityBatch" ->
                size(call.requestJson().path("Entries"));
            case "DeleteMessage", "ChangeMessageVisibility" -> 1;
            default -> 0;
        };
    }

    private static int size(JsonNode array) {
        return array.isArray() ? array.size() : 0;
    }

    /** One call of {@code operation} that carried {@code entries} messages, or failed as a whole ({@code -1}). */
    private void count(String operation, int entries) {
        if (entries < 0) {
            failed.increment();
        }
        int carried = Math.max(entries, 0);
        switch (operation) {
            case "ReceiveMessage" -> {
                receives.increment();
                received.add(carried);
                if (entries == 0) {
                    emptyReceives.increment();
                }
            }
            case "DeleteMessage", "DeleteMessageBatch" -> {
                deletes.increment();
                deleted.add(carried);
            }
            case "ChangeMessageVisibility", "ChangeMessageVisibilityBatch" -> visibility.increment();
            case "GetQueueAttributes", "GetQueueUrl" -> attributes.increment();
            default -> other.increment();
        }
    }

    /** Messages deleted so far: done with, as far as SQS is concerned. */
    public long deleted() {
        return deleted.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(
                receives.sum(),
                emptyReceives.sum(),
                deletes.sum(),
                visibility.sum(),
                attributes.sum(),
                other.sum(),
                failed.sum(),
                received.sum(),
                deleted.sum());
    }

    /** Counts at one moment; {@link #minus} gives those of an interval. */
    public record Snapshot(
            long receives,
            long emptyReceives,
            long deletes,
            long visibility,
            long attributes,
            long other,
            long failed,
            long received,
            long deleted) {

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(
                    receives - earlier.receives,
                    emptyReceives - earlier.emptyReceives,
                    deletes - earlier.deletes,
                    visibility - earlier.visibility,
                    attributes - earlier.attributes,
                    other - earlier.other,
                    failed - earlier.failed,
                    received - earlier.received,
                    deleted - earlier.deleted);
        }

        public long requests() {
            return receives + deletes + visibility + attributes + other;
        }

        /** "requests per 1,000 messages: 201 (receive 101, empty 1, delete 100, visibility 0, attributes 0)". */
        public String perThousand(long messages) {
            double k = Math.max(messages, 1) / 1000.0;
            return String.format(
                    Locale.ROOT,
                    "%.0f per 1,000 messages (receive %.1f, of them empty %.1f, delete %.1f, visibility %.1f,"
                            + " attributes %.1f, other %.1f) = %.3f requests per message",
                    requests() / k,
                    receives / k,
                    emptyReceives / k,
                    deletes / k,
                    visibility / k,
                    attributes / k,
                    other / k,
                    requests() / (k * 1000));
        }

        public ObjectNode toJson(long messages) {
            double k = Math.max(messages, 1) / 1000.0;
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("messages", messages);
            node.put("requests", requests());
            node.put("receive", receives);
            node.put("emptyReceive", emptyReceives);
            node.put("delete", deletes);
            node.put("visibility", visibility);
            node.put("attributes", attributes);
            node.put("other", other);
            node.put("failedCalls", failed);
            node.put("requestsPerMessage", Math.round(requests() / k) / 1000.0);
            node.put("requestsPer1000Messages", Math.round(requests() / k * 10) / 10.0);
            return node;
        }
    }
}
