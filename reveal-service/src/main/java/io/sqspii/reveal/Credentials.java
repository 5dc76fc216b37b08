package io.sqspii.reveal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** The analyst's PostgreSQL login and password from an HTTP Basic Authorization header. */
record Credentials(String login, String password) {

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
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "Credentials[login=" + login + "]"; // never the password
    }
}
