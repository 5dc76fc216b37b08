package io.sqspii.pii.crypto;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.net.IDN;
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
    },
    /**
     * E-mail addresses: {@link #TRIM}; the local part (before the last {@code @}) lower-cased unless
     * {@link Options#emailLocalCase()} says preserve; the domain lower-cased and in one IDNA spelling, so that
     * {@code bücher.de} and {@code xn--bcher-kva.de} are one value: its Unicode form ({@link IDN#toUnicode} of
     * {@link IDN#toASCII}) if that is no larger than the domain as written, else its ASCII form if that is no
     * larger, else as written. Text that is not {@code local@domain} stays trimmed.
     */
    EMAIL {
        @Override
        public String apply(String value, Options options) {
            String s = strip(value);
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1) {
                return s;
            }
            String local = options.emailLocalCase() == LocalCase.LOWER
                    ? s.substring(0, at).toLowerCase(Locale.ROOT)
                    : s.substring(0, at);
            String domain = s.substring(at + 1).toLowerCase(Locale.ROOT);
            try {
                String ascii = IDN.toASCII(domain).toLowerCase(Locale.ROOT);
                String unicode = IDN.toUnicode(ascii).toLowerCase(Locale.ROOT);
                domain = fits(unicode, domain) ? unicode : fits(ascii, domain) ? ascii : domain;
            } catch (IllegalArgumentException notIdna) { // e.g. an empty or over-long label: kept as written
            }
            return local + "@" + domain;
        }
    },
    /**
     * Phone numbers in E.164 ({@code +41446681800}) through libphonenumber: a number with a {@code +} country
     * code always, a national one only with {@link Options#phoneRegion()}. A value that does not parse, is not a
     * possible number, carries an extension (E.164 would drop it) or whose E.164 form would be larger than the
     * value stays trimmed.
     */
    PHONE {
        @Override
        public String apply(String value, Options options) {
            String s = strip(value);
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            try {
                PhoneNumber n = util.parse(s, options.phoneRegion().isEmpty() ? "ZZ" : options.phoneRegion());
                if (n.hasExtension() || !util.isPossibleNumber(n)) {
                    return s;
                }
                String e164 = util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
                return fits(e164, s) ? e164 : s;
            } catch (NumberParseException notANumber) {
                return s;
            }
        }
    };

    /** How the local part of an e-mail address is written in its canonical form. */
    public enum LocalCase {
        LOWER,
        PRESERVE
    }

    /**
     * Settings of the forms that have some: {@code phoneRegion} is an ISO 3166 region code (upper case) for
     * numbers written without {@code +}, empty for none.
     */
    public record Options(LocalCase emailLocalCase, String phoneRegion) {
        public static final Options DEFAULT = new Options(LocalCase.LOWER, "");

        public Options {
            phoneRegion = phoneRegion == null ? "" : phoneRegion;
        }
    }

    /** The canonical form with the {@link Options#DEFAULT default options}. */
    public String apply(String value) {
        return apply(value, Options.DEFAULT);
    }

    /** The forms without settings ignore {@code options}. */
    public String apply(String value, Options options) {
        return apply(value);
    }

    /**
     * Whether a form that can grow (an IDNA spelling, a country code) may replace {@code raw}: no more UTF-8 bytes
     * and no more code points, so it stays within every bound the value is in (the record's size, a schema's
     * maxLength) and a valid address or number is never dead-lettered for its canonical form.
     */
    static boolean fits(String form, String raw) {
        return form.codePointCount(0, form.length()) <= raw.codePointCount(0, raw.length())
                && utf8Length(form) <= utf8Length(raw);
    }

    /** UTF-8 length in bytes, without encoding. */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Parses {@code none|trim|lowercase|identifier|ip|email|phone} (any case). */
    public static Canonicalizer parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            // the text is not quoted: it may be a resolved secret
            throw new PiiCryptoException(
                    "unknown canonicalization (expected none, trim, lowercase, identifier or ip; email or phone)");
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
