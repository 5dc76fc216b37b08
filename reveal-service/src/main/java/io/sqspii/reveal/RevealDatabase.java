package io.sqspii.reveal;

import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.RevealApi;
import io.sqspii.reveal.api.RevealRequest;
import io.sqspii.reveal.api.RevealRequest.Cell;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of a reveal. The audit rows are written as the analyst's own login: one connection per
 * request (closed when the request ends, so a revoked role or changed password counts from the next request;
 * no analyst credentials are kept). pii_reveal() writes them and returns the stored ciphertexts; the
 * transaction commits before this class returns them. The outcomes are recorded as the service's own login
 * (pii_reveal_service), which no reader holds. Every call names its argument types, so that no overload
 * (pii_reveal(varchar, ...)) can bind instead of the audited function.
 */
final class RevealDatabase {

    /**
     * One audit row written, the ciphertext it guards, what decrypts it (from the same catalog row), and whether an
     * emergency (break-glass) grant covered it.
     */
    record Fetched(Cell cell, long auditId, String ciphertext, KeyRing.Binding binding, boolean breakGlass) {}

    /** The call, with every argument type named: (table, row key, column, path, purpose, reason). */
    private static final String REVEAL_CALL = "SELECT audit_id, ciphertext, mode, keyset, associated_data, "
            + "break_glass FROM " + RevealApi.REVEAL_FUNCTION.replace("text", "?::text");

    private final String url;
    private final String serviceUser;
    private final String servicePassword;

    RevealDatabase(String url, String serviceUser, String servicePassword) {
        this.url = url;
        this.serviceUser = serviceUser;
        this.servicePassword = servicePassword;
    }

    /** The database of the config; warns at start if the service's login cannot record outcomes. */
    static RevealDatabase of(RevealConfig config) {
        RevealDatabase db = new RevealDatabase(config.dbUrl(), config.dbServiceUser(), config.dbServicePassword());
        db.checkServiceLogin();
        return db;
    }

    /**
     * Without a working service login every reveal is answered without plaintext (its outcome cannot be
     * recorded): say so at start. Only a warning, so that the service starts while the database does not.
     */
    private void checkServiceLogin() {
        Logger log = LoggerFactory.getLogger(RevealDatabase.class);
        try (Connection c = connect(serviceUser, servicePassword);
                PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.has_function_privilege("
                        + "'public.pii_reveal_outcome(bigint, text, boolean, text)', 'EXECUTE') "
                        + "AND pg_catalog.has_function_privilege('public.pii_catalog()', 'EXECUTE') "
                        + "AND NOT pg_catalog.pg_has_role(session_user, 'pii_reader', 'MEMBER')");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                log.warn(
                        "{} {} may not record reveal outcomes or read the PII catalog (it needs pii_reveal_service "
                                + "and must not be a pii_reader): reveals will be answered without plaintext",
                        RevealConfig.DB_SERVICE_USER,
                        serviceUser);
            }
        } catch (SQLException e) {
            log.warn(
                    "cannot check {} {} (SQLSTATE {}): the service records each reveal's outcome as that login; "
                            + "until it can, reveals are answered without plaintext",
                    RevealConfig.DB_SERVICE_USER,
                    serviceUser,
                    e.getSQLState());
        }
    }

    /** The PII catalog, read as the service's own login (pii_catalog(): names only, no data). */
    PiiCatalog readCatalog() throws SQLException {
        try (Connection c = connect(serviceUser, servicePassword)) {
            return PiiCatalog.read(c);
        }
    }

    /** The audit chain's last row (pii_audit_head()), as the service's own login; null before the first row. */
    AuditHead readAuditHead() throws SQLException {
        try (Connection c = connect(serviceUser, servicePassword);
                PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM public.pii_audit_head()");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new AuditHead(rs.getLong(1), rs.getString(2)) : null;
        }
    }

    /** Rows of one table holding the subject's values, and the erasure's token and audit chain row. */
    record Erased(String dataset, String table, long rows, String subjectToken, long auditSeq) {}

    /**
     * pii_erase_subject() as the eraser's own login, in one transaction: counts (or deletes, with {@code erase}) the
     * rows holding any of {@code values} ([{table, column, item_pointer, ciphertext}] as JSON), and chains the audit
     * record. Committed before it returns.
     */
    List<Erased> erase(Connection c, String values, String reason, boolean erase) {
        try {
            c.setAutoCommit(false);
            List<Erased> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT dataset, table_name, rows, subject_token, audit_seq "
                    + "FROM public.pii_erase_subject(?::jsonb, ?::text, ?::boolean)")) {
                ps.setString(1, values);
                ps.setString(2, reason);
                ps.setBoolean(3, erase);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Erased(
                                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
                    }
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw failure(e, ErrorCode.NOT_AN_ERASER);
        }
    }

    /** The chain's last row: its number and SHA-256 (hex). */
    record AuditHead(long seq, String sha256) {}

    Connection connectAs(Credentials credentials) {
        try {
            return connect(credentials.login(), credentials.password());
        } catch (SQLException e) {
            throw failure(e, ErrorCode.NOT_A_READER);
        }
    }

    private Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "sqs-pii-connect reveal-service");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url, p);
    }

    /** Calls pii_reveal for every cell in one transaction and commits; all or nothing. */
    List<Fetched> fetchAndAudit(Connection c, RevealRequest request) {
        List<Fetched> out = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            // pii_reveal() counts the login's budget from committed rows: a fresh snapshot per statement
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (PreparedStatement ps = c.prepareStatement(REVEAL_CALL)) {
                for (Cell cell : request.cells()) {
                    ps.setString(1, cell.table());
                    ps.setString(2, cell.rowKey());
                    ps.setString(3, cell.column());
                    ps.setString(4, cell.path());
                    ps.setString(5, request.purpose());
                    ps.setString(6, request.reason());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("pii_reveal returned no row");
                        }
                        String where =
                                cell.table() + "." + cell.column() + (cell.path() == null ? "" : " at " + cell.path());
                        out.add(new Fetched(
                                cell,
                                rs.getLong(1),
                                rs.getString(2),
                                new KeyRing.Binding(where, rs.getString(3), rs.getString(4), rs.getString(5)),
                                rs.getBoolean(6)));
                    }
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw failure(e, ErrorCode.NOT_A_READER);
        }
    }

    /**
     * Settles every audit row of {@code analyst} (null failure = revealed) in one transaction, as the service's
     * own login on a connection of its own.
     */
    void recordOutcomes(String analyst, List<Long> auditIds, List<String> failures) throws SQLException {
        try (Connection c = connect(serviceUser, servicePassword)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT public.pii_reveal_outcome(?::bigint, ?::text, ?::boolean, ?::text)")) {
                for (int i = 0; i < auditIds.size(); i++) {
                    ps.setLong(1, auditIds.get(i));
                    ps.setString(2, analyst);
                    ps.setBoolean(3, failures.get(i) == null);
                    ps.setString(4, failures.get(i));
                    ps.execute();
                }
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
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
     * The answer for a database error. The reveal functions' own refusals name their code as the error's HINT
     * (roles.sql) and say why in words of ours (no PII: the key is an SQS message id); anything else is answered by
     * SQLSTATE only, a PostgreSQL permission denial as {@code deniedAs} (the role the call needs).
     */
    static ApiException failure(SQLException e, ErrorCode deniedAs) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ErrorCode refused = ErrorCode.of(field(e, ServerErrorMessage::getHint));
        ErrorCode code = refused != null
                ? refused
                : switch (state) {
                    case "28P01", "28000" -> ErrorCode.NOT_AUTHENTICATED;
                    case "42501" -> deniedAs;
                    case "53400" -> ErrorCode.RATE_LIMITED;
                    default ->
                        state.startsWith("08") || state.equals("57P03") || state.equals("53300")
                                ? ErrorCode.DATABASE_UNAVAILABLE
                                : ErrorCode.INTERNAL_ERROR;
                };
        return switch (code) {
            case NOT_AUTHENTICATED ->
                ApiException.unauthorized(
                        "login failed: wrong login or password, or the login " + "may not connect to the database");
            case RATE_LIMITED ->
                new ApiException(
                        code,
                        serverMessage(e) + "; " + detail(e, "retry in 60 s"),
                        Map.of("Retry-After", Long.toString(retryAfterSeconds(e))));
            case NOT_A_READER ->
                new ApiException(
                        code,
                        refused != null
                                ? serverMessage(e)
                                : "this login may not reveal PII (it needs the pii_reader role)");
            case NOT_AN_ERASER ->
                new ApiException(
                        code,
                        refused != null
                                ? serverMessage(e)
                                : "this login may not erase data subjects (it needs the pii_eraser role)");
            case DATABASE_UNAVAILABLE -> new ApiException(code, "the database is unreachable (SQLSTATE " + state + ")");
            case INTERNAL_ERROR -> new ApiException(code, "database error (SQLSTATE " + state + ")");
            default -> new ApiException(code, serverMessage(e));
        };
    }

    /** pii_reveal() says when the login's budget has room again: DETAIL 'retry in N s'. */
    private static long retryAfterSeconds(SQLException e) {
        Matcher m = RETRY_IN.matcher(detail(e, ""));
        return m.matches() ? Math.max(1, Long.parseLong(m.group(1))) : 60;
    }

    private static final Pattern RETRY_IN = Pattern.compile("retry in (\\d{1,6}) s");

    private static String detail(SQLException e, String fallback) {
        String detail = field(e, ServerErrorMessage::getDetail);
        return detail != null ? detail : fallback;
    }

    private static String serverMessage(SQLException e) {
        String message = field(e, ServerErrorMessage::getMessage);
        return message != null ? message : "refused by the database (SQLSTATE " + e.getSQLState() + ")";
    }

    private static String field(SQLException e, Function<ServerErrorMessage, String> field) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        return m == null ? null : field.apply(m);
    }
}
