package io.sqspii.inspector.testing;

import io.sqspii.dataset.DatasetCli;
import io.sqspii.inspector.data.ConnectionSettings;
import io.sqspii.testsupport.FreshDatabase;
import io.sqspii.testsupport.LegacySchema;
import io.sqspii.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import picocli.CommandLine;

/**
 * A {@link FreshDatabase} on the tests' PostgreSQL server ({@link PostgresServer#fromEnvironment()}: PG_URL, PG_USER,
 * PG_PASSWORD) or, with {@link #createCheckingPasswords()}, on this JVM's password-checking cluster (the reveal
 * service refuses a server that trusts logins), with the project's schema.sql and roles.sql and
 * `dataset apply datasets/user_logins` applied (the reveal function reveals what the PII catalog lists), plus login
 * roles unique to this database. {@link #close()} drops both.
 */
public final class TestDb implements AutoCloseable {

    private static final PostgresServer SERVER = PostgresServer.fromEnvironment();
    /** The tests' superuser and its password (PG_USER, PG_PASSWORD). */
    public static final String PG_USER = SERVER.user();

    public static final String PG_PASSWORD = SERVER.password();

    public final String name;
    public final String url;
    private final FreshDatabase db;

    private TestDb(boolean withSchema, PostgresServer server) throws SQLException {
        db = server.freshDatabase("inspector");
        name = db.name();
        url = db.url();
        if (withSchema) {
            db.applySchema();
            // user_logins as a deployment of before dataset definitions made it (nullable ciphertext columns,
            // which the tests' rows use), adopted by the definition as such a deployment is
            db.execute(LegacySchema.userLoginsTables());
            applyDataset(shipped("user_logins"));
            allowEverything(PURPOSE);
        }
    }

    /**
     * The purpose every database with the schema starts with: every PII column, no approval, a budget no test reaches,
     * so a reveal under it opens its own grant (audited as such) and the reveal tests keep to revealing. Tests of
     * grants and approvals remove it ({@link #withoutEverydayPurpose()}).
     */
    public static final String PURPOSE = "tests";

    /** A purpose that allows every PII column and needs no approval, as a deployment may configure one. */
    public void allowEverything(String purpose) throws SQLException {
        execute("INSERT INTO pii_purposes (code, description, max_cells, max_duration, needs_approval) VALUES ('"
                + purpose + "', 'the tests', 1000000, interval '1 day', false) ON CONFLICT (code) DO NOTHING");
        execute("INSERT INTO pii_purpose_columns VALUES ('" + purpose + "', '*', '*') ON CONFLICT DO NOTHING");
    }

    /** Removes {@link #PURPOSE}: every reveal then needs a grant requested and approved. */
    public TestDb withoutEverydayPurpose() throws SQLException {
        execute("DELETE FROM pii_purposes WHERE code = '" + PURPOSE + "'");
        return this;
    }

    /** A dataset folder shipped with the project (datasets/NAME). */
    public static Path shipped(String name) {
        return Path.of(System.getProperty("datasets.dir", "../datasets"), name);
    }

    /**
     * A dataset folder of the tests (src/test/resources/datasets/NAME): {@code tickets} shares key domain
     * {@code email} with the shipped {@code orders}.
     */
    public static Path testDataset(String name) {
        return Path.of(System.getProperty("test.datasets.dir", "src/test/resources/datasets"), name);
    }

    /** `dataset apply FOLDER` as the superuser: its tables, grants and PII catalog rows. */
    public void applyDataset(Path folder) {
        db.applyDataset(
                folder,
                (out, args) -> new CommandLine(new DatasetCli())
                        .setOut(out)
                        .setErr(out)
                        .execute(args));
    }

    public static TestDb create() throws SQLException {
        return new TestDb(true, SERVER);
    }

    public static TestDb createEmpty() throws SQLException {
        return new TestDb(false, SERVER);
    }

    /** With the schema, on this JVM's password-checking cluster: for the tests that start the reveal service. */
    public static TestDb createCheckingPasswords() throws SQLException {
        return new TestDb(true, PostgresServer.checkingPasswords());
    }

    /** Another database on the tests' server. */
    public static String urlFor(String database) {
        return SERVER.url(database);
    }

    /** Superuser connection to this database (autocommit). */
    public Connection admin() {
        return db.admin();
    }

    /** Creates a LOGIN role unique to this database, member of {@code group} (null = no group). */
    public String createLogin(String group, String password) throws SQLException {
        return group == null ? db.createLogin(password) : db.createLogin(password, group);
    }

    public void execute(String sql) throws SQLException {
        db.execute(sql);
    }

    public long countAudit() throws SQLException {
        try (Statement s = admin().createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void insertLogin(
            String messageId,
            String userId,
            String deviceType,
            String maskedIp,
            String maskedDeviceId,
            String locale,
            String appVersion,
            OffsetDateTime createDate)
            throws SQLException {
        try (PreparedStatement ps = admin().prepareStatement("INSERT INTO user_logins VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, messageId);
            ps.setString(2, userId);
            ps.setString(3, deviceType);
            ps.setString(4, maskedIp);
            ps.setString(5, maskedDeviceId);
            ps.setString(6, locale);
            ps.setString(7, appVersion);
            ps.setObject(8, createDate);
            ps.executeUpdate();
        }
    }

    public void insertRejected(String messageId, String error, String encryptedBody, OffsetDateTime createDate)
            throws SQLException {
        try (PreparedStatement ps = admin().prepareStatement("INSERT INTO user_logins_rejected VALUES (?,?,?,?)")) {
            ps.setString(1, messageId);
            ps.setString(2, error);
            ps.setString(3, encryptedBody);
            ps.setObject(4, createDate);
            ps.executeUpdate();
        }
    }

    public ConnectionSettings settings(String login, String password) {
        return new ConnectionSettings(url, login, password.toCharArray());
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
