package io.sqspii.pii.crypto;

import java.util.Locale;

/**
 * Normalisation applied before encryption, so that two spellings of one value give one ciphertext
 * (otherwise deterministic "duplicates" silently miss).
 */
public enum Canonicalizer {
    NONE {
        @Override
        public String apply(String value) {
            return value;
        }
    },
    TRIM {
        @Override
        public String apply(String value) {
            return value.strip();
        }
    },
    LOWERCASE {
        @Override
        public String apply(String value) {
            return value.strip().toLowerCase(Locale.ROOT);
        }
    },
    /**
     * IPv4 (leading zeros dropped: {@code 010.001.002.003} → {@code 10.1.2.3}) and IPv6 (RFC 5952 form,
     * IPv4-mapped addresses as IPv4). A value that is not an IP literal is only trimmed: it is still
     * encrypted, never rejected or resolved through DNS.
     */
    IP {
        @Override
        public String apply(String value) {
            String s = value.strip();
            String v4 = IpCanonical.ipv4(s);
            if (v4 != null) {
                return v4;
            }
            String v6 = IpCanonical.ipv6(s);
            return v6 != null ? v6 : s;
        }
    };

    public abstract String apply(String value);

    /** Parses {@code none|trim|lowercase|ip} (any case). */
    public static Canonicalizer parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PiiCryptoException("unknown canonicalization '" + text + "' (expected none, trim, lowercase or ip)");
        }
    }
}
