package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.model.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * An analyst's database session: one JDBC connection under their own login, plus what that login
 * may do. Privileges are read from the server, never assumed: reveal needs EXECUTE on the audit-and-fetch
 * function {@value #REVEAL_FUNCTION}, the Audit tab SELECT on pii_access_log, the Grants tab EXECUTE on
 * {@value #REQUEST_FUNCTION}, the Approvals tab EXECUTE on {@value #DECIDE_FUNCTION}, the Erasure tab EXECUTE on
 * {@value #ERASE_FUNCTION}.
 *
 * <p>The first statement sets the search_path to {@value #SEARCH_PATH}: unqualified functions and
 * operators then resolve in pg_catalog only, so a same-named function or operator that any login created
 * in schema public (where PUBLIC may CREATE on PostgreSQL 14 and older, and on clusters upgraded from
 * them) is never called, however well its argument types match. Tables are named schema-qualified.
 */
public final class Session implements AutoCloseable {

    /** schema.sql's own table; the datasets' tables come from the PII catalog. */
    static final List<TableSpec> REQUIRED_TABLES = List.of(TableSpec.AUDIT);

    static final String REVEAL_FUNCTION = io.sqspii.reveal.api.RevealApi.REVEAL_FUNCTION;
    /** pg_temp last: a temporary table can never stand in for a catalog (temporary functions are never found unqualified). */
    static final String SEARCH_PATH = "pg_catalog, pg_temp";
    /** Requesting grants (and break-glass): the pii_reader role. */
    static final String REQUEST_FUNCTION = "public.pii_request_grant(text,text[],text,interval,text,text)";
    /** Deciding others' requests: the pii_approver role. */
    static final String DECIDE_FUNCTION = "public.pii_decide_grant(bigint,boolean,text)";
    /** Erasing a data subject through the reveal service, which calls it as this login: the pii_eraser role. */
    static final String ERASE_FUNCTION = "public.pii_erase_subject(jsonb,text,boolean)";

    private final Connection connection;
    private final String currentUser;
    private final String database;
    private final RevealRight revealRight;
    private final boolean canReadAudit;
    private final boolean canRequestGrants;
    private final boolean canDecideGrants;
    private final boolean canErase;
    private final List<Dataset> datasets;
    private final List<Purpose> purposes;

    /** Whether this login may reveal, as the database says. */
    public enum RevealRight {
        /** EXECUTE on the reveal function (the pii_reader role). */
        GRANTED,
        /** The function exists, the login lacks EXECUTE on it. */
        NOT_GRANTED,
        /** The database has no reveal function (schema.sql not applied in its current version). */
        NO_FUNCTION
    }

    private Session(
            Connection connection,
            String currentUser,
            String database,
            RevealRight revealRight,
            boolean canReadAudit,
            boolean canRequestGrants,
            boolean canDecideGrants,
            boolean canErase,
            List<Dataset> datasets,
            List<Purpose> purposes) {
        this.connection = connection;
        this.currentUser = currentUser;
        this.database = database;
        this.revealRight = revealRight;
        this.canReadAudit = canReadAudit;
        this.canRequestGrants = canRequestGrants;
        this.canDecideGrants = canDecideGrants;
        this.canErase = canErase;
        this.datasets = List.copyOf(datasets);
        this.purposes = List.copyOf(purposes);
    }

    /**
     * Connects and checks the schema; every failure is an {@link InspectorException} with a message for
     * the dialog. The settings' password is wiped once the driver has it.
     */
    public static Session open(ConnectionSettings settings) {
        if (!settings.url().startsWith("jdbc:postgresql:")) {
            settings.wipePassword();
            throw new InspectorException("Not a PostgreSQL JDBC URL: expected jdbc:postgresql://host:port/database.");
        }
        Optional<String> credential = JdbcUrl.credentialParameter(settings.url());
        if (credential.isPresent()) {
            settings.wipePassword();
            // names the parameter, never its value
            throw new InspectorException("Put the user name in the User field and the password in the Password field,"
                    + " not in the JDBC URL (it has " + credential.get()
                    + (credential.get().endsWith("@") ? "" : "=") + ").");
        }
        if (settings.user().isEmpty()) {
            settings.wipePassword();
            throw new InspectorException("Enter your PostgreSQL user name.");
        }
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", new String(settings.password()));
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "15");
        props.setProperty("ApplicationName", "sqs-pii-inspector");
        settings.wipePassword();
        Connection c;
        try {
            c = new org.postgresql.Driver().connect(settings.url(), props);
        } catch (SQLException e) {
            throw DbErrors.translate(e);
        } finally {
            props.clear();
        }
        if (c == null) {
            throw new InspectorException("Not a PostgreSQL JDBC URL: expected jdbc:postgresql://host:port/database.");
        }
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // a session setting, so it outlasts whatever the URL, the role or the database set at login
                s.execute("SET search_path = " + SEARCH_PATH);
            }
            checkTables(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT current_user, pg_catalog.current_database(),"
                    + " CASE WHEN pg_catalog.to_regprocedure(?::text) IS NULL THEN NULL"
                    + " ELSE pg_catalog.has_function_privilege(?::text, 'EXECUTE') END,"
                    + " pg_catalog.has_table_privilege(current_user, ?::text, 'SELECT'),"
                    + " pg_catalog.to_regprocedure(?::text) IS NOT NULL"
                    + " AND pg_catalog.has_function_privilege(?::text, 'EXECUTE'),"
                    + " pg_catalog.to_regprocedure(?::text) IS NOT NULL"
                    + " AND pg_catalog.has_function_privilege(?::text, 'EXECUTE'),"
                    + " pg_catalog.to_regprocedure(?::text) IS NOT NULL"
                    + " AND pg_catalog.has_function_privilege(?::text, 'EXECUTE')")) {
                ps.setString(1, REVEAL_FUNCTION);
                ps.setString(2, REVEAL_FUNCTION);
                ps.setString(3, TableSpec.AUDIT.qualifiedName());
                ps.setString(4, REQUEST_FUNCTION);
                ps.setString(5, REQUEST_FUNCTION);
                ps.setString(6, DECIDE_FUNCTION);
                ps.setString(7, DECIDE_FUNCTION);
                ps.setString(8, ERASE_FUNCTION);
                ps.setString(9, ERASE_FUNCTION);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean granted = rs.getBoolean(3);
                    RevealRight right = rs.wasNull()
                            ? RevealRight.NO_FUNCTION
                            : granted ? RevealRight.GRANTED : RevealRight.NOT_GRANTED;
                    String user = rs.getString(1);
                    String database = rs.getString(2);
                    boolean audit = rs.getBoolean(4);
                    boolean request = rs.getBoolean(5);
                    boolean decide = rs.getBoolean(6);
                    boolean erase = rs.getBoolean(7);
                    rs.close();
                    return new Session(
                            c,
                            user,
                            database,
                            right,
                            audit,
                            request,
                            decide,
                            erase,
                            new InspectorRepository(c).datasets(),
                            new GovernanceRepository(c).purposes());
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e instanceof SQLException se ? DbErrors.translate(se) : (RuntimeException) e;
        }
    }

    private static void checkTables(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.to_regclass(?::text) IS NOT NULL")) {
            for (TableSpec table : REQUIRED_TABLES) {
                ps.setString(1, table.qualifiedName());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new InspectorException(
                                "This database has no table " + table.name()
                                        + ": apply connect-config/sql/schema.sql and roles.sql, or check the database in the URL.");
                    }
                }
            }
        }
    }

    Connection connection() {
        return connection;
    }

    /** Reads on this session's connection. */
    public InspectorRepository repository() {
        return new InspectorRepository(connection);
    }

    /** Purposes, grants and the auditor's desk on this session's connection. */
    public GovernanceRepository governance() {
        return new GovernanceRepository(connection);
    }

    /** The purposes when the session opened ({@link GovernanceRepository#purposes()} reads them again). */
    public List<Purpose> purposes() {
        return purposes;
    }

    /** EXECUTE on pii_request_grant (the pii_reader role): the Grants tab. */
    public boolean canRequestGrants() {
        return canRequestGrants;
    }

    /** EXECUTE on pii_decide_grant (the pii_approver role): the Approvals tab. */
    public boolean canDecideGrants() {
        return canDecideGrants;
    }

    /** EXECUTE on pii_erase_subject (the pii_eraser role): the Erasure tab. */
    public boolean canErase() {
        return canErase;
    }

    /** The datasets of the PII catalog when the session opened ({@link InspectorRepository#datasets()} reads them again). */
    public List<Dataset> datasets() {
        return datasets;
    }

    public String currentUser() {
        return currentUser;
    }

    /** The database the URL named (shown in the window title). */
    public String database() {
        return database;
    }

    public RevealRight revealRight() {
        return revealRight;
    }

    /** EXECUTE on the reveal function (the pii_reader role): without it the service refuses every reveal. */
    public boolean canReveal() {
        return revealRight == RevealRight.GRANTED;
    }

    /** SELECT on pii_access_log (the pii_auditor role). */
    public boolean canReadAudit() {
        return canReadAudit;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing to tell the analyst
        }
    }
}
