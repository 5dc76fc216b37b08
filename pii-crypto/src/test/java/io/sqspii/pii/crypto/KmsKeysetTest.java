package io.sqspii.pii.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.testsupport.kms.LocalKms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The KMS envelope over AWS SDK v2, against a local endpoint speaking the KMS JSON protocol. */
class KmsKeysetTest {
    static final String ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String URI = "aws-kms://" + ARN;

    @TempDir
    Path dir;

    @RegisterExtension
    final LocalKms.PerTest kms = LocalKms.perTest(ARN);

    @Test
    void encryptedKeysetRoundTripsThroughKms() throws Exception {
        KeysetHandle h = Keysets.generate(CipherMode.DETERMINISTIC);
        String ct =
                PiiCipher.forHandle(h, CipherMode.DETERMINISTIC, "user_logins").encrypt("ip", "10.1.2.3");
        Path file = dir.resolve("enc.json");
        Keysets.writeKmsEncrypted(h, URI, kms.endpoint(), file);

        Path clear = dir.resolve("clear.json");
        Keysets.writeCleartext(h, clear);
        String keyValue = Files.readString(clear).replaceAll("(?s).*\"value\":\"([^\"]+)\".*", "$1");
        assertThat(Files.readString(file)).contains("encryptedKeyset").doesNotContain(keyValue);

        PiiCipher c = PiiCipher.forKeyset(
                KeysetSource.kmsEncrypted(URI, file, kms.endpoint()), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(c.decrypt("ip", ct)).isEqualTo("10.1.2.3");
        assertThat(kms.calls())
                .extracting(LocalKms.Call::target)
                .containsExactly("TrentService.Encrypt", "TrentService.Decrypt");
        assertThat(kms.calls())
                .allSatisfy(call -> assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256"));
    }

    @Test
    void encryptionContextCarriesAssociatedData() throws Exception {
        try (AwsKmsAead aead = AwsKmsAead.create(URI, kms.endpoint(), null)) {
            byte[] ct = aead.encrypt("data-key".getBytes(), "ctx".getBytes());
            assertThat(kms.calls().get(0).context()).containsEntry("associatedData", "637478");
            assertThat(new String(aead.decrypt(ct, "ctx".getBytes()))).isEqualTo("data-key");
            assertThatThrownBy(() -> aead.decrypt(ct, "other".getBytes()))
                    .hasMessageContaining("InvalidCiphertextException");
        }
    }

    @Test
    void wrongKeyOrTamperedFileFailsClearly() throws Exception {
        Path file = dir.resolve("enc.json");
        Keysets.writeKmsEncrypted(Keysets.generate(CipherMode.RANDOMIZED), URI, kms.endpoint(), file);
        String otherUri = "aws-kms://arn:aws:kms:eu-west-1:111122223333:key/other";
        assertThatThrownBy(() -> KeysetSource.kmsEncrypted(otherUri, file, kms.endpoint())
                        .load())
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("NotFoundException")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> PiiCipher.forKeyset(
                        KeysetSource.kmsEncrypted(URI, file, kms.endpoint()), CipherMode.DETERMINISTIC, "d"))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("AES256_SIV");
        Path clear = dir.resolve("clear.json");
        Keysets.writeCleartext(Keysets.generate(CipherMode.RANDOMIZED), clear);
        assertThatThrownBy(() ->
                        KeysetSource.kmsEncrypted(URI, clear, kms.endpoint()).load())
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("encrypted with " + URI);
        assertThatThrownBy(() -> KeysetSource.kmsEncrypted("aws-kms://alias/x", file))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("aws-kms://arn:aws:kms:");
    }

    @Test
    void aKeysetIsWrappedForThePurposeOfItsModeAndRefusedForAnother() throws Exception {
        KeysetHandle h = Keysets.generate(CipherMode.DETERMINISTIC);
        Path file = dir.resolve("det.enc.json");
        Keysets.writeKmsEncrypted(h, URI, kms.endpoint(), file);
        assertThat(kms.calls().get(0).context()).containsEntry("purpose", "pii-deterministic");

        assertThat(KeysetSource.kmsEncrypted(URI, file, kms.endpoint(), Keysets.purposeOf(CipherMode.DETERMINISTIC))
                        .load()
                        .getPrimary()
                        .getId())
                .isEqualTo(h.getPrimary().getId());
        assertThat(kms.calls().get(1).context()).containsEntry("purpose", "pii-deterministic");
        assertThatThrownBy(() -> KeysetSource.kmsEncrypted(
                                URI, file, kms.endpoint(), Keysets.purposeOf(CipherMode.RANDOMIZED))
                        .load())
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("for purpose pii-randomized")
                .hasMessageContaining("InvalidCiphertextException");
        // the purpose of a tool that does not know the mode comes from the file's key types
        assertThat(KeysetSource.kmsEncrypted(URI, file, kms.endpoint()).load().size())
                .isEqualTo(1);
    }

    @Test
    void aKeysetWrappedWithoutPurposeIsRefusedUntilRewrapped() throws Exception {
        KeysetHandle h = Keysets.generate(CipherMode.RANDOMIZED);
        Path file = dir.resolve("legacy.enc.json");
        Keysets.writeKmsEncrypted(h, URI, kms.endpoint(), null, file);
        assertThat(kms.calls().get(0).context()).doesNotContainKey("purpose");
        KeysetSource asTheTransformsLoadIt =
                KeysetSource.kmsEncrypted(URI, file, kms.endpoint(), Keysets.purposeOf(CipherMode.RANDOMIZED));
        assertThatThrownBy(asTheTransformsLoadIt::load)
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("InvalidCiphertextException");

        // what `pii-keys rewrap` does (its own test: pii-keys' PiiKeysCliTest): unwrap without, wrap for the purpose
        KeysetHandle unwrapped =
                KeysetSource.kmsEncrypted(URI, file, kms.endpoint(), null).load();
        Keysets.writeKmsEncrypted(unwrapped, URI, kms.endpoint(), Keysets.purposeOf(Keysets.modeOf(unwrapped)), file);
        assertThat(asTheTransformsLoadIt.load().getPrimary().getId())
                .isEqualTo(h.getPrimary().getId());
    }
}
