package io.sqspii.reveal;

import java.util.Map;

/** An answer other than 200, with a message that is safe to show and to log (never PII, never a password). */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** No WWW-Authenticate: a browser would prompt, then cache the credentials for any page's requests to us. */
    static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }
}
