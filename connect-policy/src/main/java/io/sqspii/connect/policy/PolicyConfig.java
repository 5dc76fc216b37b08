package io.sqspii.connect.policy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The connector policy, read from the worker's properties (every key starts with {@value #PREFIX}). Every
 * list defaults to empty, which allows nothing: a worker that names the extension without its policy
 * refuses every connector.
 */
final class PolicyConfig extends AbstractConfig {

    static final String PREFIX = "sqspii.policy.";

    static final String ALLOWED_CONNECTOR_CLASSES = PREFIX + "allowed.connector.classes";
    static final String ALLOWED_TRANSFORM_TYPES = PREFIX + "allowed.transform.types";
    static final String ALLOWED_PREDICATE_TYPES = PREFIX + "allowed.predicate.types";
    static final String SOURCE_CLASSES = PREFIX + "source.connector.classes";
    static final String SOURCE_TOPIC_KEY = PREFIX + "source.topic.key";
    static final String SOURCE_DEAD_LETTER_TOPIC_KEY = PREFIX + "source.dead.letter.topic.key";
    static final String PROTECTED_TOPICS_REGEX = PREFIX + "protected.topics.regex";
    static final String CATALOG_URL = PREFIX + "catalog.url";
    static final String CATALOG_USER = PREFIX + "catalog.user";
    static final String CATALOG_PASSWORD = PREFIX + "catalog.password";
    static final String DEAD_LETTER_HEADER = PREFIX + "source.dead.letter.header";
    static final String DEAD_LETTER_ENCRYPTED_FIELDS = PREFIX + "source.dead.letter.encrypted.fields";
    static final String ENCRYPTION_TRANSFORM_TYPES = PREFIX + "source.encryption.transform.types";
    static final String SOURCE_QUEUE_URL_KEY = PREFIX + "source.queue.url.key";
    static final String SOURCE_QUEUE_URL_BASE = PREFIX + "source.queue.url.base";
    static final String SOURCE_ENDPOINT_KEYS = PREFIX + "source.endpoint.keys";
    static final String SOURCE_ALLOWED_ENDPOINTS = PREFIX + "source.allowed.endpoints";
    static final String SOURCE_ALLOWED_ENDPOINT_HOSTS = PREFIX + "source.allowed.endpoint.hosts";
    static final String JDBC_SINK_CLASSES = PREFIX + "jdbc.sink.connector.classes";
    static final String JDBC_URL_KEY = PREFIX + "jdbc.url.key";
    static final String JDBC_ALLOWED_URLS = PREFIX + "jdbc.allowed.urls";
    static final String SECRET_PROVIDERS = PREFIX + "secret.providers";
    static final String SECRET_KEYS = PREFIX + "secret.keys";

    static final ConfigDef DEF = new ConfigDef()
            .define(
                    ALLOWED_CONNECTOR_CLASSES,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Connector classes (fully qualified) that may be created, updated or validated. Any other class, "
                            + "MirrorMaker's included, is refused with 403.")
            .define(
                    ALLOWED_TRANSFORM_TYPES,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Transformation classes (transforms.<alias>.type) a connector may use. Keeps out transforms that "
                            + "reroute records to other topics (RegexRouter) or rewrite fields before they are encrypted.")
            .define(
                    ALLOWED_PREDICATE_TYPES,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Predicate classes (predicates.<alias>.type) a connector may use.")
            .define(
                    SOURCE_CLASSES,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Which of the allowed connector classes are source connectors: their configs get the encryption "
                            + "check when they write a protected topic.")
            .define(
                    SOURCE_TOPIC_KEY,
                    Type.STRING,
                    "topic",
                    Importance.MEDIUM,
                    "The key of a source connector's config that names the topic of its valid records.")
            .define(
                    SOURCE_DEAD_LETTER_TOPIC_KEY,
                    Type.STRING,
                    "dlq.topic",
                    Importance.MEDIUM,
                    "The key of a source connector's config that names the topic of its dead letters.")
            .define(
                    PROTECTED_TOPICS_REGEX,
                    Type.STRING,
                    ".*",
                    new RegexValidator(),
                    Importance.HIGH,
                    "Topics (Java regex, whole name) that carry PII. A source connector writing one (or a topic given by a "
                            + "reference the worker's environment does not resolve, or none) must write a dataset of the PII "
                            + "catalog: its topic and dead-letter topic, from its queue, encrypting every PII field the catalog "
                            + "lists with the catalog's mode. The default protects every topic.")
            .define(
                    CATALOG_URL,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "JDBC URL (jdbc:postgresql://) of the database that holds the PII catalog (public.pii_datasets and "
                            + "public.pii_columns, written by dataset apply); read at every check, so a dataset applied while "
                            + "the worker runs is judged by its current definition. Empty: no source may write a protected topic.")
            .define(
                    CATALOG_USER,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "The login that reads the PII catalog (the pipeline's own login may: it holds no secrets).")
            .define(
                    CATALOG_PASSWORD,
                    Type.PASSWORD,
                    "",
                    Importance.HIGH,
                    "The password of " + "sqspii.policy.catalog.user" + "; give it by a config provider reference "
                            + "(${file:...}), which the worker resolves in its own properties.")
            .define(
                    DEAD_LETTER_HEADER,
                    Type.STRING,
                    "sqs.error.reason",
                    Importance.MEDIUM,
                    "The header that marks a source's dead-letter records (the source connector sets it, a producer "
                            + "cannot). An encryption transform may carry a predicate only of type HasHeaderKey on this header.")
            .define(
                    DEAD_LETTER_ENCRYPTED_FIELDS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Fields that the encryption transforms of a protected source must encrypt in every dead-letter "
                            + "record.")
            .define(
                    ENCRYPTION_TRANSFORM_TYPES,
                    Type.LIST,
                    "io.sqspii.pii.EncryptFields$Value",
                    Importance.MEDIUM,
                    "Transformation classes that count as encryption. They must lead the chain (no other transform "
                            + "may rename or drop a field before it is encrypted).")
            .define(
                    SOURCE_QUEUE_URL_KEY,
                    Type.STRING,
                    "sqs.queue.url",
                    Importance.HIGH,
                    "The key of a source connector's config that names the queue it reads.")
            .define(
                    SOURCE_QUEUE_URL_BASE,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "The deployment's queue URLs without the queue name: a source writing a dataset's topic must read "
                            + "<base>/<the dataset's queue in the catalog>, compared after ${env:NAME} references are resolved "
                            + "from the worker's environment. A REST user cannot point a source, encryption in place, at a "
                            + "look-alike queue of their own and read back ciphertexts of values they chose (an encryption "
                            + "oracle), nor feed one dataset's queue into another's topic.")
            .define(
                    SOURCE_ENDPOINT_KEYS,
                    Type.LIST,
                    "sqs.endpoint.override",
                    Importance.HIGH,
                    "Other keys of a source connector's config that say where it reads from (and the queue key of a source "
                            + "that writes no protected topic). Each one that is set must hold a value of "
                            + "sqspii.policy.source.allowed.endpoints or name a host of "
                            + "sqspii.policy.source.allowed.endpoint.hosts.")
            .define(
                    SOURCE_ALLOWED_ENDPOINTS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Values a source's endpoint keys may hold, compared exactly after ${env:NAME} references in either are "
                            + "resolved from the worker's environment (so ${env:SQS_ENDPOINT} here and in the source compare "
                            + "equal).")
            .define(
                    SOURCE_ALLOWED_ENDPOINT_HOSTS,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Hosts a source's endpoint keys and queue key may name with any port and path, compared with the host of the value "
                            + "parsed as a URL (user info is no host). For a one-machine harness whose queue and fault proxies "
                            + "listen on loopback ports chosen at run time; leave empty in a deployment.")
            .define(
                    JDBC_SINK_CLASSES,
                    Type.LIST,
                    "io.debezium.connector.jdbc.JdbcSinkConnector",
                    Importance.HIGH,
                    "Which of the allowed connector classes are JDBC sinks: their database URL must be one of "
                            + JDBC_ALLOWED_URLS + ".")
            .define(
                    JDBC_URL_KEY,
                    Type.STRING,
                    "connection.url",
                    Importance.MEDIUM,
                    "The key of a JDBC sink's config that holds its database URL.")
            .define(
                    JDBC_ALLOWED_URLS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Database URLs a JDBC sink may write to, compared exactly with the sink's URL after ${env:NAME} "
                            + "references in either are resolved from the worker's environment (so ${env:JDBC_URL} here and in "
                            + "the sink compare equal). A URL holding a comma (a multi-host URL) cannot be listed.")
            .define(
                    SECRET_PROVIDERS,
                    Type.LIST,
                    "file",
                    Importance.HIGH,
                    "Config providers that hold secrets: a ${<provider>:...} reference to one may only be the whole "
                            + "value of a key in " + SECRET_KEYS + ", so no other key (echoed by validation, "
                            + "written to a topic or table) can carry a secret out.")
            .define(
                    SECRET_KEYS,
                    Type.LIST,
                    "connection.password",
                    Importance.HIGH,
                    "Connector config keys that may reference a secret provider.");

    PolicyConfig(Map<?, ?> workerProperties) {
        super(DEF, workerProperties, false);
    }

    List<String> list(String key) {
        return getList(key);
    }

    Pattern protectedTopics() {
        return Pattern.compile(getString(PROTECTED_TOPICS_REGEX));
    }

    private static final class RegexValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Pattern.compile((String) value);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(name + " is not a valid Java regular expression");
            }
        }
    }
}
