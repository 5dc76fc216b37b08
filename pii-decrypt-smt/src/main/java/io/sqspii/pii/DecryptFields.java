package io.sqspii.pii;

import io.sqspii.pii.crypto.PiiCryptoException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Decrypts fields written by {@link EncryptFields} (same keyset, mode and associated data) in the record key
 * ({@link Key}) or value ({@link Value}). With a schema, those fields become optional strings. Meant for
 * authorised consumers (e.g. a sink into a restricted store), never for the source pipeline.
 * See pii-decrypt-smt/README.md; the options are EncryptFields' (pii-smt/README.md).
 */
public abstract class DecryptFields<R extends ConnectRecord<R>> extends FieldCryptoTransform<R> {
    public static final String OVERVIEW_DOC =
            "Decrypt fields written by EncryptFields (same keyset, mode and " + "associated data).";

    DecryptFields() {
        super(false);
    }

    @Override
    protected String convertOne(String path, String text, Schema schema) {
        try {
            return cipher().decrypt(path, text);
        } catch (PiiCryptoException e) {
            throw new DataException(e.getMessage());
        }
    }

    /** Decrypts fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends DecryptFields<R> {
        @Override
        protected boolean isKey() {
            return true;
        }
    }

    /** Decrypts fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends DecryptFields<R> {
        @Override
        protected boolean isKey() {
            return false;
        }
    }
}
