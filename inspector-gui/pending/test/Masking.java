package io.sqspii.inspector;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.BiFunction;

/** Real ciphertext for seeded rows, with the dev keysets and the pipeline's domains (tests only). */
final class Masking {

    static final Path KEYS = Path.of(System.getProperty("keys.dir", "../connect-config/dev/keys"));
    static final Path DETERMINISTIC = KEYS.resolve("pii-deterministic.json");
    static final Path RANDOMIZED = KEYS.resolve("pii-randomized.json");
    static final String REJECTED_BODY = "{\"user_id\":\"424cdd21-063a-43a7-b91b-7ca1a833afae\",\"ip\":\"199.172.111.135\"";

    private Masking() {
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
