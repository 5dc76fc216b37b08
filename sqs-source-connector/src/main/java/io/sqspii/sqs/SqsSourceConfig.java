package io.sqspii.sqs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/** Every setting of the SQS source connector and its tasks, in one {@link ConfigDef}. */
final class SqsSourceConfig extends AbstractConfig {

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

  /** Shortest {@link #FIFO_IDS_HASH_KEY}: 32 characters of a random text carry well over 128 bits. */
  static final int MIN_HASH_KEY_LENGTH = 32;

  /** Set by the connector on each task's copy of the config; not user-facing. */
  static final String TASK_INDEX = "sqs.task.index";

  static final String FORMAT_JSON = "json";
  static final String FORMAT_STRING = "string";

  /** SQS's own body limit since 2025-08: 1 MiB. */
  static final int SQS_MAX_BODY_BYTES = 1024 * 1024;

  private static final String G_QUEUE = "SQS queue";
  private static final String G_AUTH = "AWS credentials";
  private static final String G_RECEIVE = "Receive";
  private static final String G_OUTPUT = "Output";
  private static final String G_METADATA = "SQS metadata";

  // e.g. us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5
  private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-\\d{1,2}");
  // https://sqs.<region>.amazonaws.com[.cn]/<account>/<name> and legacy https://<region>.queue.amazonaws.com/...
  private static final Pattern AWS_HOST =
      Pattern.compile("(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

  static final ConfigDef CONFIG_DEF = buildConfigDef();

  SqsSourceConfig(Map<String, String> props) {
    this(props, true);
  }

  /** With {@code crossCheck} false, only single-key checks run (see {@link #crossKeyErrors()}). */
  SqsSourceConfig(Map<String, String> props, boolean crossCheck) {
    super(CONFIG_DEF, checkedWithoutEcho(props), false);
    if (crossCheck) {
      List<Map.Entry<String, String>> errors = crossKeyErrors();
      if (!errors.isEmpty()) {
        throw new ConfigException(errors.get(0).getKey() + ": " + errors.get(0).getValue());
      }
    }
  }

  /**
   * Runs the single-key checks first so that their errors, Kafka's own included (type parsing, ranges), are
   * thrown without the value: AbstractConfig would quote it.
   */
  private static Map<String, String> checkedWithoutEcho(Map<String, String> props) {
    for (ConfigValue v : CONFIG_DEF.validate(props)) {
      if (!v.errorMessages().isEmpty()) {
        throw new ConfigException(ConfigErrors.withoutValue(v.name(), v.errorMessages().get(0)));
      }
    }
    return props;
  }

  private static ConfigDef buildConfigDef() {
    int q = 0;
    int a = 0;
    int r = 0;
    int o = 0;
    int m = 0;
    return new ConfigDef()
        .define(QUEUE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new QueueUrlValidator(), Importance.HIGH,
            "URL of the SQS queue to read, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue. "
                + "Names ending in .fifo are FIFO queues.",
            G_QUEUE, ++q, Width.LONG, "Queue URL")
        .define(REGION, Type.STRING, "", new RegionValidator(), Importance.MEDIUM,
            "AWS region of the queue, e.g. eu-west-1. Empty: taken from an amazonaws.com queue URL, else from the "
                + "AWS default region chain (AWS_REGION, profile), else us-east-1 when an endpoint override is set.",
            G_QUEUE, ++q, Width.SHORT, "Region")
        .define(ENDPOINT_OVERRIDE, Type.STRING, "", new OptionalUrlValidator(), Importance.LOW,
            "SQS endpoint to call instead of AWS, e.g. http://localhost:9324 for ElasticMQ or LocalStack. Empty: "
                + "the AWS endpoint of the region, or, when the queue URL is not an amazonaws.com URL, the queue "
                + "URL's scheme, host and port.",
            G_QUEUE, ++q, Width.LONG, "Endpoint override")
        .define(ACCESS_KEY_ID, Type.PASSWORD, null, new SecretValidator(), Importance.MEDIUM,
            "Static AWS access key id. Empty (the default): the AWS default credentials provider chain "
                + "(environment, system properties, web identity / IRSA, profile, ECS task role, EC2 instance "
                + "role). Set together with " + SECRET_ACCESS_KEY + ". Never logged.",
            G_AUTH, ++a, Width.MEDIUM, "Access key id")
        .define(SECRET_ACCESS_KEY, Type.PASSWORD, null, new SecretValidator(), Importance.MEDIUM,
            "Static AWS secret access key, set together with " + ACCESS_KEY_ID + ". Never logged.",
            G_AUTH, ++a, Width.MEDIUM, "Secret access key")
        .define(ASSUME_ROLE_ARN, Type.STRING, "", new RoleArnValidator(), Importance.MEDIUM,
            "IAM role to assume through STS before calling SQS, e.g. arn:aws:iam::123456789012:role/sqs-reader; "
                + "the base credentials come from the static key pair or the default chain. Empty: no role.",
            G_AUTH, ++a, Width.LONG, "Assume role ARN")
        .define(ASSUME_ROLE_SESSION_NAME, Type.STRING, "sqs-pii-connect", new NonEmptyString(), Importance.LOW,
            "Role session name used with " + ASSUME_ROLE_ARN + ".",
            G_AUTH, ++a, Width.MEDIUM, "Assume role session name")
        .define(ASSUME_ROLE_EXTERNAL_ID, Type.PASSWORD, null, new SecretValidator(), Importance.LOW,
            "External id passed to STS with " + ASSUME_ROLE_ARN + ", when the role's trust policy requires one.",
            G_AUTH, ++a, Width.MEDIUM, "Assume role external id")
        .define(MAX_MESSAGES, Type.INT, 10, Range.between(1, 10), Importance.MEDIUM,
            "Messages asked for per ReceiveMessage call (SQS allows 1 to 10).",
            G_RECEIVE, ++r, Width.SHORT, "Max messages per receive")
        .define(WAIT_TIME_SECONDS, Type.INT, 20, Range.between(0, 20), Importance.MEDIUM,
            "Long-poll wait of each ReceiveMessage call in seconds (0 to 20); 20 costs the fewest empty receives.",
            G_RECEIVE, ++r, Width.SHORT, "Wait time (s)")
        .define(VISIBILITY_TIMEOUT_SECONDS, Type.INT, -1, Range.between(-1, 43_200), Importance.MEDIUM,
            "Visibility timeout asked for on receive, in seconds (0 to 43200); -1 uses the queue's own setting. "
                + "A record still waiting for its Kafka ack after a quarter of it gets its visibility extended.",
            G_RECEIVE, ++r, Width.SHORT, "Visibility timeout (s)")
        .define(RECEIVE_CONCURRENCY, Type.INT, 20, Range.between(1, 50), Importance.MEDIUM,
            "Long polls each task keeps in flight at once (receiver threads), and as many deleter threads sending "
                + "DeleteMessageBatch calls. One long poll brings at most " + MAX_MESSAGES + " messages per round "
                + "trip (500 msg/s at 20 ms); several overlap the round trips. All share the in-flight bounds, "
                + "which may open fewer at once (see " + MAX_IN_FLIGHT_BYTES + "). On a quiet queue all but "
                + RECEIVE_CONCURRENCY_IDLE + " of them stand by; each open poll costs one empty receive per "
                + WAIT_TIME_SECONDS + " on an idle queue.",
            G_RECEIVE, ++r, Width.SHORT, "Receive concurrency")
        .define(RECEIVE_CONCURRENCY_IDLE, Type.INT, 1, Range.between(1, 50), Importance.LOW,
            "Of the " + RECEIVE_CONCURRENCY + " long polls, how many keep polling while receives come back with "
                + "fewer than " + MAX_MESSAGES + " messages (a quiet or idle queue); the others stand by until a "
                + "receive comes back full, then all poll again. 1 keeps an idle task at one empty receive per "
                + WAIT_TIME_SECONDS + "; a value of " + RECEIVE_CONCURRENCY + " or more keeps every poll open "
                + "always.",
            G_RECEIVE, ++r, Width.SHORT, "Receive concurrency when quiet")
        .define(MAX_IN_FLIGHT, Type.INT, 1000, Range.between(10, 100_000), Importance.LOW,
            "Most messages a task holds received but not yet deleted. A receive starts only when the messages it "
                + "may return (" + MAX_MESSAGES + ") still fit; otherwise the receiver waits for deletes.",
            G_RECEIVE, ++r, Width.SHORT, "Max in-flight messages")
        .define(MAX_IN_FLIGHT_BYTES, Type.LONG, 128L * 1024 * 1024, Range.between(1024L * 1024, 16L << 30),
            Importance.LOW,
            "Most body bytes (UTF-8, as SQS counts them) a task holds received but not yet deleted. Each receive "
                + "first reserves room for the largest answer it can get (" + MAX_MESSAGES + " messages of the "
                + "queue's MaximumMessageSize, 1 MiB when the queue does not report it) and waits while that room "
                + "is not free (unless nothing is in flight), so the bound holds with any body size; it also caps "
                + "how many of the " + RECEIVE_CONCURRENCY + " long polls are open at once: the default opens all 20 "
                + "on a queue whose MaximumMessageSize is 256 KiB (50 MiB reserved), 12 on a queue of 1 MiB "
                + "messages. "
                + "Memory per task is at most about twice this (the bodies plus their record values).",
            G_RECEIVE, ++r, Width.SHORT, "Max in-flight bytes")
        .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.between(1L, 60_000L), Importance.LOW,
            "First wait before retrying an SQS call that failed with throttling, a 5xx or a network error; "
                + "doubled on each further failure.",
            G_RECEIVE, ++r, Width.SHORT, "Retry backoff (ms)")
        .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 20_000L, Range.between(1L, 600_000L), Importance.LOW,
            "Longest wait between retries of a failing SQS call. Receives are retried for as long as the task "
                + "runs.",
            G_RECEIVE, ++r, Width.SHORT, "Max retry backoff (ms)")
        .define(SHUTDOWN_GRACE_MS, Type.LONG, 10_000L, Range.between(0L, 300_000L), Importance.LOW,
            "On task stop, how long acks that are still arriving are turned into deletes before the SQS client "
                + "closes. Messages not deleted by then come back after their visibility timeout.",
            G_RECEIVE, ++r, Width.SHORT, "Shutdown grace (ms)")
        .define(QUEUE_DEPTH_INTERVAL_MS, Type.LONG, 30_000L, Range.between(100L, 3_600_000L), Importance.LOW,
            "How often each task reads the queue's approximate depth (GetQueueAttributes) for its metrics.",
            G_RECEIVE, ++r, Width.SHORT, "Queue depth interval (ms)")
        .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new TopicValidator(false), Importance.HIGH,
            "Kafka topic the records of valid messages go to.",
            G_OUTPUT, ++o, Width.MEDIUM, "Topic")
        .define(MESSAGE_FORMAT, Type.STRING, FORMAT_JSON,
            ValidString.in(FORMAT_JSON, FORMAT_STRING), Importance.HIGH,
            "How a message body becomes a record value. json: a Struct with the schema declared by "
                + VALUE_SCHEMA_FILE + " or " + VALUE_SCHEMA + "; bodies that are not valid JSON or do not match "
                + "go to " + DLQ_TOPIC + ". string: the body as a string.",
            G_OUTPUT, ++o, Width.SHORT, "Message format")
        .define(VALUE_SCHEMA_FILE, Type.STRING, "", new PathValidator(), Importance.HIGH,
            "Path of a JSON Schema file (the dataset event-schema subset: objects to any depth, arrays, string, "
                + "integer, number, boolean, enum, formats date-time, date, uuid, email, ipv4, ipv6, maxLength, "
                + "maxItems, nullable as [\"<type>\",\"null\"], required, additionalProperties) that fixes the "
                + "value's Connect schema. Set this or " + VALUE_SCHEMA
                + " when " + MESSAGE_FORMAT + "=json.",
            G_OUTPUT, ++o, Width.LONG, "Value schema file")
        .define(VALUE_SCHEMA, Type.STRING, "", new InlineSchemaValidator(), Importance.HIGH,
            "The same JSON Schema as " + VALUE_SCHEMA_FILE + ", inline. Set only one of the two.",
            G_OUTPUT, ++o, Width.LONG, "Value schema")
        .define(VALUE_MESSAGE_ID_FIELD, Type.STRING, "", new FieldNameValidator(), Importance.MEDIUM,
            "Name of a field added to the value Struct (after the declared ones, string, required) that holds the "
                + "SQS MessageId, e.g. message_id; " + MESSAGE_FORMAT + "=json only. Needed where the record key "
                + "is not the message id — FIFO queues, whose records are keyed by MessageGroupId — so that a "
                + "sink can take its primary key from the value (JDBC sink: primary.key.mode=record_value, "
                + "primary.key.fields=message_id). Empty: the value holds the declared fields only.",
            G_OUTPUT, ++o, Width.MEDIUM, "Value message id field")
        .define(DLQ_TOPIC, Type.STRING, "", new TopicValidator(true), Importance.HIGH,
            "Kafka topic for messages whose body is invalid; the record value is Struct{message_id, error, body} "
                + "with the body unchanged (up to " + DLQ_MAX_BODY_BYTES + "), and headers sqs.error.reason and "
                + "sqs.error.message. Only dead-letter records carry sqs.error.reason: select them with Kafka's "
                + "HasHeaderKey predicate on it, not by topic name. Such records are "
                + "deleted from SQS after their ack like any other. Empty: invalid messages are not turned into "
                + "records and stay in SQS (for the queue's redrive policy), logged by message id.",
            G_OUTPUT, ++o, Width.MEDIUM, "Dead-letter topic")
        .define(MAX_BODY_BYTES, Type.INT, SQS_MAX_BODY_BYTES, Range.between(1, SQS_MAX_BODY_BYTES),
            Importance.LOW,
            "Bodies longer than this many UTF-8 bytes go to " + DLQ_TOPIC + " instead of " + TOPIC + ".",
            G_OUTPUT, ++o, Width.SHORT, "Max body bytes")
        .define(DLQ_MAX_BODY_BYTES, Type.INT, SQS_MAX_BODY_BYTES, Range.between(0, SQS_MAX_BODY_BYTES),
            Importance.LOW,
            "Most UTF-8 bytes of a body a dead-letter record keeps. A longer body is cut at a character boundary "
                + "and the record's error (and header sqs.error.message) ends with \"body truncated from N to M "
                + "bytes\"; the message is still written and deleted like any other, never dropped. The default "
                + "keeps every body SQS can hold whole.",
            G_OUTPUT, ++o, Width.SHORT, "Dead-letter max body bytes")
        .define(JSON_MAX_NESTING_DEPTH, Type.INT, 32, Range.between(1, 1000), Importance.LOW,
            "Deepest nesting of JSON objects and arrays accepted in a body; deeper bodies go to " + DLQ_TOPIC + ".",
            G_OUTPUT, ++o, Width.SHORT, "Max JSON nesting depth")
        .define(ATTRIBUTES_INCLUDE, Type.LIST, "", new AttributeNamesValidator(), Importance.HIGH,
            "Message attributes (names, comma-separated, case-sensitive as SQS keeps them) copied to record headers "
                + "sqs.attr.<name>; only these are asked of SQS. Producers choose attributes and their values, "
                + "which reach Kafka in clear: list only attributes known to hold no PII (a trace id, a schema "
                + "version). Empty (the default): no attribute reaches Kafka.",
            G_METADATA, ++m, Width.LONG, "Message attributes to copy")
        .define(FIFO_IDS, Type.STRING, "hash", new OneOfValidator("drop", "hash", "keep"), Importance.HIGH,
            "FIFO queues: what reaches Kafka of the message group id (the record key and header "
                + "sqs.message.group.id) and the deduplication id (header sqs.message.deduplication.id), which "
                + "producers choose and may fill with PII (a user's e-mail). hash (the default): each becomes "
                + "HMAC-SHA256 under " + FIFO_IDS_HASH_KEY + " (base64url), so a group still keeps one key, one "
                + "partition and its order, and a guess cannot be checked against it without the key. drop: no "
                + "such headers, and records are keyed by message id (a group's records may then spread over "
                + "partitions). keep: both in clear, as SQS has them. Standard queues have neither id.",
            G_METADATA, ++m, Width.SHORT, "FIFO ids")
        .define(FIFO_IDS_HASH_KEY, Type.PASSWORD, null, new SecretValidator(), Importance.HIGH,
            "Secret key of " + FIFO_IDS + "=hash, at least " + MIN_HASH_KEY_LENGTH + " characters (e.g. "
                + "${file:/opt/connect/secrets/sqs.properties:fifo.hash.key}); required on a FIFO queue with "
                + FIFO_IDS + "=hash. Keep it across restarts and tasks: a new key gives a group a new record key "
                + "(and partition). Never logged.",
            G_METADATA, ++m, Width.MEDIUM, "FIFO id hash key");
  }

  /** Problems that involve more than one key, each as (key to fix, message). */
  List<Map.Entry<String, String>> crossKeyErrors() {
    List<Map.Entry<String, String>> errors = new ArrayList<>();
    if ((accessKeyId() == null) != (secretAccessKey() == null)) {
      String m = ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " must be set together";
      errors.add(Map.entry(accessKeyId() == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY, m));
    }
    if (!valueSchemaFile().isEmpty() && !valueSchemaInline().isEmpty()) {
      errors.add(Map.entry(VALUE_SCHEMA, "set only one of " + VALUE_SCHEMA_FILE + " and " + VALUE_SCHEMA));
    } else if (isJson() && valueSchemaFile().isEmpty() && valueSchemaInline().isEmpty()) {
      errors.add(Map.entry(VALUE_SCHEMA_FILE, "a value schema (" + VALUE_SCHEMA_FILE + " or " + VALUE_SCHEMA
          + ") is required when " + MESSAGE_FORMAT + "=json"));
    }
    String region = getString(REGION).trim();
    Optional<String> urlRegion = regionFromUrl(queueUrl());
    if (!region.isEmpty() && urlRegion.isPresent() && !urlRegion.get().equals(region)) {
      errors.add(Map.entry(REGION, REGION + " does not match the region of the amazonaws.com host of " + QUEUE_URL));
    }
    if (!valueMessageIdField().isEmpty() && !isJson()) {
      errors.add(Map.entry(VALUE_MESSAGE_ID_FIELD, VALUE_MESSAGE_ID_FIELD + " applies to " + MESSAGE_FORMAT
          + "=json only"));
    }
    Password hashKey = getPassword(FIFO_IDS_HASH_KEY);
    if (isFifo() && fifoIds() == FifoIds.HASH && (hashKey == null || hashKey.value().isEmpty())) {
      errors.add(Map.entry(FIFO_IDS_HASH_KEY, FIFO_IDS_HASH_KEY + " is required on a FIFO queue with " + FIFO_IDS
          + "=hash (or set " + FIFO_IDS + " to drop or keep)"));
    } else if (hashKey != null && !hashKey.value().isEmpty() && hashKey.value().length() < MIN_HASH_KEY_LENGTH) {
      errors.add(Map.entry(FIFO_IDS_HASH_KEY, FIFO_IDS_HASH_KEY + " must be at least " + MIN_HASH_KEY_LENGTH
          + " characters"));
    }
    if (!dlqTopic().isEmpty() && dlqTopic().equals(topic())) {
      errors.add(Map.entry(DLQ_TOPIC, DLQ_TOPIC + " must differ from " + TOPIC));
    }
    return errors;
  }

  String queueUrl() {
    return getString(QUEUE_URL).trim();
  }

  boolean isFifo() {
    return queueUrl().endsWith(".fifo");
  }

  /** The region to sign with, if one is known from the config or the queue URL. */
  Optional<String> explicitRegion() {
    String region = getString(REGION).trim();
    if (!region.isEmpty()) {
      return Optional.of(region);
    }
    return regionFromUrl(queueUrl());
  }

  /** Endpoint override, explicit or derived from a non-AWS queue URL (ElasticMQ, LocalStack). */
  Optional<URI> endpoint() {
    String override = getString(ENDPOINT_OVERRIDE).trim();
    if (!override.isEmpty()) {
      return Optional.of(URI.create(override));
    }
    URI url = URI.create(queueUrl());
    if (url.getHost() != null && !url.getHost().endsWith(".amazonaws.com") && !url.getHost().endsWith(".amazonaws.com.cn")) {
      return Optional.of(URI.create(url.getScheme() + "://" + url.getRawAuthority()));
    }
    return Optional.empty();
  }

  static Optional<String> regionFromUrl(String queueUrl) {
    try {
      String host = new URI(queueUrl.trim()).getHost();
      if (host == null) {
        return Optional.empty();
      }
      Matcher m = AWS_HOST.matcher(host.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
      }
    } catch (URISyntaxException e) {
      // reported by the validator
    }
    return Optional.empty();
  }

  String accessKeyId() {
    Password p = getPassword(ACCESS_KEY_ID);
    return p == null || p.value().isBlank() ? null : p.value().trim();
  }

  String secretAccessKey() {
    Password p = getPassword(SECRET_ACCESS_KEY);
    return p == null || p.value().isBlank() ? null : p.value();
  }

  String assumeRoleArn() {
    return getString(ASSUME_ROLE_ARN).trim();
  }

  String assumeRoleSessionName() {
    return getString(ASSUME_ROLE_SESSION_NAME);
  }

  String assumeRoleExternalId() {
    Password p = getPassword(ASSUME_ROLE_EXTERNAL_ID);
    return p == null || p.value().isBlank() ? null : p.value();
  }

  int maxMessages() {
    return getInt(MAX_MESSAGES);
  }

  int waitTimeSeconds() {
    return getInt(WAIT_TIME_SECONDS);
  }

  /** -1 when the queue's own visibility timeout applies. */
  int visibilityTimeoutSeconds() {
    return getInt(VISIBILITY_TIMEOUT_SECONDS);
  }

  int receiveConcurrency() {
    return getInt(RECEIVE_CONCURRENCY);
  }

  /** Long polls that never stand by: at most {@link #receiveConcurrency()}. */
  int receiveConcurrencyIdle() {
    return Math.min(getInt(RECEIVE_CONCURRENCY_IDLE), receiveConcurrency());
  }

  int maxInFlight() {
    return getInt(MAX_IN_FLIGHT);
  }

  long maxInFlightBytes() {
    return getLong(MAX_IN_FLIGHT_BYTES);
  }

  long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }

  long retryBackoffMaxMs() {
    return Math.max(getLong(RETRY_BACKOFF_MAX_MS), retryBackoffMs());
  }

  long shutdownGraceMs() {
    return getLong(SHUTDOWN_GRACE_MS);
  }

  long queueDepthIntervalMs() {
    return getLong(QUEUE_DEPTH_INTERVAL_MS);
  }

  String topic() {
    return getString(TOPIC).trim();
  }

  boolean isJson() {
    return FORMAT_JSON.equals(getString(MESSAGE_FORMAT));
  }

  String valueSchemaFile() {
    return getString(VALUE_SCHEMA_FILE).trim();
  }

  String valueSchemaInline() {
    return getString(VALUE_SCHEMA).trim();
  }

  /** The declared JSON schema text, read from the file or the inline value. */
  String valueSchemaText() {
    if (!valueSchemaInline().isEmpty()) {
      return valueSchemaInline();
    }
    Path file = Path.of(valueSchemaFile());
    try {
      return Files.readString(file);
    } catch (java.io.IOException | RuntimeException e) {
      throw ConfigErrors.invalid(VALUE_SCHEMA_FILE, "cannot read the schema file ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Empty when the value does not carry the message id. */
  String valueMessageIdField() {
    return getString(VALUE_MESSAGE_ID_FIELD).trim();
  }

  /** Empty when invalid messages stay in SQS. */
  String dlqTopic() {
    return getString(DLQ_TOPIC).trim();
  }

  int maxBodyBytes() {
    return getInt(MAX_BODY_BYTES);
  }

  int dlqMaxBodyBytes() {
    return getInt(DLQ_MAX_BODY_BYTES);
  }

  int jsonMaxNestingDepth() {
    return getInt(JSON_MAX_NESTING_DEPTH);
  }

  /** Message attribute names to ask SQS for and copy to headers; empty: none. */
  List<String> includedAttributes() {
    return getList(ATTRIBUTES_INCLUDE).stream().map(String::trim).filter(n -> !n.isEmpty()).distinct().toList();
  }

  FifoIds fifoIds() {
    return FifoIds.parse(getString(FIFO_IDS));
  }

  /** Null when not set. */
  String fifoIdsHashKey() {
    Password p = getPassword(FIFO_IDS_HASH_KEY);
    return p == null || p.value().isEmpty() ? null : p.value();
  }

  /** A queue URL: http(s), a host, and a path of exactly /account/name. */
  static final class QueueUrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (s.isEmpty()) {
        throw ConfigErrors.invalid(name, "the queue URL is required");
      }
      URI uri;
      try {
        uri = new URI(s);
      } catch (URISyntaxException e) {
        throw ConfigErrors.invalid(name, "not a valid URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw ConfigErrors.invalid(name, "must be an http or https URL, e.g. "
            + "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw ConfigErrors.invalid(name, "the URL has no host");
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      String[] parts = path.replaceAll("^/+|/+$", "").split("/");
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw ConfigErrors.invalid(name, "the URL path must be /<account-id>/<queue-name>");
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        throw ConfigErrors.invalid(name, "the URL must not have a query or fragment");
      }
      if (!parts[1].matches("[A-Za-z0-9_-]{1,80}(\\.fifo)?")) {
        throw ConfigErrors.invalid(name, "the queue name may hold only letters, digits, - and _ "
            + "(at most 80), optionally ending in .fifo");
      }
    }

    @Override
    public String toString() {
      return "http(s)://<host>/<account-id>/<queue-name>";
    }
  }

  static final class RegionValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (!s.isEmpty() && !REGION_PATTERN.matcher(s).matches()) {
        throw ConfigErrors.invalid(name, "not an AWS region name such as eu-west-1 or us-gov-west-1");
      }
    }

    @Override
    public String toString() {
      return "empty or an AWS region name, e.g. eu-west-1";
    }
  }

  static final class OptionalUrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (s.isEmpty()) {
        return;
      }
      try {
        URI uri = new URI(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
          throw ConfigErrors.invalid(name, "must be an http or https URL with a host, e.g. "
              + "http://localhost:9324");
        }
      } catch (URISyntaxException e) {
        throw ConfigErrors.invalid(name, "not a valid URL");
      }
    }

    @Override
    public String toString() {
      return "empty or an http(s) URL";
    }
  }

  static final class RoleArnValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (!s.isEmpty() && !ROLE_ARN.matcher(s).matches()) {
        throw ConfigErrors.invalid(name, "not an IAM role ARN such as arn:aws:iam::123456789012:role/name");
      }
    }

    @Override
    public String toString() {
      return "empty or arn:aws:iam::<account>:role/<name>";
    }
  }

  /** A Kafka topic name (optionally empty). */
  static final class TopicValidator implements ConfigDef.Validator {
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private final boolean optional;

    TopicValidator(boolean optional) {
      this.optional = optional;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (s.isEmpty() && optional) {
        return;
      }
      if (!TOPIC_NAME.matcher(s).matches() || s.equals(".") || s.equals("..")) {
        throw ConfigErrors.invalid(name, "not a valid Kafka topic name (letters, digits, '.', '_', '-'; "
            + "at most 249)");
      }
    }

    @Override
    public String toString() {
      return (optional ? "empty or " : "") + "a Kafka topic name";
    }
  }

  /** A Connect field name: empty, or non-blank without whitespace or control characters. */
  static final class FieldNameValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (!s.isEmpty() && (s.length() > 255
          || s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
        throw ConfigErrors.invalid(name, "not a field name (no spaces or control characters, at most 255)");
      }
    }

    @Override
    public String toString() {
      return "empty or a field name, e.g. message_id";
    }
  }

  /** A path that can exist (whether it does is checked when the schema is read). */
  static final class PathValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (s.isEmpty()) {
        return;
      }
      try {
        Path.of(s);
      } catch (RuntimeException e) {
        throw ConfigErrors.invalid(name, "not a valid file path");
      }
    }

    @Override
    public String toString() {
      return "empty or a file path";
    }
  }

  /** Inline schema text: must at least look like a JSON object; the schema compiler checks the rest. */
  static final class InlineSchemaValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (!s.isEmpty() && !(s.startsWith("{") && s.endsWith("}"))) {
        throw ConfigErrors.invalid(name, "must be a JSON object");
      }
    }

    @Override
    public String toString() {
      return "empty or a JSON Schema object";
    }
  }

  /** SQS message attribute names: letters, digits, _ - . (at most 256), not starting with AWS. or Amazon. */
  static final class AttributeNamesValidator implements ConfigDef.Validator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    @Override
    public void ensureValid(String name, Object value) {
      List<?> names = value instanceof List<?> l ? l : List.of();
      for (int i = 0; i < names.size(); i++) {
        String n = String.valueOf(names.get(i)).trim();
        if (n.isEmpty() && names.size() == 1) {
          return;
        }
        if (!NAME.matcher(n).matches() || n.startsWith(".") || n.endsWith(".") || n.contains("..")) {
          // by position: the value is not quoted
          throw ConfigErrors.invalid(name, "entry " + (i + 1) + " is not an SQS message attribute name (letters, "
              + "digits, '_', '-', '.'; at most 256)");
        }
      }
    }

    @Override
    public String toString() {
      return "empty or a list of SQS message attribute names";
    }
  }

  /** One of a few words, any case; the error lists them and never quotes the value. */
  static final class OneOfValidator implements ConfigDef.Validator {
    private final List<String> words;

    OneOfValidator(String... words) {
      this.words = List.of(words);
    }

    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || !words.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
        throw ConfigErrors.invalid(name, "must be one of " + String.join(", ", words));
      }
    }

    @Override
    public String toString() {
      return String.join(", ", words);
    }
  }

  /** Secrets: no whitespace or control characters (copy-paste errors); the value is never echoed. */
  static final class SecretValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value instanceof Password p ? p.value() : value == null ? null : value.toString();
      if (s != null && s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw ConfigErrors.invalid(name, "contains whitespace or control characters");
      }
    }

    @Override
    public String toString() {
      return "empty or a value without whitespace";
    }
  }
}
