package io.sqspii.inspector;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.BiFunction;

/**
 * Real ciphertext for seeded rows, with the pipeline's domains (tests only): the dev keysets of
 * connect-config/dev/keys when present, otherwise keysets generated once per run by the crypto core.
 */
final class Masking {

    static final Path KEYS = keysDir();
    static final Path DETERMINISTIC = KEYS.resolve("pii-deterministic.json");
    static final Path RANDOMIZED = KEYS.resolve("pii-randomized.json");
    static final String REJECTED_BODY = "{\"user_id\":\"424cdd21-063a-43a7-b91b-7ca1a833afae\",\"ip\":\"199.172.111.135\"";

    private Masking() {
    }

    private static Path keysDir() {
        Path dev = Path.of(System.getProperty("keys.dir", "../connect-config/dev/keys"));
        if (Files.isReadable(dev.resolve("pii-deterministic.json")) && Files.isReadable(dev.resolve("pii-randomized.json"))) {
            return dev;
        }
        try {
            Path dir = Files.createTempDirectory("inspector-keys-");
            dir.toFile().deleteOnExit();
            Path det = dir.resolve("pii-deterministic.json");
            Path rnd = dir.resolve("pii-randomized.json");
            Keysets.writeCleartext(Keysets.generate(CipherMode.DETERMINISTIC), det);
            Keysets.writeCleartext(Keysets.generate(CipherMode.RANDOMIZED), rnd);
            det.toFile().deleteOnExit();
            rnd.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PiiCipher logins() {
        return PiiCipher.forKeyset(KeysetSource.cleartextFile(DETERMINISTIC), CipherMode.DETERMINISTIC, "user_logins");
    }

    static PiiCipher rejected() {
        return PiiCipher.forKeyset(KeysetSource.cleartextFile(RANDOMIZED), CipherMode.RANDOMIZED, "user_logins_rejected");
    }

    /** (field, plaintext) → deterministic ciphertext, as the pipeline's SMT stores it. */
    static BiFunction<String, String, String> real() {
        PiiCipher c = logins();
        return c::encrypt;
    }

    static KeyRing keyRing() {
        return KeyRing.load(new KeysetChoice(DETERMINISTIC, RANDOMIZED, null));
    }

    static void seedRejected(TestDb db) throws SQLException {
        PiiCipher c = rejected();
        db.insertRejected("rej-1", "invalid JSON: unexpected end of input", c.encrypt("body", REJECTED_BODY), SeedData.T0);
        db.insertRejected("rej-2", "missing required field: device_id", c.encrypt("body", "{\"user_id\":\"u\",\"ip\":\"10.1.2.3\"}"),
                SeedData.T0.plusMinutes(3));
    }
}
