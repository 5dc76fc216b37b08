package io.sqspii.inspector.testing;

import io.sqspii.inspector.data.ConnectionSettings;
import io.sqspii.dataset.DatasetCli;
import io.sqspii.testsupport.LegacySchema;
import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine;

/**
 * A fresh database on the test PostgreSQL server (pg.url, trust auth for pg.user) or, with
 * {@link #createCheckingPasswords()}, on this JVM's {@link PasswordCheckingPostgres} (the reveal service refuses
 * a server that trusts logins), with the project's schema.sql and roles.sql and `dataset apply datasets/user_logins`
 * applied (the reveal function reveals what the PII catalog lists), plus login roles unique
 * to this run. {@link #close()} drops both.
 */
public final class TestDb implements AutoCloseable {

    public static final String PG_URL = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String PG_USER = System.getProperty("pg.user", "postgres");

    public final String name;
    public final String url;
    private final String suffix;
    private final List<String> logins = new ArrayList<>();
    private final Connection admin;
    private final String serverUrl;
    private final String superuser;
    private final String superPassword;

    private TestDb(boolean withSchema, String serverUrl, String superuser, String superPassword) throws SQLException {
        this.serverUrl = serverUrl;
        this.superuser = superuser;
        this.superPassword = superPassword;
        suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        name = "inspector_" + suffix;
        try (Connection c = DriverManager.getConnection(serverUrl, superuser, superPassword);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        url = urlFor(serverUrl, name);
        admin = DriverManager.getConnection(url, superuser, superPassword);
        if (withSchema) {
            try (Statement s = admin.createStatement()) {
                s.execute(read(System.getProperty("schema.sql", "../connect-config/sql/schema.sql")));
                s.execute(read(System.getProperty("roles.sql", "../connect-config/sql/roles.sql")));
                // user_logins as a deployment of before dataset definitions made it (nullable ciphertext columns,
                // which the tests' rows use), adopted by the definition as such a deployment is
                s.execute(LegacySchema.userLoginsTables());
            }
            applyDataset(Path.of(System.getProperty("datasets.dir", "../datasets"), "user_logins"));
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
        List<String> args = new ArrayList<>(List.of("apply", folder.toString(), "--db-url", url, "--db-user", superuser));
        StringWriter out = new StringWriter();
        try {
            if (!superPassword.isEmpty()) {
                Path file = Files.createTempFile("inspector-test-db", ".pw");
                Files.writeString(file, superPassword);
                file.toFile().deleteOnExit();
                args.addAll(List.of("--db-password-file", file.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandLine cli = new CommandLine(new DatasetCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out));
        int rc = cli.execute(args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("dataset apply " + folder + " exited " + rc + ":\n" + out);
        }
    }

    public static TestDb create() throws SQLException {
        return new TestDb(true, PG_URL, PG_USER, "");
    }

    public static TestDb createEmpty() throws SQLException {
        return new TestDb(false, PG_URL, PG_USER, "");
    }

    /** With the schema, on this JVM's password-checking cluster: for the tests that start the reveal service. */
    public static TestDb createCheckingPasswords() throws SQLException {
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        return new TestDb(true, pg.url(), pg.superuser(), pg.password());
    }

    /** Another database on the test server (pg.url). */
    public static String urlFor(String database) {
        return urlFor(PG_URL, database);
    }

    private static String urlFor(String serverUrl, String database) {
        int slash = serverUrl.lastIndexOf('/');
        int q = serverUrl.indexOf('?', slash);
        return serverUrl.substring(0, slash + 1) + database + (q < 0 ? "" : serverUrl.substring(q));
    }

    /** Superuser connection to this database (autocommit). */
    public Connection admin() {
        return admin;
    }

    /** Creates a LOGIN role unique to this run, member of {@code group} (null = no group). */
    public String createLogin(String group, String password) throws SQLException {
        String login = "insp_" + suffix + "_" + (group == null ? "nobody" : group) + logins.size();
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + password + "'" + (group == null ? "" : " IN ROLE " + group));
        }
        logins.add(login);
        return login;
    }

    public void execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    public long countAudit() throws SQLException {
        try (Statement s = admin.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void insertLogin(String messageId, String userId, String deviceType, String maskedIp, String maskedDeviceId,
                     String locale, String appVersion, OffsetDateTime createDate) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO user_logins VALUES (?,?,?,?,?,?,?,?)")) {
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

    public void insertRejected(String messageId, String error, String encryptedBody, OffsetDateTime createDate) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO user_logins_rejected VALUES (?,?,?,?)")) {
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
        try {
            admin.close();
        } finally {
            try (Connection c = DriverManager.getConnection(serverUrl, superuser, superPassword);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                for (String login : logins) {
                    s.execute("DROP ROLE IF EXISTS " + login);
                }
            }
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
