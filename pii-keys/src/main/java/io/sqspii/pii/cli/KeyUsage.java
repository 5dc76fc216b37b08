package io.sqspii.pii.cli;

import io.sqspii.pii.crypto.PiiCipher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** How many stored ciphertexts of a column carry each key id (Tink's prefix); read with a cursor, never decrypted. */
final class KeyUsage {
    /** Values without a Tink key-id prefix (not ciphertext, or a raw-prefix key). */
    static final String NO_KEY_ID = "none";

    private KeyUsage() {
    }

    /** {@code table.column} (or {@code schema.table.column}) → counts by unsigned key id, plus {@link #NO_KEY_ID}. */
    static Map<String, Long> count(Connection c, String tableColumn) throws SQLException {
        int dot = tableColumn.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("expected TABLE.COLUMN, got '" + tableColumn + "'");
        }
        String table = SqlName.table(tableColumn.substring(0, dot));
        String column = SqlName.column(tableColumn.substring(dot + 1));
        Map<String, Long> counts = new TreeMap<>();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL")) {
                while (rs.next()) {
                    Integer id = PiiCipher.keyIdOf(rs.getString(1));
                    counts.merge(id == null ? NO_KEY_ID : Long.toString(Integer.toUnsignedLong(id)), 1L, Long::sum);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
        return counts;
    }
}
