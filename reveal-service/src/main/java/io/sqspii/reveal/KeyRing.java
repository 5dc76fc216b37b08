package io.sqspii.reveal;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The keysets the service decrypts with, one per cipher mode (deterministic for user_logins, randomized
 * for user_logins_rejected), over the pii-smt crypto core. Decrypting never throws: a value that cannot be
 * decrypted comes back with its cause, which never holds the value or its plaintext.
 */
final class KeyRing {

    /** A loaded keyset: the cipher and the key ids it holds (unsigned, as pii_access_log.key_id shows them). */
    record Loaded(String table, CipherMode mode, PiiCipher cipher, List<Long> keyIds, boolean cleartext) {
    }

    /** What decrypting one stored value gave: plaintext, or the cause it failed. */
    record Decrypted(String plaintext, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Map<CipherMode, Loaded> byMode;

    private KeyRing(Map<CipherMode, Loaded> byMode) {
        this.byMode = byMode;
    }

    static KeyRing load(RevealConfig config) {
        Map<CipherMode, Loaded> m = new EnumMap<>(CipherMode.class);
        load(config, config.deterministicKeyset(), CipherMode.DETERMINISTIC, m);
        load(config, config.randomizedKeyset(), CipherMode.RANDOMIZED, m);
        return new KeyRing(m);
    }

    private static void load(RevealConfig config, Path file, CipherMode mode, Map<CipherMode, Loaded> into) {
        if (file == null) {
            return;
        }
        String table = tableOf(mode);
        KeysetSource source = config.kmsKeyUri() == null ? KeysetSource.cleartextFile(file)
                : KeysetSource.kmsEncrypted(config.kmsKeyUri(), file, config.kmsEndpoint(), Keysets.purposeOf(mode));
        try {
            KeysetHandle handle = source.load();
            List<Long> ids = new ArrayList<>();
            for (Keysets.KeyInfo k : Keysets.describe(handle)) {
                ids.add(TinkKeyId.unsigned(k.id()));
            }
            into.put(mode, new Loaded(table, mode, PiiCipher.forHandle(handle, mode, table), List.copyOf(ids),
                    source.isCleartext()));
        } catch (PiiCryptoException e) {
            throw new IllegalArgumentException("cannot load the " + mode.configName() + " keyset of " + table + ": "
                    + e.getMessage(), e);
        }
    }

    private static String tableOf(CipherMode mode) {
        for (RevealableColumn c : RevealableColumn.values()) {
            if (c.mode() == mode) {
                return c.table();
            }
        }
        throw new IllegalStateException("no revealable column uses mode " + mode);
    }

    /** The loaded keysets in a stable order (deterministic, then randomized). */
    List<Loaded> loaded() {
        return List.copyOf(byMode.values());
    }

    Decrypted decrypt(RevealableColumn column, String ciphertext) {
        Loaded keys = byMode.get(column.mode());
        if (keys == null) {
            return failed("no " + column.mode().configName() + " keyset loaded for " + column.table());
        }
        OptionalLong keyId = TinkKeyId.of(ciphertext);
        if (keyId.isEmpty()) {
            return failed("the value in " + column + " is not a Tink ciphertext (damaged)");
        }
        if (!keys.keyIds().contains(keyId.getAsLong())) {
            return failed("no key with id " + keyId.getAsLong() + " loaded for " + column.table());
        }
        try {
            return new Decrypted(keys.cipher().decrypt(column.field(), ciphertext), null);
        } catch (PiiCryptoException e) {
            return failed("the value in " + column + " does not decrypt with key " + keyId.getAsLong()
                    + " (damaged, or written for another column)");
        }
    }

    private static Decrypted failed(String cause) {
        return new Decrypted(null, cause);
    }
}
