package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.FreshDatabase;
import io.sqspii.testsupport.PostgresServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link FreshDatabase} on the tests' server ({@link PostgresServer#fromEnvironment()}: PG_URL, PG_USER,
 * PG_PASSWORD) with a user_logins table whose masked columns hold what the pipeline's SMT writes (associated data
 * user_logins.ip / .device_id); dropped on close.
 */
final class LoginTable implements AutoCloseable {
    static final String[] COLUMNS = {"masked_ip:user_logins.ip", "masked_device_id:user_logins.device_id"};
    static final PostgresServer SERVER = PostgresServer.fromEnvironment();

    /** The database's URL for the commands, run as {@link #user()}. */
    final String url;

    private final FreshDatabase db;

    LoginTable() throws SQLException {
        db = SERVER.freshDatabase("piikeys");
        url = withPassword(db.url(), SERVER.password());
        db.execute("CREATE TABLE user_logins (message_id text PRIMARY KEY, user_id text NOT NULL, "
                + "masked_ip text, masked_device_id text)");
    }

    /** The tests' superuser. */
    static String user() {
        return SERVER.user();
    }

    /**
     * {@code url} with the password as a parameter (none if null or empty): the commands take a password only from
     * PGPASSWORD, which a test cannot set for the command it runs in its own JVM.
     */
    static String withPassword(String url, String password) {
        if (password == null || password.isEmpty()) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
    }

    /** A new superuser connection to the database. */
    Connection connect() throws SQLException {
        return db.connect();
    }

    /** The plaintext of row i: device ids repeat every 37 rows, ips every 11, so duplicates exist. */
    static String ip(int i) {
        return "10.0." + (i % 11) + "." + (i % 7);
    }

    static String deviceId(int i) {
        return "dev-" + (i % 37);
    }

    static String key(int i) {
        return String.format("m-%06d", i);
    }

    /** Inserts rows from..to-1 encrypted with {@code keyset} as the SMT does. */
    void insert(KeysetHandle keyset, int from, int to) throws SQLException {
        PiiCipher cipher = PiiCipher.forHandle(keyset, CipherMode.DETERMINISTIC, "user_logins");
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO user_logins VALUES (?, 'u', ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = from; i < to; i++) {
                ps.setString(1, key(i));
                ps.setString(2, cipher.encrypt("ip", ip(i)));
                ps.setString(3, cipher.encrypt("device_id", deviceId(i)));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    void execute(String sql) throws SQLException {
        db.execute(sql);
    }

    /** message_id → "masked_ip|masked_device_id". */
    Map<String, String> snapshot() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message_id, masked_ip, masked_device_id FROM user_logins")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    /** Values (of both masked columns) whose ciphertext carries this key id. */
    long valuesOnKey(int keyId) throws SQLException {
        long n = 0;
        for (String v : snapshot().values()) {
            for (String part : v.split("\\|")) {
                Integer id = PiiCipher.keyIdOf(part);
                n += id != null && id == keyId ? 1 : 0;
            }
        }
        return n;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
