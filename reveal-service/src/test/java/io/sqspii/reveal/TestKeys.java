package io.sqspii.reveal;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import com.google.crypto.tink.KeysetHandle;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Fresh clear-text keysets for a test, and ciphers that write values exactly as the pipeline's SMT does
 * (associated data = table + "." + field before the rename).
 */
record TestKeys(Path deterministicFile, Path randomizedFile, PiiCipher logins, PiiCipher rejected, long deterministicKeyId,
                long randomizedKeyId) {

    static TestKeys generate(Path dir) {
        KeysetHandle det = Keysets.generate(CipherMode.DETERMINISTIC);
        KeysetHandle rnd = Keysets.generate(CipherMode.RANDOMIZED);
        Path detFile = dir.resolve("det.json");
        Path rndFile = dir.resolve("rnd.json");
        Keysets.writeCleartext(det, detFile);
        Keysets.writeCleartext(rnd, rndFile);
        return new TestKeys(detFile, rndFile, PiiCipher.forHandle(det, CipherMode.DETERMINISTIC, "user_logins"),
                PiiCipher.forHandle(rnd, CipherMode.RANDOMIZED, "user_logins_rejected"),
                TinkKeyId.unsigned(det.getPrimary().getId()), TinkKeyId.unsigned(rnd.getPrimary().getId()));
    }

    /** A deterministic cipher over a keyset the service does not hold (another key id). */
    static PiiCipher foreignLoginsCipher() {
        return PiiCipher.forHandle(Keysets.generate(CipherMode.DETERMINISTIC), CipherMode.DETERMINISTIC, "user_logins");
    }

    String ip(String plain) {
        return logins.encrypt("ip", plain);
    }

    String deviceId(String plain) {
        return logins.encrypt("device_id", plain);
    }

    String body(String plain) {
        return rejected.encrypt("body", plain);
    }

    /** A loopback service config over the test database and its service login, clear-text keysets allowed. */
    Properties serviceConfig(RevealTestDb db) throws java.sql.SQLException {
        Properties p = serviceConfig(db.url);
        String service = db.serviceLogin();
        p.setProperty("db.service.user", service);
        p.setProperty("db.service.password", RevealTestDb.password(service));
        return p;
    }

    /** A loopback service config on a free port over a database that is never asked to reveal (no service login). */
    Properties serviceConfig(String dbUrl) {
        Properties p = new Properties();
        p.setProperty("listen.host", "127.0.0.1");
        p.setProperty("listen.port", "0");
        p.setProperty("db.url", dbUrl);
        p.setProperty("db.service.user", "rv_no_service_login");
        p.setProperty("keyset.deterministic.file", deterministicFile.toString());
        p.setProperty("keyset.randomized.file", randomizedFile.toString());
        p.setProperty("keyset.allow.cleartext", "true");
        return p;
    }
}
