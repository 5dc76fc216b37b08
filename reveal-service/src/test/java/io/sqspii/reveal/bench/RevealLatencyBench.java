package io.sqspii.reveal.bench;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealConfig;
import io.sqspii.reveal.RevealServer;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.testsupport.DevKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/**
 * Reveal latency (a benchmark, not a test): N sequential one-cell reveals through the service over loopback
 * HTTP, each a fresh login connection, the audit transaction, decryption and the outcome update, against a
 * database the local pipeline filled (or {@code --fill N}: N rows written here, encrypted with the dev keysets and the
 * catalog's associated data as the pipeline stores them), with the PII catalog of datasets/user_logins applied. Prints
 * p50/p90/p99/max and the cost of the login connection alone, and writes target/bench/reveal-latency.json.
 *
 * <pre>
 * PG_URL=jdbc:postgresql://localhost:5432/reveal_bench ./mvnw -q -pl local-pipeline -am package -DskipTests -Prun -Drun.args="--messages 5000"
 * java -jar dataset/target/dataset.jar apply datasets/user_logins --db-url jdbc:postgresql://localhost:5432/reveal_bench --db-user postgres
 * ./mvnw -B -q -pl reveal-service -am test -Preveal-bench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.args="--db-url jdbc:postgresql://localhost:5432/reveal_bench --reveals 1000"
 * </pre>
 */
public final class RevealLatencyBench {
    private static final String PURPOSE = "latency-bench";

    private RevealLatencyBench() {}

    public static void main(String[] args) throws Exception {
        String dbUrl = "jdbc:postgresql://localhost:5432/postgres";
        String superuser = "postgres";
        Path keys = DevKeys.dir();
        int reveals = 1000;
        int warmup = 50;
        int fill = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db-url" -> dbUrl = args[++i];
                case "--superuser" -> superuser = args[++i];
                case "--keys-dir" -> keys = Path.of(args[++i]);
                case "--reveals" -> reveals = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--fill" -> fill = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String login = "reveal_bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (Connection admin = DriverManager.getConnection(dbUrl, superuser, System.getenv("PG_PASSWORD"))) {
            if (fill > 0) {
                fill(admin, keys, fill);
            }
            List<String> rowKeys = rowKeys(admin, reveals + warmup);
            if (rowKeys.isEmpty()) {
                throw new IllegalStateException(
                        "no rows with masked_ip in " + dbUrl + ": fill it with the local pipeline first");
            }
            int budget;
            try (Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("SELECT cells_per_minute FROM pii_reveal_limits")) {
                rs.next();
                budget = rs.getInt(1);
            }
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + password + "' IN ROLE pii_reader");
                s.execute("CREATE ROLE " + login + "_svc LOGIN PASSWORD '" + password + "' IN ROLE pii_reveal_service");
                s.execute("CREATE ROLE " + login + "_apr LOGIN PASSWORD '" + password + "' IN ROLE pii_approver");
                // every reveal is checked against a purpose and an approved grant, and charged to its budget
                s.execute("INSERT INTO pii_purposes (code, description, max_cells, max_duration) VALUES ('" + PURPOSE
                        + "', 'the reveal latency bench', 1000000, interval '1 day') ON CONFLICT (code) DO NOTHING");
                s.execute("INSERT INTO pii_purpose_columns VALUES ('" + PURPOSE + "', 'user_logins', 'masked_ip') "
                        + "ON CONFLICT DO NOTHING");
                // the bench measures latency, not the database's per-login budget
                s.execute("UPDATE pii_reveal_limits SET cells_per_minute = 1000000");
            }
            long grant;
            try (Connection reader = DriverManager.getConnection(dbUrl, login, password);
                    Statement s = reader.createStatement();
                    ResultSet rs = s.executeQuery("SELECT public.pii_request_grant('user_logins', NULL, '" + PURPOSE
                            + "', interval '1 hour', 'bench', 'latency bench')")) {
                rs.next();
                grant = rs.getLong(1);
            }
            try (Connection approver = DriverManager.getConnection(dbUrl, login + "_apr", password);
                    Statement s = approver.createStatement()) {
                s.execute("SELECT public.pii_decide_grant(" + grant + ", true, 'bench')");
            }
            try {
                run(dbUrl, keys, login, password, rowKeys, reveals, warmup);
            } finally {
                try (Statement s = admin.createStatement()) {
                    s.execute("UPDATE pii_reveal_limits SET cells_per_minute = " + budget);
                    s.execute("UPDATE pii_grants SET status = 'revoked' WHERE id = " + grant);
                    for (String role : List.of(login, login + "_svc", login + "_apr")) {
                        s.execute("DROP OWNED BY " + role);
                        s.execute("DROP ROLE " + role);
                    }
                }
            }
        }
    }

    /** {@code n} logins whose IP and device id are encrypted as the catalog says (keyset, mode, associated data). */
    private static void fill(Connection admin, Path keys, int n) throws SQLException {
        PiiCatalog catalog = PiiCatalog.read(admin);
        PiiCipher ip = cipher(catalog, keys, "masked_ip");
        PiiCipher device = cipher(catalog, keys, "masked_device_id");
        Random r = new Random(1);
        try (PreparedStatement ps =
                admin.prepareStatement("INSERT INTO user_logins (message_id, user_id, device_type, masked_ip,"
                        + " masked_device_id, locale, app_version, create_date) VALUES (?, ?, 'android', ?, ?, 'en_US', '2.3.0',"
                        + " now() - ? * interval '1 second')")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, "user-" + r.nextInt(2000));
                ps.setString(
                        3,
                        ip.encrypt(
                                "ip",
                                (10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "."
                                        + r.nextInt(256)));
                ps.setString(
                        4,
                        device.encrypt(
                                "device_id",
                                String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000))));
                ps.setInt(5, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static PiiCipher cipher(PiiCatalog catalog, Path keys, String column) {
        PiiColumn c = catalog.columns("user_logins", column).get(0);
        return PiiCipher.withConstantAssociatedData(
                KeysetSource.cleartextFile(keys.resolve("pii-" + c.keyset() + ".json")),
                CipherMode.parse(c.mode()),
                c.associatedData());
    }

    private static List<String> rowKeys(Connection admin, int n) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT message_id FROM user_logins WHERE masked_ip IS NOT NULL ORDER BY random() LIMIT ?")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static void run(
            String dbUrl, Path keys, String login, String password, List<String> rowKeys, int reveals, int warmup)
            throws Exception {
        Properties p = new Properties();
        p.setProperty("listen.port", "0");
        p.setProperty("db.url", dbUrl);
        p.setProperty(
                "keyset.deterministic.file",
                keys.resolve("pii-deterministic.json").toString());
        p.setProperty(
                "keyset.randomized.file", keys.resolve("pii-randomized.json").toString());
        p.setProperty("keyset.allow.cleartext", "true");
        p.setProperty("rate.limit.cells.per.minute", "1000000");
        p.setProperty("db.service.user", login + "_svc");
        p.setProperty("db.service.password", password);
        String auth = "Basic "
                + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        long[] nanos = new long[reveals];
        int failed = 0;
        try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
            URI uri = server.uri().resolve("/v1/reveal");
            for (int i = 0; i < warmup + reveals; i++) {
                String key = rowKeys.get(i % rowKeys.size());
                String body = "{\"purpose\":\"" + PURPOSE
                        + "\",\"reason\":\"latency bench\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"" + key
                        + "\",\"column\":\"masked_ip\"}]}";
                HttpRequest req = HttpRequest.newBuilder(uri)
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                long t = System.nanoTime() - t0;
                if (r.statusCode() != 200 || !r.body().contains("\"plaintext\"")) {
                    failed++;
                }
                if (i >= warmup) {
                    nanos[i - warmup] = t;
                }
            }
        }
        long[] connect = new long[200];
        for (int i = 0; i < connect.length; i++) {
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(dbUrl, login, password)) {
                c.isValid(5);
            }
            connect[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        Arrays.sort(connect);
        String line = String.format(
                Locale.ROOT,
                "reveal latency over %d one-cell reveals (%d warm-up, %d not revealed): "
                        + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; login connection alone p50 %.1f ms, p99 %.1f ms",
                reveals,
                warmup,
                failed,
                ms(nanos, 0.50),
                ms(nanos, 0.90),
                ms(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6,
                ms(connect, 0.50),
                ms(connect, 0.99));
        System.out.println(line);
        Path out = Path.of("reveal-service/target/bench");
        Files.createDirectories(out);
        Files.writeString(
                out.resolve("reveal-latency.json"),
                String.format(
                        Locale.ROOT,
                        "{\"reveals\":%d,\"notRevealed\":%d,\"p50Ms\":%.2f,\"p90Ms\":%.2f,\"p99Ms\":%.2f,\"maxMs\":%.2f,"
                                + "\"connectP50Ms\":%.2f,\"connectP99Ms\":%.2f}%n",
                        reveals,
                        failed,
                        ms(nanos, 0.50),
                        ms(nanos, 0.90),
                        ms(nanos, 0.99),
                        nanos[nanos.length - 1] / 1e6,
                        ms(connect, 0.50),
                        ms(connect, 0.99)));
        if (failed > 0) {
            throw new IllegalStateException(failed + " reveals did not return plaintext");
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
