package io.sqspii.inspector.reveal;

import io.sqspii.inspector.model.InspectorException;

/**
 * The database refused a reveal because no active grant of the login's covers the cells for the purpose named, or
 * the grant's budget is spent: the reader can request one. The message is the database's (it names the dataset,
 * column, purpose or grant; never a value).
 */
public final class GrantNeededException extends InspectorException {
    private static final long serialVersionUID = 1L;

    public GrantNeededException(String message) {
        super(message);
    }
}
