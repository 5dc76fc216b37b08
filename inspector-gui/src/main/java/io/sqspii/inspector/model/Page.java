package io.sqspii.inspector.model;

import java.util.List;

/**
 * One page of rows.
 *
 * @param rows    the rows, in sort order
 * @param next    cursor to pass for the following page (the last row's sort value and key), or null
 *                when the table has no more rows
 */
public record Page(List<Row> rows, Cursor next) {
    public boolean hasNext() {
        return next != null;
    }

    /** Position after a row: its sort-column value and its primary key. */
    public record Cursor(Object sortValue, Object key) {}
}
