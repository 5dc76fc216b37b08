package io.sqspii.pii.crypto;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Normalisation applied before encryption, so that two spellings of one value give one ciphertext
 * (otherwise deterministic "duplicates" silently miss). A value without a canonical form is never rejected
 * here: it is encrypted as given (only stripped), so the record is neither lost nor shown.
 */
public enum Canonicalizer {
    NONE {
        @Override
        public String apply(String value) {
            return value;
        }
    },
    /** Strips leading and trailing white space, Unicode spaces (NBSP, ideographic space) and zero-width characters. */
    TRIM {
        @Override
        public String apply(String value) {
            return strip(value);
        }
    },
    /** {@link #TRIM}, then lower case (Unicode, locale-independent). */
    LOWERCASE {
        @Override
        public String apply(String value) {
            return strip(value).toLowerCase(Locale.ROOT);
        }
    },
    /**
     * Identifiers such as device ids: NFKC (compatibility forms such as full-width {@code ＡＢ１} and NBSP
     * become {@code AB1} and a space), case fold, NFKC again, then {@link #TRIM}. Inner characters are kept.
     */
    IDENTIFIER {
        @Override
        public String apply(String value) {
            String nfkc = Normalizer.normalize(value, Normalizer.Form.NFKC);
            // upper then lower approximates Unicode full case folding with the JDK alone (ß → ss, ς → σ)
            String folded = nfkc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
            return strip(Normalizer.normalize(folded, Normalizer.Form.NFKC));
        }
    },
    /**
     * IPv4 dotted quads in strict decimal and IPv6 in RFC 5952 form (IPv4-mapped addresses as IPv4). A part
     * with a leading zero ({@code 010.1.2.3}) is ambiguous ({@code inet_aton} reads it as octal 8, most
     * parsers as decimal 10) and, like any text that is not a well-formed literal ({@code 1.2.3.4::}), is
     * not an address: it is encrypted as given (stripped), never resolved through DNS.
     */
    IP {
        @Override
        public String apply(String value) {
            String s = strip(value);
            String v4 = IpCanonical.ipv4(s);
            if (v4 != null) {
                return v4;
            }
            String v6 = IpCanonical.ipv6(s);
            return v6 != null ? v6 : s;
        }
    };

    public abstract String apply(String value);

    /** Parses {@code none|trim|lowercase|identifier|ip} (any case). */
    public static Canonicalizer parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            // the text is not quoted: it may be a resolved secret
            throw new PiiCryptoException("unknown canonicalization (expected none, trim, lowercase, identifier or ip)");
        }
    }

    /** Strips what a reader cannot see at either end: white space, space separators and format characters. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!invisible(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!invisible(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    private static boolean invisible(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.getType(cp) == Character.FORMAT;
    }
}
