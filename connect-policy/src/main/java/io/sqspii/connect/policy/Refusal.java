package io.sqspii.connect.policy;

/**
 * Why a connector config is refused, as the HTTP status and a reason. Reasons name keys and policy keys,
 * never a submitted value: a value may hold a resolved secret or PII.
 */
record Refusal(int status, String reason) {

    static Refusal forbidden(String reason) {
        return new Refusal(403, reason);
    }

    static Refusal badRequest(String reason) {
        return new Refusal(400, reason);
    }
}
