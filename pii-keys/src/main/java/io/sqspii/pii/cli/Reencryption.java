package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the ciphertexts of some columns of one table (text columns, and values inside jsonb array columns) to the
 * keyset's primary key, page by page in primary-key
 * order, one transaction per page. A value already carrying the primary key id is skipped, so a re-run after a
 * crash resumes where the last committed page ended and a finished run changes nothing. Each value is updated
 * only if it still holds the ciphertext that was read ({@code WHERE key = ? AND col = old}), so a row the pipeline
 * upserted meanwhile (already on the new key) is never overwritten. Nothing is written unless every value met
 * decrypts: a first pass checks them all, and each page is checked again before its update.
 */
final class Reencryption {

    /** Values of some rows that the keyset cannot decrypt: row keys and column names only, never values. */
    static final class UndecryptableException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<String> rows;
        final long count;

        UndecryptableException(List<String> rows, long count) {
            super(count + " value(s) cannot be decrypted");
            this.rows = rows;
            this.count = count;
        }
    }

    /** Per column: values rewritten, already on the primary key, changed by someone else meanwhile, null. */
    static final class ColumnCounts {
        final String column;
        long rewritten;
        long onPrimary;
        long changedConcurrently;
        long nulls;

        ColumnCounts(String column) {
            this.column = column;
        }
    }

    record Summary(long rowsScanned, long rowsRewritten, List<ColumnCounts> columns, double seconds) {}

    static final int MAX_REPORTED_ROWS = 50;

    private final String table;
    private final String keyColumn;
    private final List<StoredCell> cells;
    private final int primaryKeyId;
    private final int batchSize;
    private final double rowsPerSecond;
    private final String select;
    private final String selectAfter;
    private final String selectAll;
    private final List<String> updates = new ArrayList<>();

    Reencryption(
            KeysetHandle keyset,
            String table,
            String keyColumn,
            List<EncryptedColumn> columns,
            int batchSize,
            double rowsPerSecond) {
        CipherMode mode = Keysets.modeOf(keyset);
        if (mode == CipherMode.HMAC) {
            throw new PiiCryptoException("hmac tokens cannot be re-encrypted (irreversible): they change with the key");
        }
        this.table = SqlName.table(table);
        this.keyColumn = SqlName.column(keyColumn);
        this.cells = StoredCell.of(keyset, mode, columns);
        for (StoredCell c : cells) {
            String value = c.json() ? "?::jsonb" : "?";
            updates.add("UPDATE " + table + " SET " + SqlName.column(c.column) + " = " + value + " WHERE " + keyColumn
                    + " = ? AND " + c.column + " = " + value);
        }
        this.primaryKeyId = keyset.getPrimary().getId();
        // throttled: about one page a second, so a commit (and a crash) never holds much
        this.batchSize = rowsPerSecond > 0 ? (int) Math.max(1, Math.min(batchSize, rowsPerSecond)) : batchSize;
        this.rowsPerSecond = rowsPerSecond;
        String cols = keyColumn + ", "
                + String.join(
                        ", ",
                        cells.stream()
                                .map(c -> c.json() ? c.column + "::text" : c.column)
                                .toList());
        this.select = "SELECT " + cols + " FROM " + table + " ORDER BY " + keyColumn + " LIMIT ?";
        this.selectAll = "SELECT " + cols + " FROM " + table;
        this.selectAfter =
                "SELECT " + cols + " FROM " + table + " WHERE " + keyColumn + " > ? ORDER BY " + keyColumn + " LIMIT ?";
    }

    String table() {
        return table;
    }

    int primaryKeyId() {
        return primaryKeyId;
    }

    long countRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Read-only pass: every value not on the primary key must decrypt; else the row keys, before anything is written. */
    void check(Connection c) throws SQLException, UndecryptableException {
        List<String> bad = new ArrayList<>();
        long[] badCount = {0};
        c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery(selectAll)) {
                while (rs.next()) {
                    reencrypt(row(rs), bad, badCount, false);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        if (badCount[0] > 0) {
            throw new UndecryptableException(bad, badCount[0]);
        }
    }

    /** The writing pass. {@code progress} may be null. */
    Summary run(Connection c, Progress progress) throws SQLException, UndecryptableException, InterruptedException {
        long start = System.nanoTime();
        List<ColumnCounts> counts =
                cells.stream().map(cell -> new ColumnCounts(cell.column)).toList();
        long scanned = 0;
        long rewrittenRows = 0;
        long attemptedRows = 0;
        Object after = null;
        List<Row> page;
        c.setAutoCommit(false);
        try {
            do {
                page = readPage(c, after);
                List<String> bad = new ArrayList<>();
                long[] badCount = {0};
                List<PreparedUpdate> todo = new ArrayList<>();
                for (Row r : page) {
                    String[] fresh = reencrypt(r, bad, badCount, true);
                    for (int i = 0; i < cells.size(); i++) {
                        if (r.values[i] == null) {
                            counts.get(i).nulls++;
                        } else if (fresh[i] == null) {
                            counts.get(i).onPrimary++;
                        } else {
                            todo.add(new PreparedUpdate(i, r.key, r.values[i], fresh[i]));
                        }
                    }
                    after = r.key;
                }
                if (badCount[0] > 0) {
                    c.rollback();
                    throw new UndecryptableException(bad, badCount[0]);
                }
                rewrittenRows += write(c, todo, counts);
                attemptedRows +=
                        todo.stream().map(PreparedUpdate::key).distinct().count();
                c.commit();
                scanned += page.size();
                if (progress != null) {
                    progress.update(scanned, rewrittenRows);
                }
                throttle(start, attemptedRows);
            } while (page.size() == batchSize);
        } catch (SQLException | RuntimeException | UndecryptableException | InterruptedException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        if (progress != null) {
            progress.finish(scanned, rewrittenRows);
        }
        return new Summary(scanned, rewrittenRows, counts, (System.nanoTime() - start) / 1e9);
    }

    private record Row(Object key, String[] values) {}

    private record PreparedUpdate(int column, Object key, String old, String fresh) {}

    private List<Row> readPage(Connection c, Object after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(after == null ? select : selectAfter)) {
            int i = 1;
            if (after != null) {
                ps.setObject(i++, after);
            }
            ps.setInt(i, batchSize);
            List<Row> rows = new ArrayList<>(batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    private Row row(ResultSet rs) throws SQLException {
        String[] values = new String[cells.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = rs.getString(k + 2);
        }
        return new Row(rs.getObject(1), values);
    }

    /**
     * New cells for those holding a value not yet on the primary key (null where nothing changes; only decrypted when
     * {@code encrypt} is false); failures noted by row key and column.
     */
    private String[] reencrypt(Row r, List<String> bad, long[] badCount, boolean encrypt) {
        String[] fresh = new String[cells.size()];
        for (int i = 0; i < fresh.length; i++) {
            if (r.values[i] == null) {
                continue;
            }
            try {
                fresh[i] = cells.get(i).reencrypt(r.values[i], primaryKeyId, encrypt);
            } catch (StoredCell.Unreadable e) {
                badCount[0]++;
                if (bad.size() < MAX_REPORTED_ROWS) {
                    bad.add(r.key + " (" + cells.get(i).column + ")");
                }
            }
        }
        return fresh;
    }

    /** Runs the page's updates; returns how many rows had at least one value rewritten. */
    private int write(Connection c, List<PreparedUpdate> todo, List<ColumnCounts> counts) throws SQLException {
        Set<Object> rewritten = new HashSet<>();
        for (int col = 0; col < cells.size(); col++) {
            List<PreparedUpdate> mine = new ArrayList<>();
            for (PreparedUpdate u : todo) {
                if (u.column == col) {
                    mine.add(u);
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(updates.get(col))) {
                for (PreparedUpdate u : mine) {
                    ps.setString(1, u.fresh);
                    ps.setObject(2, u.key);
                    ps.setString(3, u.old);
                    ps.addBatch();
                }
                int[] done = ps.executeBatch();
                for (int k = 0; k < done.length; k++) {
                    if (done[k] > 0) {
                        counts.get(col).rewritten++;
                        rewritten.add(mine.get(k).key);
                    } else {
                        counts.get(col).changedConcurrently++;
                    }
                }
            }
        }
        return rewritten.size();
    }

    private void throttle(long start, long rowsWritten) throws InterruptedException {
        if (rowsPerSecond <= 0) {
            return;
        }
        long dueNanos = (long) (rowsWritten / rowsPerSecond * 1e9);
        long ahead = dueNanos - (System.nanoTime() - start);
        if (ahead > 0) {
            Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
        }
    }
}
