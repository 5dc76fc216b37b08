package io.sqspii.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every SQS call a task makes on its queue, each counted by type in the task metrics (the request bill). Batch
 * calls take up to 10 in-flight entries; entry ids are the entries' positions in the list.
 */
final class QueueCalls {

    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsSourceTaskMetrics metrics;
    private final List<String> attributeNames;

    /** {@code attributeNames}: the message attributes to ask for (sqs.attributes.include); empty: none. */
    QueueCalls(SqsClient sqs, String queueUrl, SqsSourceTaskMetrics metrics, List<String> attributeNames) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.metrics = metrics;
        this.attributeNames = List.copyOf(attributeNames);
    }

    String queueUrl() {
        return queueUrl;
    }

    /**
     * One long poll. {@code attemptId} (FIFO queues only, else null) lets SQS hand back the same messages when a
     * retry follows a receive whose response was lost.
     */
    List<Message> receive(int maxMessages, int waitSeconds, int visibilitySeconds, String attemptId) {
        metrics.receiveRequests.incrementAndGet();
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(maxMessages)
                        .waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(visibilitySeconds)
                        .receiveRequestAttemptId(attemptId)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames(attributeNames))
                .messages();
    }

    DeleteMessageBatchResponse delete(List<InFlight> batch) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(batch.get(i).receiptHandle)
                    .build());
        }
        metrics.deleteRequests.incrementAndGet();
        return sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }

    /** Sets the visibility timeout of up to 10 messages; {@code timeout} bounds the call (it must not outlast it). */
    ChangeMessageVisibilityBatchResponse changeVisibility(List<InFlight> batch, int seconds, Duration timeout) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(batch.get(i).receiptHandle)
                    .visibilityTimeout(seconds)
                    .build());
        }
        metrics.visibilityRequests.incrementAndGet();
        return sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                .entries(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)));
    }

    Map<QueueAttributeName, String> attributes(QueueAttributeName... names) {
        metrics.attributeRequests.incrementAndGet();
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(names))
                .attributes();
    }
}
