package io.sqspii.inspector.reveal;

import io.sqspii.inspector.model.InspectorException;
import io.sqspii.reveal.api.ErrorCode;

/**
 * The database refused a reveal because no active grant of the login's covers the cells for the purpose named, or
 * the grant's budget is spent: the reader can request one. {@link #code()} says which (no grant, one pending,
 * rejected, expired, revoked, or its budget spent); the message is the database's (it names the dataset, column,
 * purpose or grant; never a value).
 */
public final class GrantNeededException extends InspectorException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public GrantNeededException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
