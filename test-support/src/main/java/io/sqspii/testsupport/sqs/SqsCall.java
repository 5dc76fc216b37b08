package io.sqspii.testsupport.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;

/**
 * One SQS call (JSON protocol) passing through a {@link SqsForwardingProxy}, as its policies see and change it.
 * Not thread-safe: one call is handled by one thread.
 */
public final class SqsCall {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String operation;
    private byte[] request;
    private int status;
    private byte[] response;
    private boolean answered;
    private boolean dropped;
    private boolean answerLost;
    private ArrayNode failedEntries;

    SqsCall(String operation, byte[] request) {
        this.operation = operation;
        this.request = request;
    }

    /** "ReceiveMessage", "DeleteMessageBatch", ... (the X-Amz-Target header without "AmazonSQS."); "" if none. */
    public String operation() {
        return operation;
    }

    /** The request body as it will be forwarded. */
    public byte[] request() {
        return request;
    }

    /** The request body as JSON (an empty object for an empty body). */
    public JsonNode requestJson() throws IOException {
        return request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request);
    }

    /** The server's (or a policy's) status code; 0 before there is an answer. */
    public int status() {
        return status;
    }

    /** The answer's body; null before there is one. */
    public byte[] response() {
        return response;
    }

    public JsonNode responseJson() throws IOException {
        return response == null || response.length == 0 ? JSON.createObjectNode() : JSON.readTree(response);
    }

    /** Answers in the server's place: the call is not forwarded. */
    public void answer(int status, byte[] body) {
        this.status = status;
        this.response = body;
        this.answered = true;
    }

    /** Answers with an SQS error of {@code errorType} (e.g. "com.amazon.coral.availability#ThrottlingException"). */
    public void answerError(int status, String errorType, String message) {
        ObjectNode error = JSON.createObjectNode().put("__type", errorType).put("message", message);
        answer(status, error.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Neither forwards the call nor answers it: the client sees the connection end. */
    public void drop() {
        dropped = true;
    }

    /** Forwards the call, then drops the connection instead of answering: a response lost on the way back. */
    public void loseAnswer() {
        answerLost = true;
    }

    /**
     * Withholds the entries of a batch call that {@code fails} picks (by position and entry) from the server and
     * reports them as Failed with {@code code} in the answer, as SQS does for entries it could not take. Returns how
     * many were withheld. If none is left, the proxy answers itself (HTTP 200, only Failed).
     */
    public int failEntries(BiPredicate<Integer, JsonNode> fails, String code, boolean senderFault, String message)
            throws IOException {
        ObjectNode body = (ObjectNode) requestJson();
        ArrayNode kept = JSON.createArrayNode();
        int failed = 0;
        int i = 0;
        for (JsonNode entry : body.path("Entries")) {
            if (fails.test(i++, entry)) {
                if (failedEntries == null) {
                    failedEntries = JSON.createArrayNode();
                }
                failedEntries
                        .addObject()
                        .put("Id", entry.path("Id").asText())
                        .put("Code", code)
                        .put("SenderFault", senderFault)
                        .put("Message", message);
                failed++;
            } else {
                kept.add(entry);
            }
        }
        if (failed > 0) {
            body.set("Entries", kept);
            request = JSON.writeValueAsBytes(body);
        }
        return failed;
    }

    /** The server's or a policy's answer replaces the current one. */
    public void response(byte[] body) {
        this.response = body;
    }

    boolean decided() {
        return answered || dropped;
    }

    boolean answered() {
        return answered;
    }

    boolean dropped() {
        return dropped;
    }

    boolean answerLost() {
        return answerLost;
    }

    /** Entries withheld by {@link #failEntries}, none left to send: the proxy answers with them alone. */
    void answerIfAllEntriesFailed() throws IOException {
        if (failedEntries != null && !decided() && requestJson().path("Entries").isEmpty()) {
            answer(200, JSON.writeValueAsBytes(JSON.createObjectNode().set("Failed", failedEntries)));
        }
    }

    void forwarded(int status, byte[] body) throws IOException {
        this.status = status;
        this.response = body;
        if (failedEntries != null && status == 200) {
            ObjectNode answer = (ObjectNode) responseJson();
            answer.withArray("Failed").addAll(failedEntries);
            this.response = JSON.writeValueAsBytes(answer);
        }
    }
}
