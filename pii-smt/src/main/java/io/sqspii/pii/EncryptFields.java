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

    /**
     * Schema parameter of a string field that bounds its length in code points (the SQS source connector sets it
     * from the JSON schema's {@code maxLength}).
     */
    static final String MAX_LENGTH = "maxLength";

    EncryptFields() {
        super(true);
    }

    @Override
    protected String convertOne(String path, String text, Schema schema) {
        Canonicalizer c = config.canonicalizers.get(path);
        String plain = c == null ? text : c.apply(text, config.canonicalOptions);
        checkBound(path, c, text, plain, schema);
        try {
            return config.cipher.encrypt(path, plain);
        } catch (PiiCryptoException e) {
            throw new DataException(e.getMessage());
        }
    }

    /**
     * The size of a record is made here (canonical form, then ciphertext, a fixed expansion of it): the canonical
     * form may never be larger, in UTF-8 bytes, than the value as it came, nor past the field's declared
     * {@code maxLength} (code points), so a record's size stays bounded by its raw size (connect-config/README.md,
     * "Record size limits"). The error names the field and the sizes, never the value.
     */
    private static void checkBound(String path, Canonicalizer c, String raw, String plain, Schema schema) {
        if (plain != raw) { // the same object: the canonical form changed nothing
            long rawBytes = Canonicalizer.utf8Length(raw);
            long plainBytes = Canonicalizer.utf8Length(plain);
            if (plainBytes > rawBytes) {
                throw new OversizeValueException("field '" + path + "': its canonical form (canonicalize."
                        + path + "=" + c.name().toLowerCase(java.util.Locale.ROOT) + ") is " + plainBytes
                        + " UTF-8 bytes, more than the " + rawBytes + " of the value as sent");
            }
        }
        String max = schema == null || schema.parameters() == null
                ? null
                : schema.parameters().get(MAX_LENGTH);
        if (max != null) {
            long length = plain.codePointCount(0, plain.length());
            long bound;
            try {
                bound = Long.parseLong(max.trim());
            } catch (NumberFormatException e) {
                throw new DataException("field '" + path + "': schema parameter " + MAX_LENGTH + " is not a number");
            }
            if (length > bound) {
                throw new OversizeValueException(
                        "field '" + path + "': " + (plain != raw ? "its canonical form is " : "it is ") + length
                                + " characters, more than its schema's maxLength " + bound);
            }
        }
    }

    /** Encrypts fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends EncryptFields<R> {
        @Override
        protected boolean isKey() {
            return true;
        }
    }

    /** Encrypts fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends EncryptFields<R> {
        @Override
        protected boolean isKey() {
            return false;
        }
    }
}
