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

    public static final TableSpec LOGINS = new TableSpec("user_logins", "message_id",
            List.of(Column.text("message_id", false, Column.Display.REFERENCE),
                    Column.text("user_id", false, Column.Display.PERSON),
                    Column.text("device_type", true),
                    Column.pii("masked_ip", true, Column.PiiMode.DETERMINISTIC),
                    Column.pii("masked_device_id", true, Column.PiiMode.DETERMINISTIC),
                    Column.text("locale", true),
                    Column.text("app_version", true),
                    Column.of("create_date", ColumnType.TIMESTAMP)));

    public static final TableSpec REJECTED = new TableSpec("user_logins_rejected", "message_id",
            List.of(Column.text("message_id", false, Column.Display.REFERENCE),
                    Column.text("error", false, Column.Display.PROSE),
                    Column.pii("encrypted_body", false, Column.PiiMode.RANDOMIZED),
                    Column.of("create_date", ColumnType.TIMESTAMP)));

    public static final TableSpec AUDIT = new TableSpec("pii_access_log", "id",
            List.of(Column.of("id", ColumnType.BIGINT),
                    Column.text("analyst", false, Column.Display.PERSON),
                    Column.of("at", ColumnType.TIMESTAMP),
                    Column.text("table_name", true),
                    Column.text("row_key", true, Column.Display.REFERENCE),
                    Column.text("column_name", true),
                    Column.text("reason", false, Column.Display.PROSE),
                    new Column("key_id", ColumnType.BIGINT, true, null),
                    Column.text("outcome", false),
                    Column.text("failure", true, Column.Display.PROSE)));

    public TableSpec {
        columns = List.copyOf(columns);
        if (!columns.contains(key)) {
            throw new IllegalArgumentException("the key of " + name + " is not one of its columns: " + key);
        }
    }

    /** The table whose key is its column {@code keyColumn}. */
    public TableSpec(String name, String keyColumn, List<Column> columns) {
        this(name, columns.stream().filter(c -> c.name().equals(keyColumn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key column " + keyColumn + " in " + name)), columns);
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
        return column(columnName).orElseThrow(
                () -> new IllegalArgumentException("no column " + columnName + " in " + name));
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
