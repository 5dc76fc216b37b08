package io.sqspii.reveal;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import io.sqspii.reveal.api.PiiColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keysets the service decrypts with, by the name the PII catalog gives them (pii_columns.keyset), over the
 * pii-smt crypto core. What decrypts a value (keyset, mode, associated data) is the catalog row pii_reveal()
 * returned with it; the associated data is used verbatim. Decrypting never throws: a value that cannot be
 * decrypted comes back with its cause, which never holds the value or its plaintext.
 */
final class KeyRing {

    /** A loaded keyset: its mode (from its key type) and the key ids it holds (unsigned, as pii_access_log.key_id). */
    record Loaded(String name, CipherMode mode, KeysetHandle handle, List<Long> keyIds, boolean cleartext) {}

    /** What decrypting one stored value gave: plaintext, or the cause it failed. */
    record Decrypted(String plaintext, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    /** What the catalog says decrypts a stored value, and where it is stored (for causes). */
    record Binding(String where, String mode, String keyset, String associatedData) {}

    private final Map<String, Loaded> byName;
    /** One primitive per (keyset, associated data): building one costs more than a decryption. */
    private final Map<List<String>, PiiCipher> ciphers = new ConcurrentHashMap<>();

    private KeyRing(Map<String, Loaded> byName) {
        this.byName = byName;
    }

    static KeyRing load(RevealConfig config) {
        Map<String, Loaded> m = new LinkedHashMap<>();
        config.keysets().forEach((name, file) -> m.put(name, load(config, name, file)));
        return new KeyRing(m);
    }

    private static Loaded load(RevealConfig config, String name, Path file) {
        // KMS unwraps a keyset only for the purpose of its key type (pii-deterministic, ...), the purpose it was
        // wrapped for by pii-keys; that type is also the mode the catalog must record for it.
        KeysetSource source = config.kmsKeyUri() == null
                ? KeysetSource.cleartextFile(file)
                : KeysetSource.kmsEncrypted(config.kmsKeyUri(), file, config.kmsEndpoint());
        try {
            KeysetHandle handle = source.load();
            List<Long> ids = new ArrayList<>();
            for (Keysets.KeyInfo k : Keysets.describe(handle)) {
                ids.add(TinkKeyId.unsigned(k.id()));
            }
            return new Loaded(name, Keysets.modeOf(handle), handle, List.copyOf(ids), source.isCleartext());
        } catch (PiiCryptoException e) {
            throw new IllegalArgumentException("cannot load keyset " + name + ": " + e.getMessage(), e);
        }
    }

    /** The loaded keysets, sorted by name. */
    List<Loaded> loaded() {
        return List.copyOf(byName.values());
    }

    Decrypted decrypt(Binding b, String ciphertext) {
        Loaded keys = byName.get(b.keyset());
        if (keys == null) {
            return failed(
                    "keyset " + b.keyset() + " of " + b.where() + " is not loaded (keyset." + b.keyset() + ".file)");
        }
        if (!keys.mode().configName().equals(b.mode())) {
            return failed("keyset " + b.keyset() + " holds " + keys.mode().configName() + " keys, but the PII catalog "
                    + "records " + b.where() + " as " + b.mode());
        }
        if (keys.mode() == CipherMode.HMAC) {
            return failed(b.where() + " holds hmac tokens, which are irreversible: nothing to reveal");
        }
        OptionalLong keyId = TinkKeyId.of(ciphertext);
        if (keyId.isEmpty()) {
            return failed("the value in " + b.where() + " is not a Tink ciphertext (damaged)");
        }
        if (!keys.keyIds().contains(keyId.getAsLong())) {
            return failed("no key with id " + keyId.getAsLong() + " in keyset " + b.keyset());
        }
        try {
            PiiCipher cipher = ciphers.computeIfAbsent(
                    List.of(b.keyset(), b.associatedData()),
                    k -> PiiCipher.withConstantAssociatedData(keys.handle(), keys.mode(), b.associatedData()));
            return new Decrypted(cipher.decrypt(b.where(), ciphertext), null);
        } catch (PiiCryptoException e) {
            return failed("the value in " + b.where() + " does not decrypt with key " + keyId.getAsLong()
                    + " (damaged, or written for another column)");
        }
    }

    /**
     * The ciphertext a deterministic (or hmac) column stores for {@code plaintext}, as the pipeline's transform
     * wrote it: canonical form of the catalog row, then the keyset's primary key with the row's associated data.
     * Empty when the keyset is not loaded or is not of the row's mode. Values written under an earlier primary key
     * (before a rotation and re-encryption) have other ciphertexts.
     */
    Optional<String> ciphertextOf(PiiColumn column, String plaintext) {
        Loaded keys = byName.get(column.keyset());
        if (keys == null || !keys.mode().configName().equals(column.mode()) || keys.mode() == CipherMode.RANDOMIZED) {
            return Optional.empty();
        }
        String canonical = Canonicalizer.parse(column.canonical())
                .apply(
                        plaintext,
                        new Canonicalizer.Options(
                                Canonicalizer.LocalCase.LOWER, column.region() == null ? "" : column.region()));
        PiiCipher cipher = ciphers.computeIfAbsent(
                List.of(column.keyset(), column.associatedData()),
                k -> PiiCipher.withConstantAssociatedData(keys.handle(), keys.mode(), column.associatedData()));
        return Optional.of(cipher.encrypt(column.column(), canonical));
    }

    private static Decrypted failed(String cause) {
        return new Decrypted(null, cause);
    }
}
