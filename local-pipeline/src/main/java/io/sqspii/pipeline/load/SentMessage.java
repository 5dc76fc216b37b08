package io.sqspii.pipeline.load;

/** A body as sent, with the MessageId SQS gave it (the pipeline's primary key). */
public record SentMessage(String messageId, String body) {

    /** Leaves the body out: it holds PII. */
    @Override
    public String toString() {
        return "SentMessage[messageId=" + messageId + ", body=<" + body.length() + " chars>]";
    }
}
