package io.sqspii.pii.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.kms.LocalKms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pii-keys reencrypt and retire against a real PostgreSQL (a fresh database per test). */
class ReencryptRetireTest {
    @TempDir
    Path dir;

    LoginTable db;
    Path keysetFile;
    KeysetHandle before;
    KeysetHandle after;
    String out;
    String err;

    @BeforeEach
    void setUp() throws Exception {
        db = new LoginTable();
        keysetFile = dir.resolve("det.json");
        before = Keysets.generate(CipherMode.DETERMINISTIC);
        Keysets.writeCleartext(before, keysetFile);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    /** Writes rows with the old key, then rotates the file (as `pii-keys rotate` does). */
    void rowsThenRotate(int rows) throws Exception {
        db.insert(before, 0, rows);
        assertThat(run("rotate", "--in", keysetFile.toString())).isZero();
        after = KeysetSource.cleartextFile(keysetFile).load();
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = PiiKeys.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    List<String> reencryptArgs(String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "reencrypt",
                "--in",
                keysetFile.toString(),
                "--db-url",
                db.url,
                "--db-user",
                LoginTable.user(),
                "--table",
                "user_logins",
                "--key-column",
                "message_id"));
        for (String c : LoginTable.COLUMNS) {
            a.add("--column");
            a.add(c);
        }
        a.addAll(List.of(extra));
        return a;
    }

    int reencrypt(String... extra) {
        return run(reencryptArgs(extra).toArray(String[]::new));
    }

    int retire(int keyId) {
        return run(
                "retire",
                "--in",
                keysetFile.toString(),
                "--key-id",
                Long.toString(Integer.toUnsignedLong(keyId)),
                "--db-url",
                db.url,
                "--db-user",
                LoginTable.user(),
                "--column",
                "user_logins.masked_ip",
                "--column",
                "user_logins.masked_device_id");
    }

    /** What every row must hold at the end: the new primary key's ciphertext of its plaintext. */
    void assertAllOnNewKey(int rows) throws Exception {
        PiiCipher fresh = PiiCipher.forHandle(after, CipherMode.DETERMINISTIC, "user_logins");
        Map<String, String> snap = db.snapshot();
        assertThat(snap).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(snap.get(LoginTable.key(i)))
                    .isEqualTo(fresh.encrypt("ip", LoginTable.ip(i)) + "|"
                            + fresh.encrypt("device_id", LoginTable.deviceId(i)));
        }
    }

    static int oldKey(KeysetHandle h) {
        return h.getPrimary().getId();
    }

    @Test
    void reencryptRewritesEveryValueToThePrimaryKeyAndASecondRunChangesNothing() throws Exception {
        rowsThenRotate(2_500);
        // before: the same device id has two ciphertexts across the rotation
        db.insert(after, 2_500, 2_537);
        assertThat(distinctDeviceCiphertexts()).isEqualTo(2 * 37);

        assertThat(reencrypt("--batch-size", "300")).as(err).isZero();
        assertThat(out)
                .contains("2,537 rows scanned")
                .contains("2,500 rows rewritten")
                .contains("masked_device_id: 2,500 rewritten, 37 already on key");
        assertThat(err).contains("reencrypt user_logins [").contains("100%");
        assertAllOnNewKey(2_537);
        assertThat(distinctDeviceCiphertexts()).isEqualTo(37);

        Map<String, String> done = db.snapshot();
        assertThat(reencrypt()).isZero();
        assertThat(out).contains("0 rows rewritten").contains("2,537 already on key");
        assertThat(db.snapshot()).isEqualTo(done);
    }

    long distinctDeviceCiphertexts() throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(DISTINCT masked_device_id) FROM user_logins")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aValueThePipelineRewritesMeanwhileIsNeverOverwritten() throws Exception {
        rowsThenRotate(200);
        PiiCipher pipeline = PiiCipher.forHandle(after, CipherMode.DETERMINISTIC, "user_logins");
        try (Connection writer = db.connect()) {
            // the pipeline upserts rows 10..19 (new key, new device id) and holds their row locks until it commits
            writer.setAutoCommit(false);
            try (PreparedStatement ps =
                    writer.prepareStatement("UPDATE user_logins SET masked_device_id = ? WHERE message_id = ?")) {
                for (int i = 10; i < 20; i++) {
                    ps.setString(1, pipeline.encrypt("device_id", "changed-" + i));
                    ps.setString(2, LoginTable.key(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> reencrypt("--batch-size", "50"));
            // the job has read the old values and now waits for the pipeline's row locks
            await().atMost(Duration.ofMinutes(2)).until(() -> job.isDone() || waitingOnLock());
            assertThat(job).as("reencrypt waits for the pipeline's transaction").isNotDone();
            writer.commit();
            assertThat(job.get(2, TimeUnit.MINUTES)).as(err).isZero();
        }
        assertThat(out)
                .contains("masked_device_id: 190 rewritten, 0 already on key " + Integer.toUnsignedLong(oldKey(after))
                        + ", 10 changed by the pipeline meanwhile");
        assertThat(out).contains("masked_ip: 200 rewritten").contains("200 rows rewritten");
        Map<String, String> snap = db.snapshot();
        for (int i = 0; i < 200; i++) {
            String device = i >= 10 && i < 20 ? "changed-" + i : LoginTable.deviceId(i);
            assertThat(snap.get(LoginTable.key(i)))
                    .isEqualTo(pipeline.encrypt("ip", LoginTable.ip(i)) + "|" + pipeline.encrypt("device_id", device));
        }
    }

    /** On a connection of its own: within a transaction, pg_stat_activity is a snapshot taken at first use. */
    boolean waitingOnLock() throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity "
                                + "WHERE application_name = 'pii-keys' AND wait_event_type = 'Lock' AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    @Test
    void aReencryptionKilledMidRunFinishesOnReRunWithTheSameResult() throws Exception {
        int rows = 3_000;
        rowsThenRotate(rows);
        int newKey = oldKey(after);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PiiKeys.class.getName()));
        cmd.addAll(reencryptArgs("--rows-per-second", "150"));
        Path childErr = dir.resolve("child.err");
        Process child = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(childErr.toFile())
                .start();
        try {
            // some batches committed (each carries both columns of its rows), far from all
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !child.isAlive() || db.valuesOnKey(newKey) >= 300);
        } finally {
            child.destroyForcibly();
            child.waitFor(1, TimeUnit.MINUTES);
        }
        long partial = db.valuesOnKey(newKey);
        assertThat(partial).as(Files.readString(childErr)).isBetween(300L, 2L * rows - 1);
        assertThat(partial % 2)
                .as("a batch commits both columns of its rows or nothing")
                .isZero();
        // every row still decrypts, on either key, to its own value
        PiiCipher any = PiiCipher.forHandle(after, CipherMode.DETERMINISTIC, "user_logins");
        db.snapshot().forEach((key, v) -> {
            int i = Integer.parseInt(key.substring(2));
            assertThat(any.decrypt("ip", v.split("\\|")[0])).isEqualTo(LoginTable.ip(i));
            assertThat(any.decrypt("device_id", v.split("\\|")[1])).isEqualTo(LoginTable.deviceId(i));
        });

        assertThat(reencrypt()).as(err).isZero();
        assertThat(out)
                .contains(String.format("%,d rows rewritten", rows - partial / 2))
                .contains(String.format("%,d already on key", partial / 2));
        assertAllOnNewKey(rows);
    }

    @Test
    void refusesBeforeWritingWhenTheKeysetCannotDecryptSomeRowsAndNamesOnlyTheirKeys() throws Exception {
        rowsThenRotate(1_200);
        KeysetHandle foreign = Keysets.generate(CipherMode.DETERMINISTIC);
        db.execute("DELETE FROM user_logins WHERE message_id IN ('m-001100', 'm-001150')");
        db.insert(foreign, 1_100, 1_101);
        db.execute("UPDATE user_logins SET masked_ip = 'not-ciphertext' WHERE message_id = 'm-000007'");
        // a ciphertext copied from another column: right key, wrong associated data
        db.execute("UPDATE user_logins SET masked_ip = masked_device_id WHERE message_id = 'm-000900'");
        Map<String, String> untouched = db.snapshot();

        assertThat(reencrypt("--batch-size", "100")).isEqualTo(1);
        assertThat(err)
                .contains("refusing to re-encrypt user_logins")
                .contains("4 value(s)")
                .contains("m-000007 (masked_ip)")
                .contains("m-000900 (masked_ip)")
                .contains("m-001100 (masked_ip)")
                .contains("m-001100 (masked_device_id)")
                .doesNotContain("not-ciphertext")
                .doesNotContain("10.0.")
                .doesNotContain("dev-");
        for (String v : untouched.values()) {
            for (String part : v.split("\\|")) {
                assertThat(err + out).doesNotContain(part);
            }
        }
        assertThat(db.snapshot()).isEqualTo(untouched);

        // the wrong associated data for a column is refused the same way
        assertThat(run(
                        "reencrypt",
                        "--in",
                        keysetFile.toString(),
                        "--db-url",
                        db.url,
                        "--db-user",
                        LoginTable.user(),
                        "--table",
                        "user_logins",
                        "--key-column",
                        "message_id",
                        "--column",
                        "masked_ip:logins.ip"))
                .isEqualTo(1);
        assertThat(err).contains("refusing").contains("m-000000 (masked_ip)");
        assertThat(db.snapshot()).isEqualTo(untouched);
    }

    @Test
    void retireRefusesWhileRowsUseTheKeyAndNeverTakesThePrimary() throws Exception {
        rowsThenRotate(500);
        int old = oldKey(before);
        int primary = oldKey(after);
        byte[] keyset = Files.readAllBytes(keysetFile);

        assertThat(retire(old)).isEqualTo(1);
        assertThat(out).contains("user_logins.masked_ip: [key " + Integer.toUnsignedLong(old) + " 500 values]");
        assertThat(err)
                .contains("refusing to retire key " + Integer.toUnsignedLong(old))
                .contains("user_logins.masked_device_id=500");
        assertThat(Files.readAllBytes(keysetFile)).isEqualTo(keyset);

        assertThat(retire(primary)).isEqualTo(1);
        assertThat(err).contains("is the primary key");
        assertThat(retire(12345)).isEqualTo(1);
        assertThat(err).contains("has no key 12345");
        assertThat(Files.readAllBytes(keysetFile)).isEqualTo(keyset);

        // after re-encryption: one row written meanwhile by a task still on the old key blocks it again
        assertThat(reencrypt()).isZero();
        db.insert(before, 500, 501);
        assertThat(retire(old)).isEqualTo(1);
        assertThat(err).contains("user_logins.masked_ip=1,").contains("user_logins.masked_device_id=1}");
        assertThat(reencrypt()).isZero();

        assertThat(retire(old)).as(err).isZero();
        assertThat(out).contains("retired key " + Integer.toUnsignedLong(old));
        KeysetHandle retired = KeysetSource.cleartextFile(keysetFile).load();
        assertThat(Keysets.describe(retired)).extracting(Keysets.KeyInfo::id).containsExactly(primary);
        after = retired;
        assertAllOnNewKey(501);
    }

    @Test
    void randomizedCiphertextsOfRejectedBodiesAreReEncryptedAndTheOldKeyRetired() throws Exception {
        KeysetHandle rnd = Keysets.generate(CipherMode.RANDOMIZED);
        Path file = dir.resolve("rnd.json");
        Keysets.writeCleartext(rnd, file);
        PiiCipher bodies = PiiCipher.forHandle(rnd, CipherMode.RANDOMIZED, "user_logins_rejected");
        db.execute("CREATE TABLE user_logins_rejected (message_id text PRIMARY KEY, encrypted_body text NOT NULL)");
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO user_logins_rejected VALUES (?, ?)")) {
            for (int i = 0; i < 120; i++) {
                ps.setString(1, LoginTable.key(i));
                ps.setString(2, bodies.encrypt("body", "{\"broken\":" + i));
                ps.executeUpdate();
            }
        }
        assertThat(run("rotate", "--in", file.toString())).isZero();
        KeysetHandle rotated = KeysetSource.cleartextFile(file).load();
        String[] args = {
            "reencrypt",
            "--in",
            file.toString(),
            "--db-url",
            db.url,
            "--db-user",
            LoginTable.user(),
            "--table",
            "user_logins_rejected",
            "--key-column",
            "message_id",
            "--column",
            "encrypted_body:user_logins_rejected.body",
            "--batch-size",
            "25"
        };
        assertThat(run(args)).as(err).isZero();
        assertThat(out).contains("120 rows rewritten");
        assertThat(run(args)).isZero();
        assertThat(out).contains("0 rows rewritten").contains("120 already on key");
        assertThat(run(
                        "retire",
                        "--in",
                        file.toString(),
                        "--key-id",
                        Long.toString(Integer.toUnsignedLong(oldKey(rnd))),
                        "--db-url",
                        db.url,
                        "--db-user",
                        LoginTable.user(),
                        "--column",
                        "user_logins_rejected.encrypted_body"))
                .as(err)
                .isZero();
        PiiCipher retired = PiiCipher.forHandle(
                KeysetSource.cleartextFile(file).load(), CipherMode.RANDOMIZED, "user_logins_rejected");
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message_id, encrypted_body FROM user_logins_rejected")) {
            int n = 0;
            while (rs.next()) {
                int i = Integer.parseInt(rs.getString(1).substring(2));
                assertThat(PiiCipher.keyIdOf(rs.getString(2))).isEqualTo(oldKey(rotated));
                assertThat(retired.decrypt("body", rs.getString(2))).isEqualTo("{\"broken\":" + i);
                n++;
            }
            assertThat(n).isEqualTo(120);
        }
    }

    @Test
    void aKmsWrappedKeysetIsReEncryptedAndRetiredInItsOwnForm() throws Exception {
        String arn = "arn:aws:kms:us-east-1:111122223333:key/rekey-test";
        try (LocalKms kms = LocalKms.start(arn)) {
            String uri = "aws-kms://" + arn;
            String endpoint = kms.endpoint().toString();
            Path wrapped = dir.resolve("det.kms.json");
            Keysets.writeKmsEncrypted(before, uri, kms.endpoint(), wrapped);
            db.insert(before, 0, 300);
            assertThat(run("rotate", "--in", wrapped.toString(), "--kms-uri", uri, "--kms-endpoint", endpoint))
                    .isZero();
            after = KeysetSource.kmsEncrypted(uri, wrapped, kms.endpoint()).load();
            List<String> args = reencryptArgs();
            args.set(args.indexOf(keysetFile.toString()), wrapped.toString());
            args.addAll(List.of("--kms-uri", uri, "--kms-endpoint", endpoint));
            assertThat(run(args.toArray(String[]::new))).as(err).isZero();
            assertAllOnNewKey(300);
            assertThat(run(
                            "retire",
                            "--in",
                            wrapped.toString(),
                            "--kms-uri",
                            uri,
                            "--kms-endpoint",
                            endpoint,
                            "--key-id",
                            Long.toString(Integer.toUnsignedLong(oldKey(before))),
                            "--db-url",
                            db.url,
                            "--db-user",
                            LoginTable.user(),
                            "--column",
                            "user_logins.masked_ip",
                            "--column",
                            "user_logins.masked_device_id"))
                    .as(err)
                    .isZero();
            assertThat(Files.readString(wrapped)).contains("encryptedKeyset").doesNotContain("\"value\"");
            KeysetHandle retired =
                    KeysetSource.kmsEncrypted(uri, wrapped, kms.endpoint()).load();
            assertThat(Keysets.describe(retired))
                    .extracting(Keysets.KeyInfo::id)
                    .containsExactly(oldKey(after));
            assertThat(kms.calls)
                    .last()
                    .satisfies(c -> assertThat(c.context()).containsEntry("purpose", "pii-deterministic"));
        }
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreRefusedBeforeTheDatabaseIsTouched() throws Exception {
        rowsThenRotate(3);
        Map<String, String> untouched = db.snapshot();
        assertThat(run(
                        "reencrypt",
                        "--in",
                        keysetFile.toString(),
                        "--db-url",
                        db.url,
                        "--db-user",
                        LoginTable.user(),
                        "--table",
                        "user_logins; DROP TABLE user_logins",
                        "--key-column",
                        "message_id",
                        "--column",
                        "masked_ip:user_logins.ip"))
                .isEqualTo(1);
        assertThat(err).contains("not a plain SQL identifier");
        assertThat(run(
                        "reencrypt",
                        "--in",
                        keysetFile.toString(),
                        "--db-url",
                        db.url,
                        "--db-user",
                        LoginTable.user(),
                        "--table",
                        "user_logins",
                        "--key-column",
                        "message_id",
                        "--column",
                        "masked_ip"))
                .isEqualTo(1);
        assertThat(err).contains("COLUMN:ASSOCIATED_DATA");
        assertThat(db.snapshot()).isEqualTo(untouched);
    }
}
