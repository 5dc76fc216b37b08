package io.sqspii.inspector.model;

import java.util.Collections;
import java.util.List;

/** One row as read from the database, values in {@link TableSpec#columns()} order. */
public final class Row {
    private final TableSpec table;
    private final List<Object> values;

    public Row(TableSpec table, List<Object> values) {
        this.table = table;
        this.values = Collections.unmodifiableList(values);
    }

    public TableSpec table() {
        return table;
    }

    public Object get(String column) {
        return values.get(table.indexOf(column));
    }

    public String text(String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    public Object key() {
        return get(table.key().name());
    }

    public List<Object> values() {
        return values;
    }

    @Override
    public String toString() {
        // Only the key: the other values may be ciphertext and have no business in logs.
        return "Row[" + table.name() + " " + key() + "]";
    }
}
