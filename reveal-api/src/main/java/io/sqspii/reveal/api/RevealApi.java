package io.sqspii.reveal.api;

import java.util.List;

/**
 * The reveal service's HTTP surface (reveal-service/README.md) and the database function behind it, for the
 * service and its clients alike. Bodies are the records of this package, as JSON with null fields left out.
 */
public final class RevealApi {
    /** POST a {@link RevealRequest}; 200 answers a {@link RevealResponse}, anything else an {@link ErrorResponse}. */
    public static final String REVEAL_PATH = "/v1/reveal";
    /**
     * POST an {@link ErasureRequest} as a pii_eraser login; 200 answers an {@link ErasureResponse}, anything else an
     * {@link ErrorResponse}.
     */
    public static final String ERASURE_PATH = "/v1/erasure";
    /** Most characters of the identifying value of an erasure (an e-mail address has at most 320). */
    public static final int MAX_ERASURE_VALUE = 1024;
    /**
     * The modes whose stored values an erasure can find by equality: equal values have equal ciphertexts (or
     * tokens). Randomized values cannot be matched.
     */
    public static final List<String> ERASURE_MODES = List.of("deterministic", "hmac");
    /** GET, no authentication: a {@link Health}. */
    public static final String HEALTH_PATH = "/health";
    /**
     * pii_reveal() with its argument types (table, row key, column, path, purpose, reason), as every call and
     * privilege check names it: an overload such as pii_reveal(varchar, ...) can never stand in for it.
     */
    public static final String REVEAL_FUNCTION = "public.pii_reveal(text,text,text,text,text,text)";
    /** A purpose code (pii_purposes.code): what a reveal names as its why, with free-text detail as the reason. */
    public static final String PURPOSE_PATTERN = "[a-z][a-z0-9-]{0,39}";
    /** The built-in purpose of an emergency grant a reader opens alone (pii_break_glass()). */
    public static final String BREAK_GLASS = "break-glass";
    /** Most characters of a reason (the audit keeps it; pii_audit_text_ok() in roles.sql holds the same limit). */
    public static final int MAX_REASON = 500;
    /** Most characters of a row key. */
    public static final int MAX_ROW_KEY = 256;
    /** Most characters of a path into a jsonb array cell. */
    public static final int MAX_PATH = 256;

    private RevealApi() {}
}
