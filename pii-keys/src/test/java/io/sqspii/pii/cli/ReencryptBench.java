package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-encryption throughput (not a test): a fresh database with N login rows (2 encrypted columns) on the old key,
 * rotate, then `pii-keys reencrypt` unthrottled, in-process. For scale, in the same run: the raw Tink
 * decrypt+encrypt of the same values in memory. Prints the figures and writes target/bench/reencrypt.json.
 * Run: ./mvnw -B -q -pl pii-smt -Pbench test-compile exec:exec -Dbench.main=io.sqspii.pii.cli.ReencryptBench -Dbench.args="100000 1000"
 */
public final class ReencryptBench {
    private ReencryptBench() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String batch = args.length > 1 ? args[1] : "1000";
        Path dir = Files.createTempDirectory("reencrypt-bench");
        Path keyset = dir.resolve("det.json");
        KeysetHandle old = Keysets.generate(CipherMode.DETERMINISTIC);
        Keysets.writeCleartext(old, keyset);
        try (LoginTable db = new LoginTable()) {
            db.insert(old, 0, rows);
            db.execute("VACUUM ANALYZE user_logins");
            Keysets.writeCleartext(Keysets.rotate(old), keyset);
            List<String> a = new ArrayList<>(List.of(
                    "reencrypt",
                    "--in",
                    keyset.toString(),
                    "--db-url",
                    db.url,
                    "--db-user",
                    LoginTable.user(),
                    "--table",
                    "user_logins",
                    "--key-column",
                    "message_id",
                    "--batch-size",
                    batch));
            for (String c : LoginTable.COLUMNS) {
                a.add("--column");
                a.add(c);
            }
            long t0 = System.nanoTime();
            java.io.StringWriter out = new java.io.StringWriter();
            int rc = PiiKeys.execute(
                    new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(System.err, true),
                    a.toArray(String[]::new));
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.print(out);
            if (rc != 0) {
                throw new IllegalStateException("reencrypt failed: " + rc);
            }
            Matcher m = Pattern.compile("([\\d,]+) rows rewritten").matcher(out.toString());
            if (!m.find() || Long.parseLong(m.group(1).replace(",", "")) != rows) {
                throw new IllegalStateException("not every row was rewritten");
            }
            double raw =
                    rawRowsPerSecond(old, KeysetSource.cleartextFile(keyset).load(), Math.min(rows, 50_000));
            double perSecond = rows / wall;
            System.out.printf(
                    Locale.ROOT,
                    "reencrypt rows/s (2 columns, batch %s, check pass + write pass, wall %.1f s): %.0f%n",
                    batch,
                    wall,
                    perSecond);
            System.out.printf(Locale.ROOT, "raw Tink decrypt+encrypt rows/s (2 values each, in memory): %.0f%n", raw);
            System.out.printf(Locale.ROOT, "ratio reencrypt/raw: %.3f%n", perSecond / raw);
            Path outDir = Path.of("target", "bench");
            Files.createDirectories(outDir);
            Files.writeString(
                    outDir.resolve("reencrypt.json"),
                    String.format(
                            Locale.ROOT,
                            "{\"rows\":%d,\"batch\":%s,\"seconds\":%.2f,\"rows_per_s\":%.1f,\"raw_rows_per_s\":%.1f}%n",
                            rows,
                            batch,
                            wall,
                            perSecond,
                            raw),
                    StandardCharsets.UTF_8);
        }
    }

    private static double rawRowsPerSecond(KeysetHandle old, KeysetHandle rotated, int rows) {
        PiiCipher before = PiiCipher.forHandle(old, CipherMode.DETERMINISTIC, "user_logins");
        PiiCipher after = PiiCipher.forHandle(rotated, CipherMode.DETERMINISTIC, "user_logins");
        String[] ips = new String[rows];
        String[] devices = new String[rows];
        for (int i = 0; i < rows; i++) {
            ips[i] = before.encrypt("ip", LoginTable.ip(i));
            devices[i] = before.encrypt("device_id", LoginTable.deviceId(i));
        }
        long sink = 0;
        long t0 = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < rows; i++) {
                sink += after.encrypt("ip", after.decrypt("ip", ips[i])).length();
                sink += after.encrypt("device_id", after.decrypt("device_id", devices[i]))
                        .length();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (sink == 0) {
            throw new IllegalStateException();
        }
        return 3.0 * rows / s;
    }
}
