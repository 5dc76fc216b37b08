package io.sqspii.pii.crypto;

import java.security.GeneralSecurityException;

/** A KMS call failed; the message holds KMS's error code only (no payloads). */
final class KmsCallException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    KmsCallException(String message) {
        super(message);
    }
}
