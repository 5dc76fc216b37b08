package io.sqspii.dataset;

import java.util.Locale;

/** The canonical form a value is normalised to before it is encrypted, so two spellings give one ciphertext. */
public enum Canonical {
    IP,
    IDENTIFIER,
    EMAIL,
    PHONE,
    NONE;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
