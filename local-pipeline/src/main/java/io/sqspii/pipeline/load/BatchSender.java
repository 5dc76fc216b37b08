package io.sqspii.pipeline.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends one batch and resends the entries SQS reports in {@code Failed} (with HTTP 200, so the SDK does not retry
 * them). A sender fault would fail again, so it ends the send at once. Entry ids are the bodies' input positions,
 * which makes every error message point at the input without quoting it.
 */
final class BatchSender {

    static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final SqsClient client;
    private final String queueUrl;

    BatchSender(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
    }

    /** Sends the bodies of {@code range} and stores each one's MessageId in {@code ids} at its input position. */
    void send(List<String> bodies, Batches.Range range, String[] ids) throws InterruptedException {
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (int i = range.from(); i < range.to(); i++) {
            pending.put(Integer.toString(i), i);
        }
        for (int attempt = 1; ; attempt++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(pending.size());
            pending.forEach((id, i) -> entries.add(SendMessageBatchRequestEntry.builder()
                    .id(id)
                    .messageBody(bodies.get(i))
                    .build()));
            SendMessageBatchResponse response = call(entries, range);
            for (SendMessageBatchResultEntry ok : response.successful()) {
                Integer i = pending.remove(ok.id());
                if (i != null) {
                    ids[i] = ok.messageId();
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            String code = "not in the response";
            for (BatchResultErrorEntry failed : response.failed()) {
                if (Boolean.TRUE.equals(failed.senderFault())) {
                    throw new SendFailedException("SQS refused message " + failed.id() + " (sender fault, code "
                            + failed.code() + "); not retried");
                }
                code = failed.code();
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new SendFailedException(
                        pending.size() + " message(s) still failing after " + MAX_ATTEMPTS + " attempts, first entry "
                                + pending.keySet().iterator().next() + " (last code " + code + ")");
            }
            Thread.sleep(backoffMillis(attempt));
        }
    }

    private SendMessageBatchResponse call(List<SendMessageBatchRequestEntry> entries, Batches.Range range) {
        try {
            return client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        } catch (AwsServiceException e) {
            // The SDK has already retried what is retryable (throttling, 5xx, I/O) by its own policy.
            throw new SendFailedException(
                    "SendMessageBatch for messages " + range.from() + ".." + (range.to() - 1) + " failed: "
                            + e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + ")",
                    e);
        } catch (SdkException e) {
            throw new SendFailedException(
                    "SendMessageBatch for messages " + range.from() + ".." + (range.to() - 1) + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Exponential, capped, with jitter so that worker threads do not retry in step. */
    static long backoffMillis(int attempt) {
        long ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
