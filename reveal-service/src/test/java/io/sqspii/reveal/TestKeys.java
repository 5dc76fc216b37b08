package io.sqspii.reveal;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.api.PiiColumn;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Fresh clear-text keysets for a test (the catalog's default keyset names deterministic and randomized), and ciphers
 * that write values exactly as the pipeline's SMT does: with the crypto core, bound to the associated data the PII
 * catalog records for the column.
 */
record TestKeys(
        Path deterministicFile,
        Path randomizedFile,
        KeysetHandle deterministic,
        KeysetHandle randomized,
        long deterministicKeyId,
        long randomizedKeyId) {

    static TestKeys generate(Path dir) {
        KeysetHandle det = Keysets.generate(CipherMode.DETERMINISTIC);
        KeysetHandle rnd = Keysets.generate(CipherMode.RANDOMIZED);
        Path detFile = dir.resolve("det.json");
        Path rndFile = dir.resolve("rnd.json");
        Keysets.writeCleartext(det, detFile);
        Keysets.writeCleartext(rnd, rndFile);
        return new TestKeys(
                detFile,
                rndFile,
                det,
                rnd,
                TinkKeyId.unsigned(det.getPrimary().getId()),
                TinkKeyId.unsigned(rnd.getPrimary().getId()));
    }

    /** A deterministic cipher over a keyset the service does not hold (another key id). */
    static PiiCipher foreignLoginsCipher() {
        return PiiCipher.withConstantAssociatedData(
                Keysets.generate(CipherMode.DETERMINISTIC), CipherMode.DETERMINISTIC, "user_logins.ip");
    }

    /** The value as the pipeline stores it in that catalog column: its mode's keyset, its associated data. */
    String encrypt(PiiColumn column, String plain) {
        CipherMode mode = CipherMode.parse(column.mode());
        KeysetHandle handle = switch (mode) {
            case DETERMINISTIC -> deterministic;
            case RANDOMIZED -> randomized;
            case HMAC -> throw new IllegalArgumentException("no hmac keyset in the tests");
        };
        return PiiCipher.withConstantAssociatedData(handle, mode, column.associatedData())
                .encrypt(column.column(), plain);
    }

    /** user_logins.ip as the SMT writes it (associated data user_logins.ip, the catalog's). */
    String ip(String plain) {
        return PiiCipher.forHandle(deterministic, CipherMode.DETERMINISTIC, "user_logins")
                .encrypt("ip", plain);
    }

    String deviceId(String plain) {
        return PiiCipher.forHandle(deterministic, CipherMode.DETERMINISTIC, "user_logins")
                .encrypt("device_id", plain);
    }

    String body(String plain) {
        return PiiCipher.forHandle(randomized, CipherMode.RANDOMIZED, "user_logins_rejected")
                .encrypt("body", plain);
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
