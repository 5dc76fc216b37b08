package io.sqspii.pipeline.load;

/** Sending to SQS failed. The message names entries and error codes, never a body (bodies hold PII). */
public final class SendFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SendFailedException(String message) {
        super(message);
    }

    SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
