package io.sqspii.pii.crypto;

import java.util.Locale;

/** How a field is protected. */
public enum CipherMode {
    /** AES256_SIV deterministic AEAD: equal value + same field gives equal ciphertext (SQL equality works). */
    DETERMINISTIC,
    /** AES256_GCM AEAD: a fresh nonce per call, for free text that need not be matched. */
    RANDOMIZED,
    /** HMAC-SHA256 PRF token: irreversible, still joinable. */
    HMAC;

    /** Parses {@code deterministic|randomized|hmac} (any case). */
    public static CipherMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PiiCryptoException(
                    "unknown cipher mode '" + text + "' (expected deterministic, randomized or hmac)");
        }
    }

    /** The lower-case name used in configs and on the command line. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
