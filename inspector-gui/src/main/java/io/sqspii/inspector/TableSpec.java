package io.sqspii.inspector;

import java.util.List;
import java.util.Optional;

/**
 * A table the inspector browses. Its column list is the whitelist every SQL identifier comes from:
 * sort and filter columns are looked up here, never taken from user input.
 *
 * @param name   SQL table name
 * @param key    primary-key column (unique; the keyset tie-break)
 * @param domain crypto-core domain of its PII columns (associated data prefix), or null
 */
record TableSpec(String name, Column key, String domain, List<Column> columns) {

    static final TableSpec LOGINS = new TableSpec("user_logins", Column.text("message_id", false), "user_logins",
            List.of(Column.text("message_id", false),
                    Column.text("user_id", false),
                    Column.text("device_type", true),
                    Column.pii("masked_ip", "ip"),
                    Column.pii("masked_device_id", "device_id"),
                    Column.text("locale", true),
                    Column.text("app_version", true),
                    new Column("create_date", ColumnType.TIMESTAMP, false, null)));

    static final TableSpec REJECTED = new TableSpec("user_logins_rejected", Column.text("message_id", false),
            "user_logins_rejected",
            List.of(Column.text("message_id", false),
                    Column.text("error", false),
                    new Column("encrypted_body", ColumnType.TEXT, false, "body"),
                    new Column("create_date", ColumnType.TIMESTAMP, false, null)));

    static final TableSpec AUDIT = new TableSpec("pii_access_log", new Column("id", ColumnType.BIGINT, false, null), null,
            List.of(new Column("id", ColumnType.BIGINT, false, null),
                    Column.text("analyst", false),
                    new Column("at", ColumnType.TIMESTAMP, false, null),
                    Column.text("table_name", true),
                    Column.text("row_key", true),
                    Column.text("column_name", true),
                    Column.text("reason", false)));

    Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The whitelisted column, or IllegalArgumentException for anything else. */
    Column requireColumn(String columnName) {
        return column(columnName).orElseThrow(
                () -> new IllegalArgumentException("no column " + columnName + " in " + name));
    }

    int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + columnName + " in " + name);
    }

    String selectList() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }
}
