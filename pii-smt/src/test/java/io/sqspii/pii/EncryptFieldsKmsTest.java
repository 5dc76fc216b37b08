package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.kms.LocalKms;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The SMT configured with a KMS-encrypted keyset (keyset.kms.uri), against a local KMS endpoint. */
class EncryptFieldsKmsTest {
    static final String ARN = "arn:aws:kms:eu-central-1:111122223333:key/smt-test";

    @TempDir
    Path dir;

    @RegisterExtension
    final LocalKms.PerTest kms = LocalKms.perTest(ARN);

    @Test
    void encryptsWithAKmsEncryptedKeysetAndFailsConfigureOnTheWrongKey() {
        Path clear = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path enc = dir.resolve("det.enc.json");
        Keysets.writeKmsEncrypted(KeysetSource.cleartextFile(clear).load(), "aws-kms://" + ARN, kms.endpoint(), enc);

        EncryptFields.Value<SourceRecord> t = new EncryptFields.Value<>();
        t.configure(Map.of(
                "fields",
                "ip",
                "keyset.file",
                enc.toString(),
                "keyset.kms.uri",
                "aws-kms://" + ARN,
                "keyset.kms.endpoint",
                kms.endpoint().toString(),
                "associated.data",
                "user_logins"));
        Struct out = (Struct) t.apply(LoginRecords.record(LoginRecords.login("10.9.8.7", "d")))
                .value();
        t.close();
        PiiCipher check =
                PiiCipher.forKeyset(KeysetSource.cleartextFile(clear), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(check.decrypt("ip", out.getString("ip"))).isEqualTo("10.9.8.7");

        EncryptFields.Value<SourceRecord> wrong = new EncryptFields.Value<>();
        assertThatThrownBy(() -> wrong.configure(Map.of(
                        "fields",
                        "ip",
                        "keyset.file",
                        enc.toString(),
                        "keyset.kms.uri",
                        "aws-kms://arn:aws:kms:eu-central-1:111122223333:key/another",
                        "keyset.kms.endpoint",
                        kms.endpoint().toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyset.file")
                .hasMessageContaining("NotFoundException");

        kms.stopServing(); // KMS unreachable: a clear configure-time error, no hang
        EncryptFields.Value<SourceRecord> down = new EncryptFields.Value<>();
        assertThatThrownBy(() -> down.configure(Map.of(
                        "fields",
                        "ip",
                        "keyset.file",
                        enc.toString(),
                        "keyset.kms.uri",
                        "aws-kms://" + ARN,
                        "keyset.kms.endpoint",
                        kms.endpoint().toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KMS Decrypt failed");
    }

    @Test
    void aKeysetWrappedForAnotherPurposeIsRefused() {
        Path clear = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path enc = dir.resolve("det-as-randomized.enc.json");
        // a deterministic keyset wrapped as if it were the randomized one (or before purposes existed)
        Keysets.writeKmsEncrypted(
                KeysetSource.cleartextFile(clear).load(),
                "aws-kms://" + ARN,
                kms.endpoint(),
                Keysets.purposeOf(CipherMode.RANDOMIZED),
                enc);
        EncryptFields.Value<SourceRecord> t = new EncryptFields.Value<>();
        assertThatThrownBy(() -> t.configure(Map.of(
                        "fields",
                        "ip",
                        "keyset.file",
                        enc.toString(),
                        "keyset.kms.uri",
                        "aws-kms://" + ARN,
                        "keyset.kms.endpoint",
                        kms.endpoint().toString(),
                        "associated.data",
                        "user_logins")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for purpose pii-deterministic")
                .hasMessageContaining("InvalidCiphertextException");
        assertThat(kms.calls().get(kms.calls().size() - 1).context()).containsEntry("purpose", "pii-deterministic");
    }
}
