package io.sqspii.pii.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import io.sqspii.testsupport.kms.LocalKms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pii-keys CLI run in-process. */
class PiiKeysCliTest {
    static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/cli-test";

    @TempDir
    Path dir;

    StringWriter out;
    StringWriter err;

    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = PiiKeys.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    static String keyValue(Path clear) throws Exception {
        return Files.readString(clear).replaceAll("(?s).*\"value\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void generateRotateInfo() throws Exception {
        Path f = dir.resolve("det.json");
        assertThat(run("generate", "--mode", "deterministic", "--out", f.toString()))
                .isZero();
        assertThat(out.toString()).contains("CLEAR-TEXT").contains("AES256_SIV").contains("PRIMARY");
        String key = keyValue(f);
        assertThat(out.toString()).doesNotContain(key);
        String old = PiiCipher.forKeyset(KeysetSource.cleartextFile(f), CipherMode.DETERMINISTIC, "d")
                .encrypt("ip", "1.2.3.4");

        assertThat(run("generate", "--mode", "deterministic", "--out", f.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("exists");

        assertThat(run("rotate", "--in", f.toString())).isZero();
        assertThat(run("info", "--in", f.toString())).isZero();
        String info = out.toString();
        assertThat(info.lines().filter(l -> l.startsWith("key "))).hasSize(2);
        assertThat(info.lines().filter(l -> l.endsWith("PRIMARY"))).hasSize(1);
        assertThat(info).contains("mode: deterministic").doesNotContain(key).doesNotContain(keyValue(f));
        PiiCipher rotated = PiiCipher.forKeyset(KeysetSource.cleartextFile(f), CipherMode.DETERMINISTIC, "d");
        assertThat(rotated.decrypt("ip", old)).isEqualTo("1.2.3.4");
        assertThat(rotated.encrypt("ip", "1.2.3.4")).isNotEqualTo(old);

        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("pii-keys ").doesNotContain("${");
        assertThat(run(
                        "generate",
                        "--mode",
                        "hmac",
                        "--out",
                        dir.resolve("h.json").toString()))
                .isZero();
        assertThat(out.toString()).contains("HMAC_SHA256_PRF");
        assertThat(run(
                        "generate",
                        "--mode",
                        "rot13",
                        "--out",
                        dir.resolve("x.json").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("unknown cipher mode");
        assertThat(run("info", "--in", dir.resolve("missing.json").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void encryptKeysetThenUseAndRotateIt() throws Exception {
        try (LocalKms kms = LocalKms.start(ARN)) {
            String uri = "aws-kms://" + ARN;
            Path clear = dir.resolve("rnd.json");
            Path enc = dir.resolve("rnd.enc.json");
            assertThat(run("generate", "--mode", "randomized", "--out", clear.toString()))
                    .isZero();
            String ct = PiiCipher.forKeyset(KeysetSource.cleartextFile(clear), CipherMode.RANDOMIZED, "t")
                    .encrypt("body", "x");
            assertThat(run(
                            "encrypt-keyset",
                            "--kms-uri",
                            uri,
                            "--kms-endpoint",
                            kms.endpoint().toString(),
                            "--in",
                            clear.toString(),
                            "--out",
                            enc.toString()))
                    .isZero();
            assertThat(Files.readString(enc)).doesNotContain(keyValue(clear));
            assertThat(run(
                            "info",
                            "--in",
                            enc.toString(),
                            "--kms-uri",
                            uri,
                            "--kms-endpoint",
                            kms.endpoint().toString()))
                    .isZero();
            assertThat(out.toString()).contains("AES256_GCM").contains("encrypted with " + uri);
            assertThat(run(
                            "rotate",
                            "--in",
                            enc.toString(),
                            "--kms-uri",
                            uri,
                            "--kms-endpoint",
                            kms.endpoint().toString()))
                    .isZero();
            PiiCipher c = PiiCipher.forKeyset(
                    KeysetSource.kmsEncrypted(uri, enc, kms.endpoint()), CipherMode.RANDOMIZED, "t");
            assertThat(c.decrypt("body", ct)).isEqualTo("x");
            assertThat(run("info", "--in", enc.toString()))
                    .isEqualTo(1); // without the KMS key it is not a clear keyset
            assertThat(err.toString()).contains("not a clear-text Tink JSON keyset");
        }
    }

    @Test
    void rewrapMigratesAKeysetWrappedWithoutPurpose() throws Exception {
        try (LocalKms kms = LocalKms.start(ARN)) {
            String uri = "aws-kms://" + ARN;
            KeysetHandle h = Keysets.generate(CipherMode.RANDOMIZED);
            Path file = dir.resolve("legacy.enc.json");
            Keysets.writeKmsEncrypted(h, uri, kms.endpoint(), null, file);
            KeysetSource asTheTransformsLoadIt =
                    KeysetSource.kmsEncrypted(uri, file, kms.endpoint(), Keysets.purposeOf(CipherMode.RANDOMIZED));
            assertThatThrownBy(asTheTransformsLoadIt::load)
                    .isInstanceOf(PiiCryptoException.class)
                    .hasMessageContaining("InvalidCiphertextException");

            assertThat(run(
                            "rewrap",
                            "--kms-uri",
                            uri,
                            "--kms-endpoint",
                            kms.endpoint().toString(),
                            "--in",
                            file.toString()))
                    .isZero();
            assertThat(out.toString()).contains("for purpose pii-randomized");
            assertThat(asTheTransformsLoadIt.load().getPrimary().getId())
                    .isEqualTo(h.getPrimary().getId());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command :
                new String[] {"generate", "rotate", "info", "encrypt-keyset", "rewrap", "reencrypt", "retire"}) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).contains("Usage: pii-keys " + command);
        }
        assertThat(run("reencrypt", "--help")).isZero();
        assertThat(out.toString())
                .contains("--rows-per-second")
                .contains("--column=COLUMN:AD")
                .contains("PGPASSWORD");
    }
}
