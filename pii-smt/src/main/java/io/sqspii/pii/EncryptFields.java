package io.sqspii.pii;

import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.PiiCryptoException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Encrypts the listed fields of the record key ({@link Key}) or value ({@link Value}) with Tink, replacing each
 * with its ciphertext as text (base64url). With a schema, those fields become optional strings.
 * See pii-smt/README.md for every option.
 */
public abstract class EncryptFields<R extends ConnectRecord<R>> extends FieldCryptoTransform<R> {
    public static final String OVERVIEW_DOC = "Encrypt the listed fields (Tink: deterministic AES-SIV, randomized "
            + "AES-GCM or an HMAC token) and store the ciphertext as text. " + PiiTransformConfig.CANONICALIZE_DOC;

    EncryptFields() {
        super(true);
    }

    @Override
    String encryptOne(String path, String text) {
        Canonicalizer c = config.canonicalizers.get(path);
        try {
            return config.cipher.encrypt(path, c == null ? text : c.apply(text));
        } catch (PiiCryptoException e) {
            throw new DataException(e.getMessage());
        }
    }

    @Override
    String decryptOne(String path, String text) {
        throw new IllegalStateException("EncryptFields does not decrypt");
    }

    /** Encrypts fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends EncryptFields<R> {
        @Override
        boolean isKey() {
            return true;
        }

        @Override
        Schema operatingSchema(R record) {
            return record.keySchema();
        }

        @Override
        Object operatingValue(R record) {
            return record.key();
        }

        @Override
        R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), updatedSchema, updatedValue,
                    record.valueSchema(), record.value(), record.timestamp(), record.headers());
        }
    }

    /** Encrypts fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends EncryptFields<R> {
        @Override
        boolean isKey() {
            return false;
        }

        @Override
        Schema operatingSchema(R record) {
            return record.valueSchema();
        }

        @Override
        Object operatingValue(R record) {
            return record.value();
        }

        @Override
        R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    updatedSchema, updatedValue, record.timestamp(), record.headers());
        }
    }
}
