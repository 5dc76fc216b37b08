package io.sqspii.pii;

import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Configuration shared by {@link EncryptFields} and {@link DecryptFields}. */
final class PiiTransformConfig {
    static final String FIELDS = "fields";
    static final String MODE = "mode";
    static final String KEYSET_FILE = "keyset.file";
    static final String KEYSET_KMS_URI = "keyset.kms.uri";
    static final String KEYSET_KMS_ENDPOINT = "keyset.kms.endpoint";
    static final String KEYSET_ALLOW_CLEARTEXT = "keyset.allow.cleartext";
    static final String ASSOCIATED_DATA = "associated.data";
    static final String ASSOCIATED_DATA_MODE = "associated.data.mode";
    static final String CANONICALIZE_PREFIX = "canonicalize.";
    static final String ON_UNSUPPORTED_TYPE = "on.unsupported.type";
    static final String OVERSIZE_DEAD_LETTER_TOPIC = "oversize.dead.letter.topic";
    // not under canonicalize.: there every key names a field path, and a path may well be email.local.case
    static final String EMAIL_LOCAL_CASE = "email.local.case";
    static final String PHONE_DEFAULT_REGION = "phone.default.region";

    static final String VERSION = loadVersion();

    enum OnUnsupported {
        FAIL,
        TOSTRING
    }

    static ConfigDef configDef(boolean encrypt) {
        ConfigDef def = new ConfigDef()
                .define(
                        FIELDS,
                        ConfigDef.Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new NonEmptyFieldList(),
                        ConfigDef.Importance.HIGH,
                        "Fields to " + (encrypt ? "encrypt" : "decrypt") + ", comma-separated. A dot-separated path "
                                + "(a.b.c) reaches into nested structs/maps; [] after a name reaches every element of "
                                + "that array (items[].holder_name, tags[]). Fields missing from a record are left alone.")
                .define(
                        MODE,
                        ConfigDef.Type.STRING,
                        "deterministic",
                        new OneOf(
                                encrypt
                                        ? List.of("deterministic", "randomized", "hmac")
                                        : List.of("deterministic", "randomized")),
                        ConfigDef.Importance.HIGH,
                        encrypt
                                ? "deterministic: AES256_SIV deterministic AEAD, equal value in the same field gives equal "
                                        + "ciphertext (SQL equality, GROUP BY). randomized: AES256_GCM AEAD, a fresh nonce per "
                                        + "value (free text). hmac: HMAC-SHA256 PRF token, irreversible but joinable. The keyset "
                                        + "must hold keys of the matching type."
                                : "The mode the fields were encrypted with: deterministic or randomized (hmac tokens "
                                        + "cannot be decrypted).")
                .define(
                        KEYSET_FILE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new NonBlank(),
                        ConfigDef.Importance.HIGH,
                        "Path of the Tink JSON keyset on the worker. Without " + KEYSET_KMS_URI + " the file is a "
                                + "clear-text keyset, refused unless " + KEYSET_ALLOW_CLEARTEXT
                                + "=true (development and "
                                + "tests only; a WARN is logged). With it, the file is a keyset encrypted by that KMS key "
                                + "(production).")
                .define(
                        KEYSET_KMS_URI,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.HIGH,
                        "AWS KMS key that encrypts the keyset file, as aws-kms://arn:aws:kms:<region>:<account>:key/<id>. "
                                + "The worker's default AWS credential chain must allow kms:Decrypt on it. The keyset must "
                                + "be wrapped for the purpose of the mode (KMS encryption context purpose=pii-<mode>, as "
                                + "pii-keys writes it); a keyset of another purpose is refused.")
                .define(
                        KEYSET_KMS_ENDPOINT,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.LOW,
                        "Optional KMS endpoint URL (e.g. a VPC endpoint) instead of the region's default.")
                // text, not BOOLEAN: Kafka's boolean parsing quotes a wrong value in its error (it may be a resolved
                // secret)
                .define(
                        KEYSET_ALLOW_CLEARTEXT,
                        ConfigDef.Type.STRING,
                        "false",
                        new OneOf(List.of("true", "false")),
                        ConfigDef.Importance.HIGH,
                        "true to accept a clear-text keyset file (no " + KEYSET_KMS_URI + "): development and tests "
                                + "only. By default a clear-text keyset is refused, so a production config cannot fall "
                                + "back to one by leaving out the KMS key.")
                .define(
                        ASSOCIATED_DATA,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "Domain of the ciphertexts, usually the table name (the dataset's key domain). With "
                                + ASSOCIATED_DATA_MODE
                                + "=prefix the associated data of a field is <this>.<field path> "
                                + "(just the field path when empty), so a ciphertext does not decrypt in another column "
                                + "and equal values in two columns do not correlate. Must be the same when decrypting.")
                .define(
                        ASSOCIATED_DATA_MODE,
                        ConfigDef.Type.STRING,
                        "prefix",
                        new OneOf(List.of("prefix", "constant")),
                        ConfigDef.Importance.LOW,
                        "prefix: associated data = <" + ASSOCIATED_DATA + ">.<field path>. constant: the value of "
                                + ASSOCIATED_DATA + " is used as is for every field (ciphertexts then correlate across "
                                + "fields).")
                .define(
                        ON_UNSUPPORTED_TYPE,
                        ConfigDef.Type.STRING,
                        "fail",
                        new OneOf(List.of("fail", "tostring")),
                        ConfigDef.Importance.MEDIUM,
                        "A listed field that is not a string: fail fails the record (the message names the field and "
                                + "its type, never the value); tostring " + (encrypt ? "encrypts" : "decrypts")
                                + " numbers and booleans as their text. Structs, maps, arrays and bytes always fail.");
        if (encrypt) {
            def.define(
                            OVERSIZE_DEAD_LETTER_TOPIC,
                            ConfigDef.Type.STRING,
                            "",
                            new OptionalTopic(),
                            ConfigDef.Importance.MEDIUM,
                            "Where a record goes whose value outgrows its bound: a field whose canonical form is larger (UTF-8 "
                                    + "bytes) than the value as sent, or longer than its schema parameter maxLength. Such a "
                                    + "record becomes a dead-letter record of the SQS source connector's form (value "
                                    + "Struct{message_id, error, body} with the record value as JSON in body, headers "
                                    + "sqs.error.reason=field_too_large and sqs.error.message, naming the field, never the "
                                    + "value) on this topic; a later transform selected by the sqs.error.reason header must "
                                    + "encrypt its body. Empty: such a record fails (the task stops under "
                                    + "errors.tolerance=none).")
                    .define(
                            EMAIL_LOCAL_CASE,
                            ConfigDef.Type.STRING,
                            "lower",
                            new OneOf(List.of("lower", "preserve")),
                            ConfigDef.Importance.LOW,
                            "Canonical form email: lower lower-cases the local part (before the last @) too, so "
                                    + "Ann@x.org and ann@x.org are one value; preserve keeps its case (the domain is "
                                    + "always lower-cased).")
                    .define(
                            PHONE_DEFAULT_REGION,
                            ConfigDef.Type.STRING,
                            "",
                            new PhoneRegion(),
                            ConfigDef.Importance.LOW,
                            "Canonical form phone: the ISO 3166 region (e.g. CH, DE, US) of numbers written "
                                    + "without +country code. Empty (default): only numbers with + are brought to "
                                    + "E.164; others are encrypted as given (trimmed).");
        }
        return def;
    }

    /** Documentation of the per-field canonicalization keys, which ConfigDef cannot declare (dynamic names). */
    static final String CANONICALIZE_DOC = "canonicalize.<field path> = none|trim|lowercase|identifier|ip|email|phone "
            + "(encrypt only, default none; the path exactly as in fields, e.g. canonicalize.items[].holder_name): "
            + "normalise the value before encrypting so two spellings of one value give one "
            + "ciphertext. trim strips white space incl. Unicode spaces (NBSP) and zero-width characters; lowercase "
            + "also lower-cases; identifier applies NFKC, case folding and trim (device ids); ip prints IPv4 in strict "
            + "decimal and IPv6 in RFC 5952 form; email lower-cases the domain (one IDNA spelling) and, "
            + "unless email.local.case=preserve, the local part; phone prints E.164 (libphonenumber, region from "
            + "phone.default.region). A value without a canonical form (e.g. an IPv4 part with a leading "
            + "zero, which is ambiguous, or a text that is no phone number) is encrypted as given, only trimmed.";

    final List<String> fields;
    final CipherMode mode;
    final OnUnsupported onUnsupported;
    final Map<String, Canonicalizer> canonicalizers;
    final Canonicalizer.Options canonicalOptions;
    final PiiCipher cipher;
    final String description;
    /** Empty: a value past its bound fails the record. */
    final String oversizeDeadLetterTopic;

    PiiTransformConfig(ConfigDef def, Map<String, ?> props, boolean encrypt) {
        // the single-key checks first, so that Kafka's own (type parsing) fail without quoting the value
        for (org.apache.kafka.common.config.ConfigValue v : def.validate(stringValues(props))) {
            if (!v.errorMessages().isEmpty()) {
                throw invalid(v.name(), withoutValue(v.name(), v.errorMessages().get(0)));
            }
        }
        AbstractConfig cfg = new AbstractConfig(def, props);
        fields = cfg.getList(FIELDS).stream().map(String::trim).toList();
        mode = CipherMode.parse(cfg.getString(MODE));
        onUnsupported =
                OnUnsupported.valueOf(cfg.getString(ON_UNSUPPORTED_TYPE).trim().toUpperCase(Locale.ROOT));
        oversizeDeadLetterTopic =
                encrypt ? cfg.getString(OVERSIZE_DEAD_LETTER_TOPIC).trim() : "";
        canonicalOptions = encrypt
                ? new Canonicalizer.Options(
                        Canonicalizer.LocalCase.valueOf(
                                cfg.getString(EMAIL_LOCAL_CASE).trim().toUpperCase(Locale.ROOT)),
                        cfg.getString(PHONE_DEFAULT_REGION).trim().toUpperCase(Locale.ROOT))
                : Canonicalizer.Options.DEFAULT;
        canonicalizers = new HashMap<>();
        for (Map.Entry<String, Object> e :
                cfg.originalsWithPrefix(CANONICALIZE_PREFIX).entrySet()) {
            String field = e.getKey();
            if (!fields.contains(field)) {
                throw invalid(CANONICALIZE_PREFIX + field, "names no field of " + FIELDS);
            }
            if (!encrypt) {
                throw invalid(CANONICALIZE_PREFIX + field, "canonicalization applies only when encrypting");
            }
            try {
                canonicalizers.put(field, Canonicalizer.parse(String.valueOf(e.getValue())));
            } catch (PiiCryptoException ex) {
                throw invalid(CANONICALIZE_PREFIX + field, ex.getMessage());
            }
        }
        Path file = Path.of(cfg.getString(KEYSET_FILE));
        String kmsUri = cfg.getString(KEYSET_KMS_URI);
        String endpoint = cfg.getString(KEYSET_KMS_ENDPOINT);
        boolean cleartext = kmsUri == null || kmsUri.isBlank();
        if (cleartext
                && !Boolean.parseBoolean(cfg.getString(KEYSET_ALLOW_CLEARTEXT).trim())) {
            throw invalid(
                    KEYSET_FILE,
                    "a clear-text keyset (no " + KEYSET_KMS_URI
                            + ") is refused unless " + KEYSET_ALLOW_CLEARTEXT + "=true (development and tests only); "
                            + "production keysets are encrypted with a KMS key");
        }
        KeysetSource source;
        try {
            source = cleartext
                    ? KeysetSource.cleartextFile(file)
                    : KeysetSource.kmsEncrypted(
                            kmsUri.trim(),
                            file,
                            endpoint == null || endpoint.isBlank() ? null : new URI(endpoint.trim()),
                            Keysets.purposeOf(mode)); // KMS unwraps it only for this mode
        } catch (PiiCryptoException e) {
            throw invalid(
                    KEYSET_KMS_URI,
                    without(without(e.getMessage(), kmsUri, KEYSET_KMS_URI), file.toString(), KEYSET_FILE));
        } catch (URISyntaxException e) {
            throw invalid(KEYSET_KMS_ENDPOINT, "not a URL");
        }
        String ad = cfg.getString(ASSOCIATED_DATA);
        boolean constant = "constant".equalsIgnoreCase(cfg.getString(ASSOCIATED_DATA_MODE));
        try {
            cipher = constant
                    ? PiiCipher.withConstantAssociatedData(source, mode, ad)
                    : PiiCipher.forKeyset(source, mode, ad);
        } catch (PiiCryptoException e) {
            throw invalid(KEYSET_FILE, without(e.getMessage(), file.toString(), KEYSET_FILE));
        }
        description = "fields=" + fields + ", mode=" + mode.configName() + ", associated.data="
                + (constant ? "'" + ad + "' (constant)" : "'" + ad + "' + field") + ", " + source;
    }

    /** An error that names the key and what is wrong, never the value: it may be a resolved secret. */
    static ConfigException invalid(String key, String what) {
        return new ConfigException("Invalid value for configuration " + key + ": " + what);
    }

    /** Kafka's wording "Invalid value <value> for configuration <key>: <what>" reduced to the what. */
    static String withoutValue(String key, String message) {
        String marker = " for configuration " + key + ": ";
        int at = message.lastIndexOf(marker);
        return at >= 0
                ? message.substring(at + marker.length())
                : message.startsWith("Invalid value ") ? "invalid value" : message;
    }

    /** {@code message} with {@code value} (a path or URI quoted by the crypto layer) replaced by its key's name. */
    private static String without(String message, String value, String key) {
        return value == null || value.isEmpty() ? message : message.replace(value, "(" + key + ")");
    }

    private static Map<String, String> stringValues(Map<String, ?> props) {
        Map<String, String> out = new HashMap<>();
        props.forEach((k, v) -> out.put(
                k,
                v == null
                        ? null
                        : v instanceof List<?> l
                                ? String.join(
                                        ",", l.stream().map(String::valueOf).toList())
                                : String.valueOf(v)));
        return out;
    }

    private static String loadVersion() {
        try (InputStream in = PiiTransformConfig.class.getResourceAsStream("pii-smt-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Field names (anything but '.', '[' and ']') joined by '.', each optionally followed by "[]" once per
     * array level (every element).
     */
    private static final java.util.regex.Pattern PATH =
            java.util.regex.Pattern.compile("[^.\\[\\]]+(\\[\\])*(\\.[^.\\[\\]]+(\\[\\])*)*");

    /** Rejects an empty list, malformed paths and a path that is also the parent of another. */
    static final class NonEmptyFieldList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) value;
            if (list == null || list.isEmpty()) {
                throw invalid(name, "at least one field is required");
            }
            // entries are named by position, not quoted (the value may be a resolved secret)
            for (int i = 0; i < list.size(); i++) {
                String t = list.get(i).trim();
                if (!PATH.matcher(t).matches()) {
                    throw invalid(name, "entry " + (i + 1) + " is not a field path");
                }
                for (int j = 0; j < list.size(); j++) {
                    String other = list.get(j).trim();
                    if (other.startsWith(t + ".") || other.startsWith(t + "[")) {
                        throw invalid(name, "entry " + (i + 1) + " is both a field and the parent of entry " + (j + 1));
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of field paths (a, a.b.c, a[].b, a[])";
        }
    }

    /** One of a few words, any case; the error lists the words, never the value given. */
    static final class OneOf implements ConfigDef.Validator {
        private final List<String> words;

        OneOf(List<String> words) {
            this.words = words;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !words.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw invalid(name, "must be one of " + String.join(", ", words));
            }
        }

        @Override
        public String toString() {
            return "one of " + String.join(", ", words) + " (any case)";
        }
    }

    /** Empty or a Kafka topic name; the error never quotes the value. */
    static final class OptionalTopic implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            if (!s.isEmpty() && (!s.matches("[a-zA-Z0-9._-]{1,249}") || s.equals(".") || s.equals(".."))) {
                throw invalid(name, "not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
            }
        }

        @Override
        public String toString() {
            return "empty or a Kafka topic name";
        }
    }

    /** Empty or a region libphonenumber knows; the error never quotes the value. */
    static final class PhoneRegion implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
            if (!s.isEmpty()
                    && !com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance()
                            .getSupportedRegions()
                            .contains(s)) {
                throw invalid(name, "not a region code of libphonenumber (ISO 3166 alpha-2, e.g. CH, DE, US)");
            }
        }

        @Override
        public String toString() {
            return "empty or an ISO 3166 alpha-2 region code";
        }
    }

    /** A required, non-blank text; the error never quotes it. */
    static final class NonBlank implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                throw invalid(name, "must not be empty");
            }
        }

        @Override
        public String toString() {
            return "non-empty string";
        }
    }
}
