package io.sqspii.reveal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** The analyst's PostgreSQL login and password from an HTTP Basic Authorization header. */
record Credentials(String login, String password) {
    /** PostgreSQL truncates role names to NAMEDATALEN - 1 bytes. */
    static final int MAX_LOGIN_BYTES = 63;

    static Credentials fromHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("log in with your PostgreSQL login (HTTP Basic authentication)");
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("basic")) {
            throw ApiException.unauthorized("only HTTP Basic authentication is supported");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("the Authorization header is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw ApiException.unauthorized("the Authorization header needs login:password");
        }
        String login = decoded.substring(0, colon);
        if (!isRoleName(login)) {
            throw ApiException.badRequest(
                    "the login must be at most " + MAX_LOGIN_BYTES + " bytes (UTF-8) without control characters");
        }
        return new Credentials(login, decoded.substring(colon + 1));
    }

    /**
     * pgjdbc writes the login into the startup packet as it is, and PostgreSQL reads that packet as
     * NUL-terminated name/value pairs: "reader\0application_name\0x" would log in as reader with an extra
     * setting, under a name the service never saw. No role name needs a control character.
     */
    private static boolean isRoleName(String login) {
        return login.getBytes(StandardCharsets.UTF_8).length <= MAX_LOGIN_BYTES
                && login.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    @Override
    public String toString() {
        return "Credentials[login=" + login + "]"; // never the password
    }
}
