package io.sqspii.reveal;

import io.sqspii.reveal.api.ErrorCode;
import java.util.Map;

/**
 * An answer other than 200: its code (which gives the status) and a message that is safe to show and to log (never
 * PII, never a password).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, String> headers;

    ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    ApiException(ErrorCode code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.headers = headers;
    }

    ErrorCode code() {
        return code;
    }

    int status() {
        return code.status();
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    /** No WWW-Authenticate: a browser would prompt, then cache the credentials for any page's requests to us. */
    static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.NOT_AUTHENTICATED, message);
    }
}
