package io.sqspii.reveal;

import io.sqspii.dataset.DatasetCli;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
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
import picocli.CommandLine;

/**
 * A fresh database with connect-config/sql applied and the shipped datasets (datasets/user_logins,
 * datasets/orders) applied by `dataset apply`, as a deployment does, and login roles unique to this run, on the password-checking test cluster ({@link PasswordCheckingPostgres}; the service refuses a server
 * that trusts logins) or, with {@link #onTrustingServer()}, on the shared server (pg.url, superuser pg.user).
 * {@link #close()} drops both.
 */
final class RevealTestDb implements AutoCloseable {

    static final String PG_URL = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getProperty("pg.user", "postgres");
    static final Path SQL_DIR = Path.of(System.getProperty("sql.dir", "../connect-config/sql"));
    static final Path DATASETS_DIR = Path.of(System.getProperty("datasets.dir", "../datasets"));

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
        applyDataset(DATASETS_DIR.resolve("user_logins"));
        applyDataset(DATASETS_DIR.resolve("orders"));
        allowEverything(PURPOSE);
    }

    /** The purpose the tests reveal under: every PII column, no approval, a budget no test reaches. */
    static final String PURPOSE = "tests";

    /**
     * A purpose that allows every PII column and needs no approval, as a deployment may configure one: a reveal
     * under it opens its own grant (audited as such).
     */
    void allowEverything(String purpose) throws SQLException {
        execute("INSERT INTO pii_purposes (code, description, max_cells, max_duration, needs_approval) VALUES ('"
                + purpose + "', 'the tests', 1000000, interval '1 day', false) ON CONFLICT (code) DO NOTHING");
        execute("INSERT INTO pii_purpose_columns VALUES ('" + purpose + "', '*', '*') ON CONFLICT DO NOTHING");
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

    /** `dataset apply FOLDER` as the superuser: the dataset's tables, grants and PII catalog rows. */
    void applyDataset(Path folder) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("apply", folder.toString(), "--db-url", url, "--db-user", superuser));
        try {
            if (!superPassword.isEmpty()) {
                Path file = Files.createTempFile("reveal-test-db", ".pw");
                Files.writeString(file, superPassword);
                file.toFile().deleteOnExit();
                args.addAll(List.of("--db-password-file", file.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandLine cli = new CommandLine(new DatasetCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int rc = cli.execute(args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("dataset apply " + folder + " exited " + rc + ":\n" + out);
        }
    }

    /**
     * Writes a small dataset definition of the tests' own into {@code dir}/tickets: an integer row key
     * (/ticket_id), the reporter's email in the shared domain email (as orders' customer.email), and a watchers
     * array whose elements hold a deterministic email, also in that domain.
     */
    static Path ticketsDataset(Path dir) {
        Path folder = dir.resolve("tickets");
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("dataset.json"),
                    "{\"name\": \"tickets\", \"queue\": \"tickets-queue\", \"topic\": \"tickets\", \"row_key\": \"/ticket_id\"}");
            Files.writeString(folder.resolve("event.schema.json"), """
                    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                     "additionalProperties": false,
                     "properties": {
                       "ticket_id": {"type": "integer"},
                       "subject": {"type": "string"},
                       "reporter_email": {"type": "string",
                         "x-pii": {"mode": "deterministic", "canonical": "email", "domain": "email"}},
                       "watchers": {"type": "array", "items": {"type": "object", "properties": {
                         "email": {"type": "string",
                           "x-pii": {"mode": "deterministic", "canonical": "email", "domain": "email"}}}}}},
                     "required": ["ticket_id", "subject", "reporter_email"]}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** The PII catalog as pii_catalog() returns it. */
    PiiCatalog catalog() throws SQLException {
        return PiiCatalog.read(admin);
    }

    /** The catalog row of table.column (the first, for an array column with several PII leaves). */
    PiiColumn column(String table, String column) throws SQLException {
        return catalog().columns(table, column).get(0);
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

    /** A user_logins row; a null ciphertext leaves that required column to {@link #insert}'s filler. */
    void insertLogin(String messageId, String maskedIp, String maskedDeviceId) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("message_id", messageId);
        row.put("user_id", "u-" + messageId);
        row.put("device_type", "android");
        row.put("locale", "RU");
        row.put("app_version", "2.3.0");
        if (maskedIp != null) {
            row.put("masked_ip", maskedIp);
        }
        if (maskedDeviceId != null) {
            row.put("masked_device_id", maskedDeviceId);
        }
        insert("user_logins", row);
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

    /**
     * Inserts a row into a table of an applied dataset: the given columns (a {@link Json} value is a jsonb cell), the
     * rest as their NOT NULL constraints need (text "x", 0, false, now()).
     */
    void insert(String table, Map<String, Object> values) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = ? AND is_nullable = 'NO' ORDER BY ordinal_position")) {
            ps.setString(1, table);
            for (Map<String, Object> c : rows(ps)) {
                String type = (String) c.get("data_type");
                row.put((String) c.get("column_name"), type.startsWith("timestamp") ? OffsetDateTime.now()
                        : type.equals("bigint") || type.equals("double precision") ? 0
                        : type.equals("boolean") ? false : type.equals("jsonb") ? new Json("[]") : "x");
            }
        }
        row.putAll(values);
        List<String> names = new ArrayList<>(row.keySet());
        StringBuilder sql = new StringBuilder("INSERT INTO public.\"" + table + "\" (");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        sql.append(") VALUES (");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row.get(names.get(i)) instanceof Json ? "?::jsonb" : "?");
        }
        try (PreparedStatement ps = admin.prepareStatement(sql.append(")").toString())) {
            for (int i = 0; i < names.size(); i++) {
                Object v = row.get(names.get(i));
                ps.setObject(i + 1, v instanceof Json j ? j.text() : v);
            }
            ps.executeUpdate();
        }
    }

    /** A jsonb value for {@link #insert}. */
    record Json(String text) {
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
