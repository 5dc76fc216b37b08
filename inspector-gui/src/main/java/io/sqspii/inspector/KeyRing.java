package io.sqspii.inspector;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.nio.file.Path;

/**
 * The keys loaded in the connect dialog, over the pii-smt crypto core: the deterministic keyset of
 * user_logins (fields ip, device_id) and the randomized keyset of user_logins_rejected (field body).
 * Associated data is the table's domain plus the field, exactly as the pipeline's SMT wrote it.
 */
final class KeyRing implements Decryptor {

    private final PiiCipher logins;
    private final PiiCipher rejected;

    private KeyRing(PiiCipher logins, PiiCipher rejected) {
        this.logins = logins;
        this.rejected = rejected;
    }

    /** Loads the keysets the choice names; a missing file leaves its columns without a key. */
    static KeyRing load(KeysetChoice choice) {
        PiiCipher det = choice.deterministicFile() == null ? null
                : cipher(choice, choice.deterministicFile(), CipherMode.DETERMINISTIC, TableSpec.LOGINS.domain(), "deterministic");
        PiiCipher rnd = choice.randomizedFile() == null ? null
                : cipher(choice, choice.randomizedFile(), CipherMode.RANDOMIZED, TableSpec.REJECTED.domain(), "randomized");
        return new KeyRing(det, rnd);
    }

    private static PiiCipher cipher(KeysetChoice choice, Path file, CipherMode mode, String domain, String what) {
        KeysetSource source = choice.kms() ? KeysetSource.kmsEncrypted(choice.kmsUri(), file) : KeysetSource.cleartextFile(file);
        try {
            return PiiCipher.forKeyset(source, mode, domain);
        } catch (PiiCryptoException e) {
            throw new InspectorException("Cannot load the " + what + " keyset " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InspectorException("Cannot load the " + what + " keyset " + file.getFileName() + " ("
                    + e.getClass().getSimpleName() + ").", e);
        }
    }

    private PiiCipher cipherFor(TableSpec table) {
        if (TableSpec.LOGINS.domain().equals(table.domain())) {
            return logins;
        }
        if (TableSpec.REJECTED.domain().equals(table.domain())) {
            return rejected;
        }
        return null;
    }

    @Override
    public boolean hasKey(TableSpec table, Column column) {
        return column.isPii() && cipherFor(table) != null;
    }

    @Override
    public String decrypt(TableSpec table, Column column, String ciphertext) {
        PiiCipher c = cipherFor(table);
        if (c == null || !column.isPii()) {
            throw new InspectorException("No key loaded for " + table.name() + "." + column.name() + ".");
        }
        return c.decrypt(column.piiField(), ciphertext);
    }
}
