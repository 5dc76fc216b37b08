package io.sqspii.sqs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * The string formats of the event-schema subset: checked here, where the body is read, so a value the table or the
 * PII transform could not take becomes a dead letter. {@code date-time} becomes a Connect Timestamp and {@code date}
 * a Connect Date; {@code uuid}, {@code email}, {@code ipv4}, {@code ipv6} stay the string as sent.
 */
final class Formats {

    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** Only what an IPv6 literal can hold: no zone ("%eth0"), no brackets, so nothing but the literal parser runs. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    /** A pragmatic mailbox: a local part without spaces, controls or @, and a DNS host name (RFC 5321 lengths). */
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@" + LABEL + "(\\." + LABEL + ")*");
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private Formats() {}

    /** The Connect value of {@code text} in {@code format}; {@code at} names the value for the rejection. */
    static Object convert(String format, String text, String at) throws NotInFormat {
        switch (format) {
            case "date-time" -> {
                try {
                    return Date.from(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant());
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw new NotInFormat(at, "expected an RFC 3339 date-time with an offset");
                }
            }
            case "date" -> {
                try {
                    if (text.length() != 10) {
                        throw new DateTimeParseException("", "", 0);
                    }
                    return new Date(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE)
                                    .toEpochDay()
                            * MILLIS_PER_DAY);
                } catch (DateTimeParseException e) {
                    throw new NotInFormat(at, "expected an RFC 3339 full-date (YYYY-MM-DD)");
                }
            }
            case "uuid" -> check(UUID.matcher(text).matches(), at, "expected a UUID (8-4-4-4-12 hexadecimal digits)");
            case "email" ->
                check(
                        text.length() <= 254 && EMAIL.matcher(text).matches(),
                        at,
                        "expected an email address (local-part@host.name)");
            case "ipv4" -> check(IPV4.matcher(text).matches(), at, "expected an IPv4 address in dotted-quad form");
            case "ipv6" -> check(ipv6(text), at, "expected an IPv6 address");
            default -> throw new IllegalStateException("format the schema compiler does not allow");
        }
        return text;
    }

    private static boolean ipv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches() || text.indexOf(':') < 0) {
            return false;
        }
        try {
            InetAddress.getByName(text); // a literal with ':' is parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void check(boolean ok, String at, String what) throws NotInFormat {
        if (!ok) {
            throw new NotInFormat(at, what);
        }
    }

    /** A value that is not in its format; BodyConverter turns it into a schema_mismatch rejection. */
    static final class NotInFormat extends Exception {
        private static final long serialVersionUID = 1L;
        final String at;

        NotInFormat(String at, String what) {
            super(what, null, false, false);
            this.at = at;
        }
    }
}
