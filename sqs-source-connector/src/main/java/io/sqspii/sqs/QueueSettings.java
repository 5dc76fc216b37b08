package io.sqspii.sqs;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the queue's own attributes tell a task, read once (GetQueueAttributes) at start — or, if SQS was not
 * reachable then, before the first receive: its visibility timeout (when the config leaves it to the queue) and
 * the largest message it accepts, which bounds what one receive can bring.
 */
final class QueueSettings {

    private final VisibilityTimeout visibility;
    private volatile boolean read;
    private volatile long maxMessageBytes = SqsSourceConfig.SQS_MAX_BODY_BYTES;

    QueueSettings(VisibilityTimeout visibility) {
        this.visibility = visibility;
    }

    /** Reads the attributes unless done; throws the SDK's exception if the call fails. */
    void resolve(QueueCalls calls) {
        if (read) {
            return;
        }
        Map<QueueAttributeName, String> a =
                calls.attributes(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        if (!visibility.resolved()) {
            String vt = a.get(QueueAttributeName.VISIBILITY_TIMEOUT);
            visibility.set(vt == null ? 30 : Integer.parseInt(vt.trim())); // 30 s is SQS's default
        }
        String max = a.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        if (max != null) {
            maxMessageBytes = Math.min(SqsSourceConfig.SQS_MAX_BODY_BYTES, Long.parseLong(max.trim()));
        }
        read = true;
    }

    VisibilityTimeout visibility() {
        return visibility;
    }

    /** The queue's MaximumMessageSize (1 MiB, SQS's highest, when the queue does not say). */
    long maxMessageBytes() {
        return maxMessageBytes;
    }
}
