package io.sqspii.inspector;

/**
 * A failure with a message meant for the analyst (shown in the UI as is). Messages never hold
 * row values, ciphertext or plaintext.
 */
final class InspectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InspectorException(String message) {
        super(message);
    }

    InspectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
