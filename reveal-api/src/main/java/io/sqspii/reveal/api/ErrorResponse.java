package io.sqspii.reveal.api;

/**
 * Every answer but a 200: a message safe to show and to log (never PII, never a password), and the refusal's
 * {@link ErrorCode} as its wire string (a string, so that a client reads a newer service's codes too).
 */
public record ErrorResponse(String error, String code) {

    public static ErrorResponse of(ErrorCode code, String error) {
        return new ErrorResponse(error, code.wire());
    }

    /** The refusal's code; null if the service sent none or one this version does not know. */
    public ErrorCode errorCode() {
        return ErrorCode.of(code);
    }
}
