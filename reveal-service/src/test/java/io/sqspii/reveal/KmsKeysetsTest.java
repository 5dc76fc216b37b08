package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.kms.LocalKms;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production key path: keysets wrapped by a KMS key (a local endpoint speaking the KMS protocol), each
 * for its purpose. The service unwraps each only for the purpose of its table's mode and refuses a keyset
 * wrapped for another.
 */
class KmsKeysetsTest {
    static final String ARN = "arn:aws:kms:eu-west-1:111122223333:key/reveal-test";

    @TempDir
    Path dir;

    @RegisterExtension
    final LocalKms.PerTest kms = LocalKms.perTest(ARN);

    private Properties config(RevealTestDb db, Path det, Path rnd) throws SQLException {
        Properties p = new Properties();
        p.setProperty("listen.port", "0");
        p.setProperty("db.url", db.url);
        p.setProperty("db.service.user", db.serviceLogin());
        p.setProperty("db.service.password", RevealTestDb.password(db.serviceLogin()));
        p.setProperty("keyset.deterministic.file", det.toString());
        p.setProperty("keyset.randomized.file", rnd.toString());
        p.setProperty("keyset.kms.key.uri", "aws-kms://" + ARN);
        p.setProperty("keyset.kms.endpoint", kms.endpoint().toString());
        return p;
    }

    @Test
    void revealsWithKmsWrappedKeysetsAndRefusesOneWrappedForAnotherPurpose() throws SQLException {
        KeysetHandle det = Keysets.generate(CipherMode.DETERMINISTIC);
        KeysetHandle rnd = Keysets.generate(CipherMode.RANDOMIZED);
        Path detFile = dir.resolve("det.enc.json");
        Path rndFile = dir.resolve("rnd.enc.json");
        Keysets.writeKmsEncrypted(det, "aws-kms://" + ARN, kms.endpoint(), detFile);
        Keysets.writeKmsEncrypted(rnd, "aws-kms://" + ARN, kms.endpoint(), rndFile);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin(
                    "m-1",
                    PiiCipher.forHandle(det, CipherMode.DETERMINISTIC, "user_logins")
                            .encrypt("ip", "10.1.2.3"),
                    null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(config(db, detFile, rndFile)))) {
                RevealClient.Answer a = new RevealClient(server.uri())
                        .reveal(
                                reader,
                                RevealTestDb.password(reader),
                                "kms",
                                List.of(cell("user_logins", "m-1", "masked_ip")));
                assertThat(a.body().get("cells").get(0).get("plaintext").asText())
                        .isEqualTo("10.1.2.3");
            }
            assertThat(kms.calls())
                    .filteredOn(c -> c.target().equals("TrentService.Decrypt"))
                    .extracting(c -> c.context().get("purpose"))
                    .containsExactlyInAnyOrder("pii-deterministic", "pii-randomized");

            // the deterministic keyset file swapped for one wrapped as the randomized keyset
            Path swapped = dir.resolve("swapped.enc.json");
            Keysets.writeKmsEncrypted(det, "aws-kms://" + ARN, kms.endpoint(), "pii-randomized", swapped);
            assertThatThrownBy(() -> RevealServer.start(RevealConfig.from(config(db, swapped, rndFile))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("for purpose pii-deterministic");
        }
    }
}
