package io.sqspii.inspector.data;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The JDBC URL's credential parameters. pgjdbc takes {@code user}, {@code password} and {@code sslpassword}
 * from the URL over the dialog's fields, and the URL is remembered in java.util.prefs: a password there
 * would be written to disk, and a user there would log the database session in as someone other than the
 * login the reveal service is sent. So a URL with one is refused at connect ({@link Session#open}), and
 * none is ever remembered ({@link #withoutCredentials}).
 */
public final class JdbcUrl {

    /** Compared case-insensitively and URL-decoded, a little wider than pgjdbc, which matches exactly. */
    static final Set<String> CREDENTIAL_PARAMETERS = Set.of("user", "password", "sslpassword");

    private JdbcUrl() {}

    /** The first credential parameter the driver would read from {@code url}, by name (its value is never looked at). */
    static Optional<String> credentialParameter(String url) {
        if (userInfoEnd(url) >= 0) {
            // pgjdbc has no user info, it would fail on the port and log the text after ':'
            return Optional.of("user:password@");
        }
        // the driver's own parser: what it would take from the URL is what is checked
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        if (parsed == null) {
            return Optional.empty();
        }
        return parsed.stringPropertyNames().stream()
                .filter(JdbcUrl::isCredential)
                .sorted()
                .findFirst();
    }

    /** {@code url} without its credential parameters; everything else as typed. */
    public static String withoutCredentials(String url) {
        int at = userInfoEnd(url);
        if (at >= 0) {
            int start = url.indexOf("//") + 2;
            url = url.substring(0, start) + url.substring(at + 1);
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        List<String> kept = new ArrayList<>();
        for (String token : url.substring(q + 1).split("&", -1)) {
            int eq = token.indexOf('=');
            if (!token.isEmpty() && !isCredential(eq < 0 ? token : token.substring(0, eq))) {
                kept.add(token);
            }
        }
        return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    /** The index of the '@' that ends a user-info part of the URL's authority, or -1. */
    private static int userInfoEnd(String url) {
        int start = url.indexOf("//");
        if (start < 0) {
            return -1;
        }
        int end = start + 2;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
            end++;
        }
        return url.lastIndexOf('@', end - 1) >= start + 2 ? url.lastIndexOf('@', end - 1) : -1;
    }

    private static boolean isCredential(String name) {
        String decoded;
        try {
            decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = name;
        }
        return CREDENTIAL_PARAMETERS.contains(decoded.strip().toLowerCase(Locale.ROOT));
    }
}
