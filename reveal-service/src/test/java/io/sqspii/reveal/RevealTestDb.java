package io.sqspii.reveal;

import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database with connect-config/sql applied as a deployment does, and login roles unique to this
 * run, on the password-checking test cluster ({@link PasswordCheckingPostgres}; the service refuses a server
 * that trusts logins) or, with {@link #onTrustingServer()}, on the shared server (pg.url, superuser pg.user).
 * {@link #close()} drops both.
 */
final class RevealTestDb implements AutoCloseable {

    static final String PG_URL = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getProperty("pg.user", "postgres");
    static final Path SQL_DIR = Path.of(System.getProperty("sql.dir", "../connect-config/sql"));

    final String url;
    private final String serverUrl;
    private final String superuser;
    private final String superPassword;
    private final String name;
    private final String suffix;
    private final List<String> logins = new ArrayList<>();
    private final Connection admin;

    private RevealTestDb(String serverUrl, String superuser, String superPassword) throws SQLException {
        this.serverUrl = serverUrl;
        this.superuser = superuser;
        this.superPassword = superPassword;
        suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        name = "reveal_" + suffix;
        try (Connection c = DriverManager.getConnection(serverUrl, superuser, superPassword);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int slash = serverUrl.lastIndexOf('/');
        url = serverUrl.substring(0, slash + 1) + name;
        admin = DriverManager.getConnection(url, superuser, superPassword);
        applySql();
    }

    /** On this JVM's password-checking cluster. */
    static RevealTestDb create() throws SQLException {
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        return new RevealTestDb(pg.url(), pg.superuser(), pg.password());
    }

    /** On the shared test server, which trusts loopback logins (the service must refuse it). */
    static RevealTestDb onTrustingServer() throws SQLException {
        return new RevealTestDb(PG_URL, PG_USER, "");
    }

    /** schema.sql then roles.sql, as the local pipeline and compose apply them on every start. */
    void applySql() throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(read("schema.sql"));
            s.execute(read("roles.sql"));
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(SQL_DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A LOGIN role unique to this run, member of the given group roles; its password is {@link #password}. */
    String createLogin(String... groups) throws SQLException {
        String login = "rv_" + suffix + "_" + (groups.length == 0 ? "nobody" : String.join("_", groups)) + logins.size();
        execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + password(login) + "'"
                + (groups.length == 0 ? "" : " IN ROLE " + String.join(", ", groups)));
        logins.add(login);
        return login;
    }

    private String serviceLogin;

    /** The reveal service's own login for this database (member of pii_reveal_service only), made once. */
    String serviceLogin() throws SQLException {
        if (serviceLogin == null) {
            serviceLogin = createLogin("pii_reveal_service");
        }
        return serviceLogin;
    }

    /** pii_reveal's per-login budget (pii_reveal_limits), which the deployment's DBA sets. */
    void cellsPerMinute(int budget) throws SQLException {
        execute("UPDATE pii_reveal_limits SET cells_per_minute = " + budget);
    }

    static String password(String login) {
        return "pw-" + login.hashCode();
    }

    Connection connectAs(String login) throws SQLException {
        return DriverManager.getConnection(url, login, password(login));
    }

    /** The superuser's connection to this database. */
    Connection admin() {
        return admin;
    }

    void execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    void insertLogin(String messageId, String maskedIp, String maskedDeviceId) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO user_logins (message_id, user_id, device_type, "
                + "masked_ip, masked_device_id, locale, app_version, create_date) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, messageId);
            ps.setString(2, "u-" + messageId);
            ps.setString(3, "android");
            ps.setString(4, maskedIp);
            ps.setString(5, maskedDeviceId);
            ps.setString(6, "RU");
            ps.setString(7, "2.3.0");
            ps.setObject(8, OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    void insertRejected(String messageId, String encryptedBody) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "INSERT INTO user_logins_rejected (message_id, error, encrypted_body, create_date) VALUES (?,?,?,?)")) {
            ps.setString(1, messageId);
            ps.setString(2, "not JSON");
            ps.setString(3, encryptedBody);
            ps.setObject(4, OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    /** The audit rows of one login, oldest first, as the superuser sees them (a separate connection). */
    List<Map<String, Object>> auditOf(String login) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, superuser, superPassword);
             PreparedStatement ps = c.prepareStatement("SELECT * FROM pii_access_log WHERE analyst = ? ORDER BY id")) {
            ps.setString(1, login);
            return rows(ps);
        }
    }

    long auditCount() throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    OffsetDateTime serverTime() throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    static List<Map<String, Object>> rows(PreparedStatement ps) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
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
}
