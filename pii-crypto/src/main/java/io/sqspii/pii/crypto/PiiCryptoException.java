package io.sqspii.pii.crypto;

/** Any failure of the crypto core. Messages name files, fields and modes, never values or key material. */
public class PiiCryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PiiCryptoException(String message) {
        super(message);
    }

    public PiiCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
