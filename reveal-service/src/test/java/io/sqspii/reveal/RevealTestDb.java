package io.sqspii.reveal;

import io.sqspii.dataset.DatasetCli;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.testsupport.FreshDatabase;
import io.sqspii.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/**
 * A {@link FreshDatabase} with connect-config/sql applied and the shipped datasets (datasets/user_logins,
 * datasets/orders) applied by `dataset apply`, as a deployment does, and login roles unique to this database, on
 * this JVM's password-checking cluster (the service refuses a server that trusts logins) or, with
 * {@link #onTrustingServer()}, on the tests' server ({@link PostgresServer#fromEnvironment()}: PG_URL, PG_USER,
 * PG_PASSWORD). {@link #close()} drops both.
 */
final class RevealTestDb implements AutoCloseable {

    static final Path DATASETS_DIR = Path.of(System.getProperty("datasets.dir", "../datasets"));

    final String url;
    private final FreshDatabase db;

    private RevealTestDb(PostgresServer server) throws SQLException {
        db = server.freshDatabase("reveal");
        url = db.url();
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
        return new RevealTestDb(PostgresServer.checkingPasswords());
    }

    /**
     * On the tests' server, which on a development machine and CI trusts loopback logins (the service must refuse
     * it); the test is skipped when that server checks passwords.
     */
    static RevealTestDb onTrustingServer() throws SQLException {
        PostgresServer server = PostgresServer.fromEnvironment();
        Assumptions.assumeTrue(
                TrustProbe.letsAnyPasswordIn(PostgresServer.withoutCredentials(server.url()), server.user()),
                "needs PG_URL's server to trust loopback logins, as 127.0.0.1:5432 does on CI");
        return new RevealTestDb(server);
    }

    /** schema.sql then roles.sql, as the local pipeline and compose apply them on every start. */
    void applySql() throws SQLException {
        db.applySchema();
    }

    /** `dataset apply FOLDER` as the superuser: the dataset's tables, grants and PII catalog rows. */
    void applyDataset(Path folder) {
        db.applyDataset(
                folder,
                (out, args) -> new CommandLine(new DatasetCli())
                        .setOut(out)
                        .setErr(out)
                        .execute(args));
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
            Files.writeString(
                    folder.resolve("dataset.json"),
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
        return PiiCatalog.read(admin());
    }

    /** The catalog row of table.column (the first, for an array column with several PII leaves). */
    PiiColumn column(String table, String column) throws SQLException {
        return catalog().columns(table, column).get(0);
    }

    /** A LOGIN role unique to this database, member of the given group roles; its password is {@link #password}. */
    String createLogin(String... groups) throws SQLException {
        String login = db.createLogin(null, groups);
        execute("ALTER ROLE " + login + " PASSWORD '" + password(login) + "'");
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
        return db.connectAs(login, password(login));
    }

    /** The superuser's connection to this database. */
    Connection admin() {
        return db.admin();
    }

    void execute(String sql) throws SQLException {
        db.execute(sql);
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
        try (PreparedStatement ps = admin().prepareStatement(
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
        try (PreparedStatement ps = admin().prepareStatement(
                        "SELECT column_name, data_type FROM information_schema.columns "
                                + "WHERE table_schema = 'public' AND table_name = ? AND is_nullable = 'NO' ORDER BY ordinal_position")) {
            ps.setString(1, table);
            for (Map<String, Object> c : rows(ps)) {
                String type = (String) c.get("data_type");
                row.put(
                        (String) c.get("column_name"),
                        type.startsWith("timestamp")
                                ? OffsetDateTime.now()
                                : type.equals("bigint") || type.equals("double precision")
                                        ? 0
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
        try (PreparedStatement ps = admin().prepareStatement(sql.append(")").toString())) {
            for (int i = 0; i < names.size(); i++) {
                Object v = row.get(names.get(i));
                ps.setObject(i + 1, v instanceof Json j ? j.text() : v);
            }
            ps.executeUpdate();
        }
    }

    /** A jsonb value for {@link #insert}. */
    record Json(String text) {}

    /** The audit rows of one login, oldest first, as the superuser sees them (a separate connection). */
    List<Map<String, Object>> auditOf(String login) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement("SELECT * FROM pii_access_log WHERE analyst = ? ORDER BY id")) {
            ps.setString(1, login);
            return rows(ps);
        }
    }

    long auditCount() throws SQLException {
        try (Statement s = admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    OffsetDateTime serverTime() throws SQLException {
        try (Statement s = admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
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
        db.close();
    }
}
