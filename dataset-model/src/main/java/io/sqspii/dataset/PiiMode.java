package io.sqspii.dataset;

import java.util.Locale;

/** How a PII value is protected (pii-smt's CipherMode): its default keyset is named after it. */
public enum PiiMode {
    /** AES256_SIV: equal values give equal ciphertext (SQL equality, GROUP BY). */
    DETERMINISTIC,
    /** AES256_GCM: free text, nothing correlates. */
    RANDOMIZED,
    /** An irreversible keyed token: equality without reveal. */
    HMAC;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Equality on the column is what this mode is for: it gets a hash index. */
    boolean indexed() {
        return this != RANDOMIZED;
    }
}
