package io.sqspii.pii.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiiCipherTest {
    @TempDir
    Path dir;

    private KeysetSource fresh(CipherMode mode) {
        Path f = dir.resolve(mode.configName() + ".json");
        Keysets.writeCleartext(Keysets.generate(mode), f);
        return KeysetSource.cleartextFile(f);
    }

    @Test
    void deterministicIsStablePerFieldAndRoundTrips() {
        PiiCipher c = PiiCipher.forKeyset(fresh(CipherMode.DETERMINISTIC), CipherMode.DETERMINISTIC, "user_logins");
        String a = c.encrypt("ip", "199.172.111.135");
        String b = c.encrypt("ip", "199.172.111.135");
        assertThat(a).isEqualTo(b).doesNotContain("199.172").matches("[A-Za-z0-9_-]+");
        assertThat(c.decrypt("ip", a)).isEqualTo("199.172.111.135");
        assertThat(c.encrypt("ip", "199.172.111.136")).isNotEqualTo(a);
    }

    @Test
    void differentFieldsAndDomainsGiveDifferentCiphertextsAndDoNotCrossDecrypt() {
        KeysetSource src = fresh(CipherMode.DETERMINISTIC);
        PiiCipher c = PiiCipher.forKeyset(src, CipherMode.DETERMINISTIC, "user_logins");
        PiiCipher other = PiiCipher.forKeyset(src, CipherMode.DETERMINISTIC, "other_table");
        String ip = c.encrypt("ip", "593-47-5928");
        String dev = c.encrypt("device_id", "593-47-5928");
        assertThat(ip).isNotEqualTo(dev);
        assertThat(other.encrypt("ip", "593-47-5928")).isNotEqualTo(ip);
        assertThatThrownBy(() -> c.decrypt("device_id", ip))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("device_id")
                .hasMessageNotContaining("593-47-5928");
        assertThat(c.associatedData("ip")).isEqualTo("user_logins.ip");
    }

    @Test
    void ciphertextIsBase64urlOfTinkOutputWithKeyIdPrefix() {
        KeysetHandle h = Keysets.generate(CipherMode.DETERMINISTIC);
        PiiCipher c = PiiCipher.forHandle(h, CipherMode.DETERMINISTIC, "d");
        byte[] raw = Base64.getUrlDecoder().decode(c.encrypt("f", "x"));
        assertThat(raw[0]).isEqualTo((byte) 1); // Tink output prefix
        int id = ((raw[1] & 0xff) << 24) | ((raw[2] & 0xff) << 16) | ((raw[3] & 0xff) << 8) | (raw[4] & 0xff);
        assertThat(id).isEqualTo(h.getPrimary().getId());
        assertThat(c.encrypt("f", "x")).doesNotContain("=");
    }

    @Test
    void rotationKeepsOldCiphertextsDecryptableAndUsesTheNewKeyId() {
        KeysetHandle v1 = Keysets.generate(CipherMode.DETERMINISTIC);
        String old = PiiCipher.forHandle(v1, CipherMode.DETERMINISTIC, "d").encrypt("ip", "10.1.2.3");
        KeysetHandle v2 = Keysets.rotate(v1);
        assertThat(v2.size()).isEqualTo(2);
        assertThat(v2.getPrimary().getId()).isNotEqualTo(v1.getPrimary().getId());
        PiiCipher c2 = PiiCipher.forHandle(v2, CipherMode.DETERMINISTIC, "d");
        assertThat(c2.decrypt("ip", old)).isEqualTo("10.1.2.3");
        String fresh = c2.encrypt("ip", "10.1.2.3");
        assertThat(fresh).isNotEqualTo(old);
        byte[] raw = Base64.getUrlDecoder().decode(fresh);
        int id = ((raw[1] & 0xff) << 24) | ((raw[2] & 0xff) << 16) | ((raw[3] & 0xff) << 8) | (raw[4] & 0xff);
        assertThat(id).isEqualTo(v2.getPrimary().getId());
        List<Keysets.KeyInfo> info = Keysets.describe(v2);
        assertThat(info).extracting(Keysets.KeyInfo::primary).containsExactlyInAnyOrder(true, false);
        assertThat(info).extracting(Keysets.KeyInfo::type).containsOnly("AES256_SIV");
    }

    @Test
    void randomizedDiffersForEqualInputsAndRoundTrips() {
        PiiCipher c = PiiCipher.forKeyset(fresh(CipherMode.RANDOMIZED), CipherMode.RANDOMIZED, "user_logins_rejected");
        String a = c.encrypt("body", "{\"ip\":\"1.2.3.4\"}");
        String b = c.encrypt("body", "{\"ip\":\"1.2.3.4\"}");
        assertThat(a).isNotEqualTo(b);
        assertThat(c.decrypt("body", a)).isEqualTo("{\"ip\":\"1.2.3.4\"}");
        assertThat(c.decrypt("body", b)).isEqualTo("{\"ip\":\"1.2.3.4\"}");
    }

    @Test
    void hmacTokensAreStablePerFieldAndNotReversible() {
        PiiCipher c = PiiCipher.forKeyset(fresh(CipherMode.HMAC), CipherMode.HMAC, "user_logins");
        String t = c.encrypt("device_id", "593-47-5928");
        assertThat(c.encrypt("device_id", "593-47-5928")).isEqualTo(t);
        assertThat(c.encrypt("ip", "593-47-5928")).isNotEqualTo(t);
        assertThat(Base64.getUrlDecoder().decode(t)).hasSize(PiiCipher.HMAC_BYTES);
        assertThatThrownBy(() -> c.decrypt("device_id", t))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("irreversible");
    }

    @Test
    void wrongTypeMissingAndGarbageKeysetsFailClearlyWithoutKeyMaterial() throws Exception {
        KeysetSource gcm = fresh(CipherMode.RANDOMIZED);
        String json = Files.readString(gcm.file());
        assertThatThrownBy(() -> PiiCipher.forKeyset(gcm, CipherMode.DETERMINISTIC, "d"))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("AES256_SIV")
                .hasMessageContaining("AES256_GCM");
        assertThatThrownBy(() -> PiiCipher.forKeyset(
                        KeysetSource.cleartextFile(dir.resolve("none.json")), CipherMode.DETERMINISTIC, "d"))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("does not exist");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> PiiCipher.forKeyset(KeysetSource.cleartextFile(broken), CipherMode.RANDOMIZED, "d"))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("not a clear-text Tink JSON keyset")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"value\""));
    }

    @Test
    void canonicalization() {
        assertThat(Canonicalizer.IP.apply(" 10.1.2.3 ")).isEqualTo("10.1.2.3");
        assertThat(Canonicalizer.IP.apply("2001:DB8:0:0:0:0:2:1")).isEqualTo("2001:db8::2:1");
        assertThat(Canonicalizer.IP.apply("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Canonicalizer.IP.apply("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Canonicalizer.IP.apply("::ffff:10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(Canonicalizer.IP.apply("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(Canonicalizer.IP.apply("not-an-ip.example")).isEqualTo("not-an-ip.example");
        assertThat(Canonicalizer.IP.apply("1.2.3.256")).isEqualTo("1.2.3.256");
        assertThat(Canonicalizer.LOWERCASE.apply(" AbC ")).isEqualTo("abc");
        assertThat(Canonicalizer.TRIM.apply(" AbC ")).isEqualTo("AbC");
        assertThat(Canonicalizer.NONE.apply(" AbC ")).isEqualTo(" AbC ");
        assertThat(CipherMode.parse("Deterministic")).isEqualTo(CipherMode.DETERMINISTIC);
        assertThatThrownBy(() -> CipherMode.parse("rot13")).isInstanceOf(PiiCryptoException.class);
    }
}
