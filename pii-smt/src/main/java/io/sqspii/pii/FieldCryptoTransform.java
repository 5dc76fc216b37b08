package io.sqspii.pii;

import io.sqspii.pii.crypto.PiiCipher;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common machinery of EncryptFields and DecryptFields: record key or value, Struct or Map. Public, with protected
 * hooks, only because DecryptFields lives in its own module (pii-decrypt-smt) so that the worker's plugin holds no
 * decryption; it is not an extension point for anything else.
 */
public abstract class FieldCryptoTransform<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    private static final Logger log = LoggerFactory.getLogger(FieldCryptoTransform.class);

    private final boolean encrypt;
    PiiTransformConfig config;
    private FieldRewriter rewriter;
    private DeadLetters deadLetters; // null: a value past its bound fails the record

    protected FieldCryptoTransform(boolean encrypt) {
        this.encrypt = encrypt;
    }

    @Override
    public String version() {
        return PiiTransformConfig.VERSION;
    }

    @Override
    public ConfigDef config() {
        return PiiTransformConfig.configDef(encrypt);
    }

    @Override
    public void configure(Map<String, ?> props) {
        config = new PiiTransformConfig(config(), props, encrypt);
        rewriter = new FieldRewriter(config.fields, this::convert);
        deadLetters = config.oversizeDeadLetterTopic.isEmpty() ? null : new DeadLetters(config.oversizeDeadLetterTopic);
        log.info(
                "{} configured on the record {}: {}",
                getClass().getEnclosingClass().getSimpleName(),
                isKey() ? "key" : "value",
                config.description);
    }

    /** The text to store for one field value; never puts the value in a message. */
    private String convert(String path, String type, Schema schema, Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (config.onUnsupported == PiiTransformConfig.OnUnsupported.TOSTRING
                && (value instanceof Number || value instanceof Boolean)) {
            text = value.toString();
        } else {
            throw new DataException("field '" + path + "' has type " + type + ", which "
                    + getClass().getEnclosingClass().getSimpleName() + " cannot " + (encrypt ? "encrypt" : "decrypt")
                    + " (strings only; on.unsupported.type=tostring also accepts numbers and booleans)");
        }
        return convertOne(path, text, schema);
    }

    /** The stored text for one field's text; {@code schema} is the field's (null when schemaless). */
    protected abstract String convertOne(String path, String text, Schema schema);

    /** The configured cipher (keyset, mode, associated data). */
    protected final PiiCipher cipher() {
        return config.cipher;
    }

    @Override
    public R apply(R record) {
        try {
            return rewrite(record);
        } catch (OversizeValueException e) {
            if (deadLetters == null) {
                throw e;
            }
            return deadLetters.deadLetter(record, e.getMessage());
        }
    }

    private R rewrite(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record; // tombstones and null keys pass through
        }
        Schema schema = operatingSchema(record);
        if (schema == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException(getClass().getEnclosingClass().getSimpleName()
                        + " needs a Struct or a Map as record " + (isKey() ? "key" : "value") + ", found "
                        + value.getClass().getSimpleName());
            }
            return newRecord(record, null, rewriter.rewrite(map));
        }
        if (schema.type() != Schema.Type.STRUCT || !(value instanceof Struct struct)) {
            throw new DataException(
                    getClass().getEnclosingClass().getSimpleName() + " needs a Struct or a Map as record "
                            + (isKey() ? "key" : "value") + ", found schema type " + schema.type());
        }
        Schema updated = rewriter.updatedSchema(struct.schema());
        return newRecord(record, updated, rewriter.rewrite(struct, updated));
    }

    @Override
    public void close() {
        if (deadLetters != null) {
            deadLetters.close(); // the cipher holds no resources
        }
    }

    /** Which side of the record the $Key / $Value variant transforms; the accessors below follow from it. */
    protected abstract boolean isKey();

    private Schema operatingSchema(R record) {
        return isKey() ? record.keySchema() : record.valueSchema();
    }

    private Object operatingValue(R record) {
        return isKey() ? record.key() : record.value();
    }

    private R newRecord(R record, Schema updatedSchema, Object updatedValue) {
        return isKey()
                ? record.newRecord(
                        record.topic(),
                        record.kafkaPartition(),
                        updatedSchema,
                        updatedValue,
                        record.valueSchema(),
                        record.value(),
                        record.timestamp(),
                        record.headers())
                : record.newRecord(
                        record.topic(),
                        record.kafkaPartition(),
                        record.keySchema(),
                        record.key(),
                        updatedSchema,
                        updatedValue,
                        record.timestamp(),
                        record.headers());
    }
}
