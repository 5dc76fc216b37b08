package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.PiiCipher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A fresh PostgreSQL database (PG_URL, default localhost:5432, superuser postgres) with a user_logins table
 * whose masked columns hold what the pipeline's SMT writes (associated data user_logins.ip / .device_id);
 * dropped on close.
 */
final class LoginTable implements AutoCloseable {
    static final String[] COLUMNS = {"masked_ip:user_logins.ip", "masked_device_id:user_logins.device_id"};

    final String url;
    private final String adminUrl;
    private final String name;

    LoginTable() throws SQLException {
        adminUrl = envOr("PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        name = "piikeys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE user_logins (message_id text PRIMARY KEY, user_id text NOT NULL, "
                    + "masked_ip text, masked_device_id text)");
        }
    }

    static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String user() {
        return envOr("PG_USER", "postgres");
    }

    private static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user());
        if (System.getenv("PG_PASSWORD") != null) {
            p.setProperty("password", System.getenv("PG_PASSWORD"));
        }
        return DriverManager.getConnection(url, p);
    }

    Connection connect() throws SQLException {
        return connect(url);
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
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** message_id → "masked_ip|masked_device_id". */
    Map<String, String> snapshot() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
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
        try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
