package io.sqspii.reveal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The database side of a reveal, always as the analyst's own login: one connection per request (closed
 * when the request ends, so a revoked role or changed password counts from the next request; no
 * credentials are kept). pii_reveal() writes the audit rows and returns the stored ciphertexts; the
 * transaction commits before this class returns them.
 */
final class RevealDatabase {

    /** One audit row written and the ciphertext it guards. */
    record Fetched(RevealRequest.Cell cell, RevealableColumn column, long auditId, String ciphertext) {
    }

    private final String url;

    RevealDatabase(String url) {
        this.url = url;
    }

    Connection connectAs(Credentials credentials) {
        Properties p = new Properties();
        p.setProperty("user", credentials.login());
        p.setProperty("password", credentials.password());
        p.setProperty("ApplicationName", "sqs-pii-connect reveal-service");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Calls pii_reveal for every cell in one transaction and commits; all or nothing. */
    List<Fetched> fetchAndAudit(Connection c, RevealRequest request) {
        List<Fetched> out = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT audit_id, ciphertext FROM public.pii_reveal(?, ?, ?, ?)")) {
                for (RevealRequest.Cell cell : request.cells()) {
                    ps.setString(1, cell.table());
                    ps.setString(2, cell.rowKey());
                    ps.setString(3, cell.column());
                    ps.setString(4, request.reason());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("pii_reveal returned no row");
                        }
                        out.add(new Fetched(cell, RevealRequest.column(cell), rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw failure(e);
        }
    }

    /** Settles every audit row (null failure = revealed) in one transaction. */
    void recordOutcomes(Connection c, List<Long> auditIds, List<String> failures) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT public.pii_reveal_outcome(?, ?, ?)")) {
            for (int i = 0; i < auditIds.size(); i++) {
                ps.setLong(1, auditIds.get(i));
                ps.setBoolean(2, failures.get(i) == null);
                ps.setString(3, failures.get(i));
                ps.execute();
            }
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed with the request anyway
        }
    }

    /**
     * The answer for a database error. Messages of the reveal functions are ours (no PII: the key is an
     * SQS message id); anything else is reported by SQLSTATE only.
     */
    static ApiException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01", "28000" -> ApiException.unauthorized("login failed: wrong login or password, or the login may "
                    + "not connect to the database");
            case "42501" -> new ApiException(403, "this login may not reveal PII (it needs the pii_reader role)");
            case "22023" -> ApiException.badRequest(serverMessage(e));
            case "P0002" -> new ApiException(404, serverMessage(e));
            default -> state.startsWith("08") || state.equals("57P03") || state.equals("53300")
                    ? new ApiException(503, "the database is unreachable (SQLSTATE " + state + ")")
                    : new ApiException(500, "database error (SQLSTATE " + state + ")");
        };
    }

    private static String serverMessage(SQLException e) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        return m != null && m.getMessage() != null ? m.getMessage() : "refused by the database (SQLSTATE " + e.getSQLState() + ")";
    }
}
