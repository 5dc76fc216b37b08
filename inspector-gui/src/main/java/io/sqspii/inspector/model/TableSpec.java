package io.sqspii.inspector.model;

import java.util.List;
import java.util.Optional;

/**
 * A table the inspector browses. Its column list is the whitelist every SQL identifier comes from:
 * sort and filter columns are looked up here, never taken from user input.
 *
 * @param name table name in schema {@value #SCHEMA} (also the table name the reveal service is asked about)
 * @param key     primary-key column, one of {@code columns} (unique; the keyset tie-break; the row key of a reveal)
 * @param columns in the order they are read, shown and exported
 */
public record TableSpec(String name, Column key, List<Column> columns) {

    /** Where schema.sql creates the tables; SQL names them qualified (the session's search_path excludes it). */
    public static final String SCHEMA = "public";

    /** The inspector's own audit log (schema.sql): the one table it knows by name; datasets come from the PII catalog. */
    public static final TableSpec AUDIT = new TableSpec(
            "pii_access_log",
            "id",
            List.of(
                    Column.of("id", ColumnType.BIGINT),
                    Column.text("analyst", false, Column.Display.PERSON),
                    Column.of("at", ColumnType.TIMESTAMP),
                    Column.text("table_name", true),
                    Column.text("row_key", true, Column.Display.REFERENCE),
                    Column.text("column_name", true),
                    Column.text("reason", false, Column.Display.PROSE),
                    new Column("key_id", ColumnType.BIGINT, true, null),
                    Column.text("outcome", false),
                    Column.text("failure", true, Column.Display.PROSE),
                    Column.text("path", true)));

    public TableSpec {
        columns = List.copyOf(columns);
        if (!columns.contains(key)) {
            throw new IllegalArgumentException("the key of " + name + " is not one of its columns: " + key);
        }
    }

    /** The table whose key is its column {@code keyColumn}. */
    public TableSpec(String name, String keyColumn, List<Column> columns) {
        this(
                name,
                columns.stream()
                        .filter(c -> c.name().equals(keyColumn))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no key column " + keyColumn + " in " + name)),
                columns);
    }

    /**
     * Newest first by the first indexed timestamptz column (the time a row arrived, with its (time, key) index),
     * else by any timestamptz column, else by the key.
     */
    public Sort defaultSort() {
        return columns.stream()
                .filter(c -> c.type() == ColumnType.TIMESTAMP && c.indexed())
                .findFirst()
                .or(() -> columns.stream()
                        .filter(c -> c.type() == ColumnType.TIMESTAMP)
                        .findFirst())
                .map(c -> Sort.desc(c.name()))
                .orElse(Sort.desc(key.name()));
    }

    /** The columns holding deterministic ciphertext (equal values repeat: duplicates, shared-value warnings). */
    public List<Column> deterministicColumns() {
        return columns.stream()
                .filter(c -> c.isDeterministic() && c.type() != ColumnType.JSON)
                .toList();
    }

    /** Whether any column holds PII ciphertext (then cells can be revealed). */
    public boolean hasPii() {
        return columns.stream().anyMatch(Column::isPii);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The whitelisted column, or IllegalArgumentException for anything else. */
    public Column requireColumn(String columnName) {
        return column(columnName)
                .orElseThrow(() -> new IllegalArgumentException("no column " + columnName + " in " + name));
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + columnName + " in " + name);
    }

    /** The name for SQL: schema-qualified, so no same-named relation elsewhere on a search_path can stand in. */
    public String qualifiedName() {
        return SCHEMA + "." + name;
    }

    public String selectList() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }
}
