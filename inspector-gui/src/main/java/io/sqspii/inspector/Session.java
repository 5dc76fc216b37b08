package io.sqspii.inspector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * An analyst's database session: one JDBC connection under their own login, plus what that login
 * may do. Privileges are read from the server ({@code has_table_privilege}), never assumed.
 */
final class Session implements AutoCloseable {

    static final List<String> REQUIRED_TABLES = List.of("user_logins", "user_logins_rejected", "pii_access_log");

    private final Connection connection;
    private final String currentUser;
    private final boolean canReveal;
    private final boolean canReadAudit;

    private Session(Connection connection, String currentUser, boolean canReveal, boolean canReadAudit) {
        this.connection = connection;
        this.currentUser = currentUser;
        this.canReveal = canReveal;
        this.canReadAudit = canReadAudit;
    }

    /**
     * Connects and checks the schema; every failure is an {@link InspectorException} with a message for
     * the dialog. The settings' password is wiped once the driver has it.
     */
    static Session open(ConnectionSettings settings) {
        if (!settings.url().startsWith("jdbc:postgresql:")) {
            throw new InspectorException("Not a PostgreSQL JDBC URL: expected jdbc:postgresql://host:port/database.");
        }
        if (settings.user().isEmpty()) {
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
            c.setReadOnly(false);
            checkTables(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT current_user,"
                            + " has_table_privilege(current_user, 'pii_access_log', 'INSERT'),"
                            + " has_table_privilege(current_user, 'pii_access_log', 'SELECT')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Session(c, rs.getString(1), rs.getBoolean(2), rs.getBoolean(3));
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e instanceof SQLException se ? DbErrors.translate(se) : (RuntimeException) e;
        }
    }

    private static void checkTables(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (String table : REQUIRED_TABLES) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new InspectorException("This database has no table " + table
                                + ": apply connect-config/sql/schema.sql and roles.sql, or check the database in the URL.");
                    }
                }
            }
        }
    }

    Connection connection() {
        return connection;
    }

    String currentUser() {
        return currentUser;
    }

    /** INSERT on pii_access_log (the pii_reader role): without it no reveal is possible. */
    boolean canReveal() {
        return canReveal;
    }

    /** SELECT on pii_access_log (the pii_auditor role). */
    boolean canReadAudit() {
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
