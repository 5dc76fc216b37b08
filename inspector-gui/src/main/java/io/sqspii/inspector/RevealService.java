package io.sqspii.inspector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit-then-decrypt. A reveal (1) reads the stored ciphertext of each cell, (2) inserts one
 * pii_access_log row per cell (analyst = current_user by the column default) and commits, and (3)
 * only after the commit succeeded decrypts. If the audit rows cannot be committed, nothing is
 * decrypted. Plaintext is returned to the caller and never logged or stored.
 */
final class RevealService {

    static final int MAX_REASON_LENGTH = 500;

    /** A PII cell: table, row key, column. */
    record Cell(TableSpec table, Object key, String column) {
    }

    /** A revealed cell. {@link #toString()} leaves the plaintext out. */
    record Revealed(Cell cell, String plaintext) {
        @Override
        public String toString() {
            return "Revealed[" + cell + "]";
        }
    }

    /** Whether a column can be revealed now, and if not, why (shown next to the disabled action). */
    record Availability(boolean allowed, String reason) {
        static final Availability OK = new Availability(true, "");
    }

    private final Session session;
    private final Decryptor decryptor;
    private final InspectorRepository repository;

    /** @param decryptor the loaded keys, or null when none is loaded */
    RevealService(Session session, InspectorRepository repository, Decryptor decryptor) {
        this.session = session;
        this.repository = repository;
        this.decryptor = decryptor;
    }

    Availability availability(TableSpec table, String columnName) {
        Column column = table.column(columnName).orElse(null);
        if (column == null || !column.isPii()) {
            return new Availability(false, "Select a cell of a PII column (masked_ip, masked_device_id, encrypted_body).");
        }
        if (!session.canReveal()) {
            return new Availability(false, "Reveal needs the pii_reader role: login " + session.currentUser()
                    + " may not write the audit log (pii_access_log).");
        }
        if (decryptor == null || !decryptor.hasKey(table, column)) {
            return new Availability(false, "No key loaded for " + table.name() + "." + column.name()
                    + ": reconnect with its keyset.");
        }
        return Availability.OK;
    }

    /**
     * Reveals the cells for the stated reason. Throws {@link InspectorException} (and reveals nothing)
     * when not allowed, when the reason is blank, or when the audit rows could not be committed.
     */
    List<Revealed> reveal(List<Cell> cells, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new InspectorException("A reason is required to reveal PII.");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw new InspectorException("The reason is longer than " + MAX_REASON_LENGTH + " characters.");
        }
        if (cells.isEmpty()) {
            throw new InspectorException("Select the cell(s) to reveal.");
        }
        for (Cell cell : cells) {
            Availability a = availability(cell.table(), cell.column());
            if (!a.allowed()) {
                throw new InspectorException(a.reason());
            }
        }
        List<String> ciphertexts = auditAndRead(cells, why);
        // Past this point the audit rows are committed: decrypting is allowed.
        List<Revealed> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Column column = cell.table().requireColumn(cell.column());
            String plaintext;
            try {
                plaintext = decryptor.decrypt(cell.table(), column, ciphertexts.get(i));
            } catch (RuntimeException e) {
                throw new InspectorException("Cannot decrypt " + cell.table().name() + "." + column.name()
                        + " with the loaded key (another keyset, or the value is damaged).", e);
            }
            out.add(new Revealed(cell, plaintext));
        }
        return out;
    }

    /** Reads the ciphertexts and commits one audit row per cell in one transaction. */
    private List<String> auditAndRead(List<Cell> cells, String reason) {
        Connection c = session.connection();
        try {
            c.setAutoCommit(false);
            try {
                List<String> ciphertexts = new ArrayList<>(cells.size());
                for (Cell cell : cells) {
                    String stored = repository.storedValue(cell.table(), cell.key(), cell.column());
                    if (stored == null) {
                        throw new InspectorException("That row or value no longer exists.");
                    }
                    ciphertexts.add(stored);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO pii_access_log (table_name, row_key, column_name, reason) VALUES (?, ?, ?, ?)")) {
                    for (Cell cell : cells) {
                        ps.setString(1, cell.table().name());
                        ps.setString(2, String.valueOf(cell.key()));
                        ps.setString(3, cell.column());
                        ps.setString(4, reason);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return ciphertexts;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                if (e instanceof InspectorException ie) {
                    throw new InspectorException("Nothing revealed: " + ie.getMessage(), ie);
                }
                SQLException se = e instanceof SQLException s ? s : null;
                String why = se != null ? DbErrors.message(unwrapBatch(se)) : e.getClass().getSimpleName();
                throw new InspectorException("Nothing revealed: the audit row could not be written. " + why, e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new InspectorException("Nothing revealed: " + DbErrors.message(e), e);
        }
    }

    private static SQLException unwrapBatch(SQLException e) {
        // BatchUpdateException carries the server's error (and its SQLSTATE) as next exception
        return e.getNextException() != null ? e.getNextException() : e;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }
}
