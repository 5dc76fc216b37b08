package io.sqspii.reveal.api;

import java.util.Locale;

/**
 * Why the service refused a request: the {@code code} of an {@link ErrorResponse}, on the wire as the constant's
 * name in lower case ({@code no_grant}). Clients tell refusals apart by it, never by the message. Each code has one
 * HTTP status. A refusal the database decides carries its code as the HINT of the error pii_reveal() or
 * pii_erase_subject() raise (connect-config/sql/roles.sql); renaming a constant changes the wire, so never do.
 */
public enum ErrorCode {
    /** Malformed JSON, an unknown field, no cells, a missing or bad reason, row key, path or login. */
    BAD_REQUEST(400),
    /** More cells in one request than max.cells.per.request. */
    TOO_MANY_CELLS(400),
    /** A cell (or an erasure's column) the PII catalog does not list. */
    UNKNOWN_COLUMN(400),
    /** No purpose (pii_purposes) with that code. */
    UNKNOWN_PURPOSE(400),
    /** No, malformed or wrong credentials, or a login that may not connect. */
    NOT_AUTHENTICATED(401),
    /** The login may not reveal: it is no pii_reader. */
    NOT_A_READER(403),
    /** The login may not erase data subjects: it is no pii_eraser. */
    NOT_AN_ERASER(403),
    /** The purpose named does not allow the column. */
    PURPOSE_NOT_ALLOWED(403),
    /** The login holds no grant for the column under that purpose: request one. */
    NO_GRANT(403),
    /** The login's grant for it waits for an approver. */
    GRANT_PENDING(403),
    /** The login's grant for it was rejected: request another. */
    GRANT_REJECTED(403),
    /** The login's grant for it has expired: request another. */
    GRANT_EXPIRED(403),
    /** The login's grant for it was revoked: request another. */
    GRANT_REVOKED(403),
    /** The grant's cell budget is spent, or too small for a value that many rows share: request another. */
    BUDGET_EXHAUSTED(403),
    /** No row with that key. */
    NO_SUCH_ROW(404),
    /** The row holds no value in that cell. */
    NO_VALUE(404),
    /** No such path. */
    NO_SUCH_RESOURCE(404),
    /** A method the path does not answer. */
    METHOD_NOT_ALLOWED(405),
    /** A body over 64 KiB. */
    TOO_LARGE(413),
    /** A POST without Content-Type: application/json. */
    NOT_JSON(415),
    /** A Host header the service does not answer under. */
    HOST_NOT_ALLOWED(421),
    /** The login's cells per minute (this replica's or the database's) are spent; Retry-After says when to retry. */
    RATE_LIMITED(429),
    /** Too many failed logins from this address (or for this login from it); Retry-After says when to retry. */
    TOO_MANY_FAILED_LOGINS(429),
    /** Anything the service cannot explain without saying too much; its log has the class or SQLSTATE. */
    INTERNAL_ERROR(500),
    /** The database cannot be reached. */
    DATABASE_UNAVAILABLE(503),
    /** All database connections are in use, or the service is shutting down; retry. */
    BUSY(503),
    /** The service does not hold a keyset the request needs. */
    KEYSET_MISSING(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this refusal is answered with. */
    public int status() {
        return status;
    }

    /** The code as the wire writes it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code of {@code wire}, or null for none or one this version does not know (a newer service's). */
    public static ErrorCode of(String wire) {
        for (ErrorCode c : values()) {
            if (c.wire().equals(wire)) {
                return c;
            }
        }
        return null;
    }
}
