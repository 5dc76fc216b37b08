package io.sqspii.pii.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many stored ciphertexts of a column (text, or the values inside a jsonb array column) carry each key id (Tink's
 * prefix); read with a cursor, never decrypted.
 */
final class KeyUsage {
    /** Values without a Tink key-id prefix (not ciphertext, or a raw-prefix key), and cells that are not jsonb arrays. */
    static final String NO_KEY_ID = "none";

    private KeyUsage() {}

    /** Parses {@code table.column} (or {@code schema.table.column}) into table and column. */
    static String[] tableAndColumn(String tableColumn) {
        int dot = tableColumn.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("expected TABLE.COLUMN, got '" + tableColumn + "'");
        }
        return new String[] {
            SqlName.table(tableColumn.substring(0, dot)), SqlName.column(tableColumn.substring(dot + 1))
        };
    }

    /** Counts by unsigned key id, plus {@link #NO_KEY_ID}. */
    static Map<String, Long> count(Connection c, String table, StoredCell cell) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        String column = cell.json() ? cell.column + "::text" : cell.column;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery(
                    "SELECT " + column + " FROM " + SqlName.table(table) + " WHERE " + cell.column + " IS NOT NULL")) {
                while (rs.next()) {
                    try {
                        for (Integer id : cell.keyIds(rs.getString(1))) {
                            counts.merge(
                                    id == null ? NO_KEY_ID : Long.toString(Integer.toUnsignedLong(id)), 1L, Long::sum);
                        }
                    } catch (StoredCell.Unreadable e) {
                        counts.merge(NO_KEY_ID, 1L, Long::sum);
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
        return counts;
    }
}
