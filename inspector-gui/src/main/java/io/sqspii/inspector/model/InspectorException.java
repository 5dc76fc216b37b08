package io.sqspii.inspector.model;

/**
 * A failure with a message meant for the analyst (shown in the UI as is). Messages never hold
 * row values, ciphertext or plaintext.
 */
public class InspectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InspectorException(String message) {
        super(message);
    }

    public InspectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
