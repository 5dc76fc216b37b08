package io.sqspii.sqs;

import static io.sqspii.sqs.ConfigField.REQUIRED;
import static io.sqspii.sqs.ConfigField.group;
import static io.sqspii.sqs.ConfigField.key;
import static io.sqspii.sqs.Validators.awsRegion;
import static io.sqspii.sqs.Validators.fieldName;
import static io.sqspii.sqs.Validators.filePath;
import static io.sqspii.sqs.Validators.httpUrl;
import static io.sqspii.sqs.Validators.iamRoleArn;
import static io.sqspii.sqs.Validators.jsonObject;
import static io.sqspii.sqs.Validators.nonEmpty;
import static io.sqspii.sqs.Validators.oneOf;
import static io.sqspii.sqs.Validators.oneOfIgnoringCase;
import static io.sqspii.sqs.Validators.optional;
import static io.sqspii.sqs.Validators.range;
import static io.sqspii.sqs.Validators.secret;
import static io.sqspii.sqs.Validators.sqsAttributeNames;
import static io.sqspii.sqs.Validators.sqsQueueUrl;
import static io.sqspii.sqs.Validators.topic;
import static io.sqspii.sqs.Validators.word;
import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.sqspii.dataset.EventSchema;
import io.sqspii.sqs.SqsSourceSettings.Format;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Every key of the SQS source connector, each declared once in {@link #FIELDS}; Connect's {@link ConfigDef} and
 * the README's table derive from it. {@link #parse} turns a config into {@link SqsSourceSettings} once;
 * {@link #check} puts each problem on the key to fix. No error quotes a value.
 */
final class SqsSourceConfig {

    static final String QUEUE_URL = "sqs.queue.url";
    static final String REGION = "sqs.region";
    static final String ENDPOINT_OVERRIDE = "sqs.endpoint.override";
    static final String ACCESS_KEY_ID = "sqs.access.key.id";
    static final String SECRET_ACCESS_KEY = "sqs.secret.access.key";
    static final String ASSUME_ROLE_ARN = "sqs.assume.role.arn";
    static final String ASSUME_ROLE_SESSION_NAME = "sqs.assume.role.session.name";
    static final String ASSUME_ROLE_EXTERNAL_ID = "sqs.assume.role.external.id";
    static final String MAX_MESSAGES = "sqs.max.messages";
    static final String WAIT_TIME_SECONDS = "sqs.wait.time.seconds";
    static final String VISIBILITY_TIMEOUT_SECONDS = "sqs.visibility.timeout.seconds";
    static final String RECEIVE_CONCURRENCY = "sqs.receive.concurrency";
    static final String RECEIVE_CONCURRENCY_IDLE = "sqs.receive.concurrency.idle";
    static final String MAX_IN_FLIGHT = "sqs.max.inflight.messages";
    static final String MAX_IN_FLIGHT_BYTES = "sqs.max.inflight.bytes";
    static final String RETRY_BACKOFF_MS = "sqs.retry.backoff.ms";
    static final String RETRY_BACKOFF_MAX_MS = "sqs.retry.backoff.max.ms";
    static final String SHUTDOWN_GRACE_MS = "sqs.shutdown.grace.ms";
    static final String QUEUE_DEPTH_INTERVAL_MS = "sqs.queue.depth.interval.ms";
    static final String TOPIC = "topic";
    static final String MESSAGE_FORMAT = "message.format";
    static final String VALUE_SCHEMA_FILE = "value.schema.file";
    static final String VALUE_SCHEMA = "value.schema";
    static final String DLQ_TOPIC = "dlq.topic";
    static final String VALUE_MESSAGE_ID_FIELD = "value.message.id.field";
    static final String MAX_BODY_BYTES = "max.body.bytes";
    static final String DLQ_MAX_BODY_BYTES = "dlq.max.body.bytes";
    static final String JSON_MAX_NESTING_DEPTH = "json.max.nesting.depth";
    static final String ATTRIBUTES_INCLUDE = "sqs.attributes.include";
    static final String FIFO_IDS = "sqs.fifo.ids";
    static final String FIFO_IDS_HASH_KEY = "sqs.fifo.ids.hash.key";

    /** Set by the connector on each task's copy of the config; not user-facing. */
    static final String TASK_INDEX = "sqs.task.index";

    /** SQS's own body limit since 2025-08: 1 MiB. */
    static final int SQS_MAX_BODY_BYTES = 1024 * 1024;

    static final List<ConfigField> FIELDS = ConfigField.all(
            group(
                    "SQS queue",
                    key(
                            QUEUE_URL,
                            "Queue URL",
                            STRING,
                            REQUIRED,
                            HIGH,
                            Width.LONG,
                            sqsQueueUrl(),
                            "URL of the SQS queue to read, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue. "
                                    + "Names ending in .fifo are FIFO queues."),
                    key(
                            REGION,
                            "Region",
                            STRING,
                            "",
                            MEDIUM,
                            Width.SHORT,
                            optional(awsRegion()),
                            "AWS region of the queue, e.g. eu-west-1. Empty: taken from an amazonaws.com queue URL, else from the "
                                    + "AWS default region chain (AWS_REGION, profile), else us-east-1 when an endpoint override is set."),
                    key(
                            ENDPOINT_OVERRIDE,
                            "Endpoint override",
                            STRING,
                            "",
                            LOW,
                            Width.LONG,
                            optional(httpUrl("an http(s) URL", "http://localhost:9324")),
                            "SQS endpoint to call instead of AWS, e.g. http://localhost:9324 for ElasticMQ or LocalStack. Empty: "
                                    + "the AWS endpoint of the region, or, when the queue URL is not an amazonaws.com URL, the queue "
                                    + "URL's scheme, host and port.")),
            group(
                    "AWS credentials",
                    key(
                            ACCESS_KEY_ID,
                            "Access key id",
                            PASSWORD,
                            null,
                            MEDIUM,
                            Width.MEDIUM,
                            secret(),
                            "Static AWS access key id. Empty (the default): the AWS default credentials provider chain "
                                    + "(environment, system properties, web identity / IRSA, profile, ECS task role, EC2 instance "
                                    + "role). Set together with " + SECRET_ACCESS_KEY + ". Never logged."),
                    key(
                            SECRET_ACCESS_KEY,
                            "Secret access key",
                            PASSWORD,
                            null,
                            MEDIUM,
                            Width.MEDIUM,
                            secret(),
                            "Static AWS secret access key, set together with " + ACCESS_KEY_ID + ". Never logged."),
                    key(
                            ASSUME_ROLE_ARN,
                            "Assume role ARN",
                            STRING,
                            "",
                            MEDIUM,
                            Width.LONG,
                            optional(iamRoleArn()),
                            "IAM role to assume through STS before calling SQS, e.g. arn:aws:iam::123456789012:role/sqs-reader; "
                                    + "the base credentials come from the static key pair or the default chain. Empty: no role."),
                    key(
                            ASSUME_ROLE_SESSION_NAME,
                            "Assume role session name",
                            STRING,
                            "sqs-pii-connect",
                            LOW,
                            Width.MEDIUM,
                            nonEmpty(),
                            "Role session name used with " + ASSUME_ROLE_ARN + "."),
                    key(
                            ASSUME_ROLE_EXTERNAL_ID,
                            "Assume role external id",
                            PASSWORD,
                            null,
                            LOW,
                            Width.MEDIUM,
                            secret(),
                            "External id passed to STS with " + ASSUME_ROLE_ARN
                                    + ", when the role's trust policy requires one.")),
            group(
                    "Receive",
                    key(
                            MAX_MESSAGES,
                            "Max messages per receive",
                            INT,
                            10,
                            MEDIUM,
                            Width.SHORT,
                            range(1, 10),
                            "Messages asked for per ReceiveMessage call (SQS allows 1 to 10)."),
                    key(
                            WAIT_TIME_SECONDS,
                            "Wait time (s)",
                            INT,
                            20,
                            MEDIUM,
                            Width.SHORT,
                            range(0, 20),
                            "Long-poll wait of each ReceiveMessage call in seconds (0 to 20); 20 costs the fewest empty receives."),
                    key(
                            VISIBILITY_TIMEOUT_SECONDS,
                            "Visibility timeout (s)",
                            INT,
                            -1,
                            MEDIUM,
                            Width.SHORT,
                            range(-1, 43_200),
                            "Visibility timeout asked for on receive, in seconds (0 to 43200); -1 uses the queue's own setting. "
                                    + "A record still waiting for its Kafka ack after 1/"
                                    + VisibilityTimeout.EXTEND_AFTER_PARTS
                                    + " of it gets its visibility extended."),
                    key(
                            RECEIVE_CONCURRENCY,
                            "Receive concurrency",
                            INT,
                            20,
                            MEDIUM,
                            Width.SHORT,
                            range(1, 50),
                            "Long polls each task keeps in flight at once (receiver threads), and as many deleter threads sending "
                                    + "DeleteMessageBatch calls. One long poll brings at most " + MAX_MESSAGES
                                    + " messages per round "
                                    + "trip (500 msg/s at 20 ms); several overlap the round trips. All share the in-flight bounds, "
                                    + "which may open fewer at once (see " + MAX_IN_FLIGHT_BYTES
                                    + "). On a quiet queue all but "
                                    + RECEIVE_CONCURRENCY_IDLE
                                    + " of them stand by; each open poll costs one empty receive per "
                                    + WAIT_TIME_SECONDS + " on an idle queue."),
                    key(
                            RECEIVE_CONCURRENCY_IDLE,
                            "Receive concurrency when quiet",
                            INT,
                            1,
                            LOW,
                            Width.SHORT,
                            range(1, 50),
                            "Of the " + RECEIVE_CONCURRENCY
                                    + " long polls, how many keep polling while receives come back with "
                                    + "fewer than " + MAX_MESSAGES
                                    + " messages (a quiet or idle queue); the others stand by until a "
                                    + "receive comes back full, then all poll again. 1 keeps an idle task at one empty receive per "
                                    + WAIT_TIME_SECONDS + "; a value of " + RECEIVE_CONCURRENCY
                                    + " or more keeps every poll open "
                                    + "always."),
                    key(
                            MAX_IN_FLIGHT,
                            "Max in-flight messages",
                            INT,
                            1000,
                            LOW,
                            Width.SHORT,
                            range(10, 100_000),
                            "Most messages a task holds received but not yet deleted. A receive starts only when the messages it "
                                    + "may return (" + MAX_MESSAGES
                                    + ") still fit; otherwise the receiver waits for deletes."),
                    key(
                            MAX_IN_FLIGHT_BYTES,
                            "Max in-flight bytes",
                            LONG,
                            128L * 1024 * 1024,
                            LOW,
                            Width.SHORT,
                            range(1024L * 1024, 16L << 30),
                            "Most body bytes (UTF-8, as SQS counts them) a task holds received but not yet deleted. Each receive "
                                    + "first reserves room for the largest answer it can get (" + MAX_MESSAGES
                                    + " messages of the "
                                    + "queue's MaximumMessageSize, 1 MiB when the queue does not report it) and waits while that room "
                                    + "is not free (unless nothing is in flight), so the bound holds with any body size; it also caps "
                                    + "how many of the " + RECEIVE_CONCURRENCY
                                    + " long polls are open at once: the default opens all 20 "
                                    + "on a queue whose MaximumMessageSize is 256 KiB (50 MiB reserved), 12 on a queue of 1 MiB "
                                    + "messages. "
                                    + "Memory per task is at most about twice this (the bodies plus their record values)."),
                    key(
                            RETRY_BACKOFF_MS,
                            "Retry backoff (ms)",
                            LONG,
                            100L,
                            LOW,
                            Width.SHORT,
                            range(1L, 60_000L),
                            "First wait before retrying an SQS call that failed with throttling, a 5xx or a network error; "
                                    + "doubled on each further failure."),
                    key(
                            RETRY_BACKOFF_MAX_MS,
                            "Max retry backoff (ms)",
                            LONG,
                            20_000L,
                            LOW,
                            Width.SHORT,
                            range(1L, 600_000L),
                            "Longest wait between retries of a failing SQS call. Receives are retried for as long as the task "
                                    + "runs."),
                    key(
                            SHUTDOWN_GRACE_MS,
                            "Shutdown grace (ms)",
                            LONG,
                            10_000L,
                            LOW,
                            Width.SHORT,
                            range(0L, 300_000L),
                            "On task stop, how long acks that are still arriving are turned into deletes before the SQS client "
                                    + "closes. Messages not deleted by then come back after their visibility timeout."),
                    key(
                            QUEUE_DEPTH_INTERVAL_MS,
                            "Queue depth interval (ms)",
                            LONG,
                            30_000L,
                            LOW,
                            Width.SHORT,
                            range(100L, 3_600_000L),
                            "How often each task reads the queue's approximate depth (GetQueueAttributes) for its metrics.")),
            group(
                    "Output",
                    key(
                            TOPIC,
                            "Topic",
                            STRING,
                            REQUIRED,
                            HIGH,
                            Width.MEDIUM,
                            topic(),
                            "Kafka topic the records of valid messages go to."),
                    key(
                            MESSAGE_FORMAT,
                            "Message format",
                            STRING,
                            word(Format.JSON),
                            HIGH,
                            Width.SHORT,
                            oneOf(Format.class),
                            "How a message body becomes a record value. json: a Struct with the schema declared by "
                                    + VALUE_SCHEMA_FILE + " or " + VALUE_SCHEMA
                                    + "; bodies that are not valid JSON or do not match "
                                    + "go to " + DLQ_TOPIC + ". string: the body as a string."),
                    key(
                            VALUE_SCHEMA_FILE,
                            "Value schema file",
                            STRING,
                            "",
                            HIGH,
                            Width.LONG,
                            optional(filePath()),
                            "Path of a JSON Schema file (the dataset event-schema subset: objects to any depth, arrays, string, "
                                    + "integer, number, boolean, nullable as [\"<type>\",\"null\"], formats date-time, date, uuid, "
                                    + "email, ipv4, ipv6; keywords " + String.join(", ", EventSchema.SUPPORTED_KEYWORDS)
                                    + ") that fixes "
                                    + "the value's Connect schema. Set this or " + VALUE_SCHEMA
                                    + " when " + MESSAGE_FORMAT + "=json."),
                    key(
                            VALUE_SCHEMA,
                            "Value schema",
                            STRING,
                            "",
                            HIGH,
                            Width.LONG,
                            optional(jsonObject()),
                            "The same JSON Schema as " + VALUE_SCHEMA_FILE + ", inline. Set only one of the two."),
                    key(
                            VALUE_MESSAGE_ID_FIELD,
                            "Value message id field",
                            STRING,
                            "",
                            MEDIUM,
                            Width.MEDIUM,
                            optional(fieldName()),
                            "Name of a field added to the value Struct (after the declared ones, string, required) that holds the "
                                    + "SQS MessageId, e.g. message_id; " + MESSAGE_FORMAT
                                    + "=json only. Needed where the record key "
                                    + "is not the message id — FIFO queues, whose records are keyed by MessageGroupId — so that a "
                                    + "sink can take its primary key from the value (JDBC sink: primary.key.mode=record_value, "
                                    + "primary.key.fields=message_id). Empty: the value holds the declared fields only."),
                    key(
                            DLQ_TOPIC,
                            "Dead-letter topic",
                            STRING,
                            "",
                            HIGH,
                            Width.MEDIUM,
                            optional(topic()),
                            "Kafka topic for messages whose body is invalid; the record value is Struct{message_id, error, body} "
                                    + "with the body unchanged (up to " + DLQ_MAX_BODY_BYTES
                                    + "), and headers sqs.error.reason and "
                                    + "sqs.error.message. Only dead-letter records carry sqs.error.reason: select them with Kafka's "
                                    + "HasHeaderKey predicate on it, not by topic name. Such records are "
                                    + "deleted from SQS after their ack like any other. Empty: invalid messages are not turned into "
                                    + "records and stay in SQS (for the queue's redrive policy), logged by message id."),
                    key(
                            MAX_BODY_BYTES,
                            "Max body bytes",
                            INT,
                            SQS_MAX_BODY_BYTES,
                            LOW,
                            Width.SHORT,
                            range(1, SQS_MAX_BODY_BYTES),
                            "Bodies longer than this many UTF-8 bytes go to " + DLQ_TOPIC + " instead of " + TOPIC
                                    + "."),
                    key(
                            DLQ_MAX_BODY_BYTES,
                            "Dead-letter max body bytes",
                            INT,
                            SQS_MAX_BODY_BYTES,
                            LOW,
                            Width.SHORT,
                            range(0, SQS_MAX_BODY_BYTES),
                            "Most UTF-8 bytes of a body a dead-letter record keeps. A longer body is cut at a character boundary "
                                    + "and the record's error (and header sqs.error.message) ends with \"body truncated from N to M "
                                    + "bytes\"; the message is still written and deleted like any other, never dropped. The default "
                                    + "keeps every body SQS can hold whole."),
                    key(
                            JSON_MAX_NESTING_DEPTH,
                            "Max JSON nesting depth",
                            INT,
                            32,
                            LOW,
                            Width.SHORT,
                            range(1, 1000),
                            "Deepest nesting of JSON objects and arrays accepted in a body; deeper bodies go to "
                                    + DLQ_TOPIC + ".")),
            group(
                    "SQS metadata",
                    key(
                            ATTRIBUTES_INCLUDE,
                            "Message attributes to copy",
                            LIST,
                            "",
                            HIGH,
                            Width.LONG,
                            sqsAttributeNames(),
                            "Message attributes (names, comma-separated, case-sensitive as SQS keeps them) copied to record headers "
                                    + "sqs.attr.<name>; only these are asked of SQS. Producers choose attributes and their values, "
                                    + "which reach Kafka in clear: list only attributes known to hold no PII (a trace id, a schema "
                                    + "version). Empty (the default): no attribute reaches Kafka."),
                    key(
                            FIFO_IDS,
                            "FIFO ids",
                            STRING,
                            word(FifoIds.HASH),
                            HIGH,
                            Width.SHORT,
                            oneOfIgnoringCase(FifoIds.class),
                            "FIFO queues: what reaches Kafka of the message group id (the record key and header "
                                    + "sqs.message.group.id) and the deduplication id (header sqs.message.deduplication.id), which "
                                    + "producers choose and may fill with PII (a user's e-mail). hash (the default): each becomes "
                                    + "HMAC-SHA256 under " + FIFO_IDS_HASH_KEY
                                    + " (base64url), so a group still keeps one key, one "
                                    + "partition and its order, and a guess cannot be checked against it without the key. drop: no "
                                    + "such headers, and records are keyed by message id (a group's records may then spread over "
                                    + "partitions). keep: both in clear, as SQS has them. Standard queues have neither id."),
                    key(
                            FIFO_IDS_HASH_KEY,
                            "FIFO id hash key",
                            PASSWORD,
                            null,
                            HIGH,
                            Width.MEDIUM,
                            secret(),
                            "Secret key of " + FIFO_IDS + "=hash, at least " + FifoIds.MIN_KEY_LENGTH
                                    + " characters (e.g. "
                                    + "${file:/opt/connect/secrets/sqs.properties:fifo.hash.key}); required on a FIFO queue with "
                                    + FIFO_IDS
                                    + "=hash. Keep it across restarts and tasks: a new key gives a group a new record key "
                                    + "(and partition). Never logged.")));

    static final ConfigDef CONFIG_DEF = ConfigField.configDef(FIELDS);

    private SqsSourceConfig() {}

    /** The settings of {@code props}, or a {@link ConfigException} with the first problem. */
    static SqsSourceSettings parse(Map<String, String> props) {
        Map<String, ConfigValue> values = CONFIG_DEF.validateAll(props);
        return check(values)
                .orElseThrow(() -> new ConfigException(FIELDS.stream()
                        .flatMap(f -> values.get(f.name()).errorMessages().stream())
                        .findFirst()
                        .orElseThrow()));
    }

    /**
     * Adds to {@code values} (from {@link ConfigDef#validateAll}) the problems that span keys, once every key passed
     * its own checks; the settings if there are none. Kafka's own errors quote the value: they are cut.
     */
    static Optional<SqsSourceSettings> check(Map<String, ConfigValue> values) {
        values.values().forEach(v -> v.errorMessages().replaceAll(m -> ConfigErrors.withoutValue(v.name(), m)));
        if (values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
            return Optional.empty();
        }
        SqsSourceSettings settings = SqsSourceSettings.of(values);
        List<SqsSourceSettings.Problem> problems = settings.problems();
        problems.forEach(p -> values.get(p.key()).addErrorMessage(p.message()));
        return problems.isEmpty() ? Optional.of(settings) : Optional.empty();
    }
}
