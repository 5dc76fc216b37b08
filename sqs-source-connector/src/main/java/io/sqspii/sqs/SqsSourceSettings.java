package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceConfig.ACCESS_KEY_ID;
import static io.sqspii.sqs.SqsSourceConfig.ASSUME_ROLE_ARN;
import static io.sqspii.sqs.SqsSourceConfig.ASSUME_ROLE_EXTERNAL_ID;
import static io.sqspii.sqs.SqsSourceConfig.ASSUME_ROLE_SESSION_NAME;
import static io.sqspii.sqs.SqsSourceConfig.ATTRIBUTES_INCLUDE;
import static io.sqspii.sqs.SqsSourceConfig.DLQ_MAX_BODY_BYTES;
import static io.sqspii.sqs.SqsSourceConfig.DLQ_TOPIC;
import static io.sqspii.sqs.SqsSourceConfig.ENDPOINT_OVERRIDE;
import static io.sqspii.sqs.SqsSourceConfig.FIFO_IDS;
import static io.sqspii.sqs.SqsSourceConfig.FIFO_IDS_HASH_KEY;
import static io.sqspii.sqs.SqsSourceConfig.JSON_MAX_NESTING_DEPTH;
import static io.sqspii.sqs.SqsSourceConfig.MAX_BODY_BYTES;
import static io.sqspii.sqs.SqsSourceConfig.MAX_IN_FLIGHT;
import static io.sqspii.sqs.SqsSourceConfig.MAX_IN_FLIGHT_BYTES;
import static io.sqspii.sqs.SqsSourceConfig.MAX_MESSAGES;
import static io.sqspii.sqs.SqsSourceConfig.MESSAGE_FORMAT;
import static io.sqspii.sqs.SqsSourceConfig.QUEUE_DEPTH_INTERVAL_MS;
import static io.sqspii.sqs.SqsSourceConfig.QUEUE_URL;
import static io.sqspii.sqs.SqsSourceConfig.RECEIVE_CONCURRENCY;
import static io.sqspii.sqs.SqsSourceConfig.RECEIVE_CONCURRENCY_IDLE;
import static io.sqspii.sqs.SqsSourceConfig.REGION;
import static io.sqspii.sqs.SqsSourceConfig.RETRY_BACKOFF_MAX_MS;
import static io.sqspii.sqs.SqsSourceConfig.RETRY_BACKOFF_MS;
import static io.sqspii.sqs.SqsSourceConfig.SECRET_ACCESS_KEY;
import static io.sqspii.sqs.SqsSourceConfig.SHUTDOWN_GRACE_MS;
import static io.sqspii.sqs.SqsSourceConfig.TOPIC;
import static io.sqspii.sqs.SqsSourceConfig.VALUE_MESSAGE_ID_FIELD;
import static io.sqspii.sqs.SqsSourceConfig.VALUE_SCHEMA;
import static io.sqspii.sqs.SqsSourceConfig.VALUE_SCHEMA_FILE;
import static io.sqspii.sqs.SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS;
import static io.sqspii.sqs.SqsSourceConfig.WAIT_TIME_SECONDS;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * Every setting of the connector, parsed once from a config that passed its checks ({@link SqsSourceConfig#parse}):
 * typed, trimmed, defaults applied, unset values empty. Split as the config's groups are. Secrets stay
 * {@link Password}s, which print as {@code [hidden]}.
 */
record SqsSourceSettings(Queue queue, Receive receive, Output output) {

    // https://sqs.<region>.amazonaws.com[.cn]/<account>/<name> and legacy https://<region>.queue.amazonaws.com/...
    private static final Pattern AWS_HOST =
            Pattern.compile("(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

    /** What is wrong, reported on the key to fix. */
    record Problem(String key, String message) {}

    /** The queue, and whom to call it as (groups "SQS queue" and "AWS credentials"). */
    record Queue(
            String url,
            Optional<String> region,
            Optional<String> endpointOverride,
            Optional<Password> accessKeyId,
            Optional<Password> secretAccessKey,
            Optional<String> assumeRoleArn,
            String assumeRoleSessionName,
            Optional<Password> assumeRoleExternalId) {

        boolean fifo() {
            return url.endsWith(".fifo");
        }

        /** The region to sign with, if the config or an amazonaws.com queue URL names one. */
        Optional<String> signingRegion() {
            return region.or(() -> regionFromUrl(url));
        }

        /** The endpoint override, explicit or derived from a queue URL outside AWS (ElasticMQ, LocalStack). */
        Optional<URI> endpoint() {
            if (endpointOverride.isPresent()) {
                return endpointOverride.map(URI::create);
            }
            URI u = URI.create(url);
            boolean aws = u.getHost() == null
                    || u.getHost().endsWith(".amazonaws.com")
                    || u.getHost().endsWith(".amazonaws.com.cn");
            return aws ? Optional.empty() : Optional.of(URI.create(u.getScheme() + "://" + u.getRawAuthority()));
        }
    }

    /** How a task receives, holds and deletes messages (group "Receive"). */
    record Receive(
            int maxMessages,
            int waitTimeSeconds,
            int visibilityTimeoutSeconds,
            int concurrency,
            int concurrencyIdle,
            int maxInFlight,
            long maxInFlightBytes,
            Duration retryBackoff,
            Duration retryBackoffMax,
            Duration shutdownGrace,
            Duration queueDepthInterval) {

        /** A fresh retry schedule, one per loop. */
        Backoff backoff() {
            return new Backoff(retryBackoff.toMillis(), retryBackoffMax.toMillis());
        }
    }

    /** How a body becomes a record value. */
    enum Format {
        JSON,
        STRING
    }

    /** What reaches Kafka (groups "Output" and "SQS metadata"). */
    record Output(
            String topic,
            Format format,
            Optional<String> valueSchemaFile,
            Optional<String> valueSchemaInline,
            Optional<String> messageIdField,
            Optional<String> dlqTopic,
            int maxBodyBytes,
            int dlqMaxBodyBytes,
            int jsonMaxNestingDepth,
            List<String> attributes,
            FifoIds fifoIds,
            Optional<Password> fifoIdsHashKey) {

        boolean json() {
            return format == Format.JSON;
        }

        /** The declared value schema ({@code message.format=json}); the one place that decides which key holds it. */
        Optional<ValueSchemaSource> valueSchema() {
            if (!json()) {
                return Optional.empty();
            }
            return valueSchemaInline
                    .map(text -> new ValueSchemaSource(VALUE_SCHEMA, text, false))
                    .or(() -> valueSchemaFile.map(path -> new ValueSchemaSource(VALUE_SCHEMA_FILE, path, true)));
        }

        /** What keeps the declared schema from compiling, if anything. */
        Optional<Problem> schemaProblem() {
            return valueSchema().flatMap(schema -> {
                try {
                    schema.compile(messageIdField);
                    return Optional.empty();
                } catch (ConfigException e) {
                    return Optional.of(new Problem(schema.key(), e.getMessage()));
                } catch (JsonValueSchema.InvalidSchemaException e) {
                    return Optional.of(new Problem(schema.key(), "Invalid value schema: " + e.getMessage()));
                }
            });
        }
    }

    /** A declared schema and the key that holds it: every problem of the schema is reported on that key. */
    record ValueSchemaSource(String key, String inlineOrPath, boolean file) {

        String text() {
            if (!file) {
                return inlineOrPath;
            }
            try {
                return Files.readString(Path.of(inlineOrPath));
            } catch (IOException | RuntimeException e) {
                throw ConfigErrors.invalid(
                        key, "cannot read the schema file (" + e.getClass().getSimpleName() + ")");
            }
        }

        /** Throws a {@code ConfigException} on {@link #key} when the file cannot be read. */
        JsonValueSchema compile(Optional<String> messageIdField) throws JsonValueSchema.InvalidSchemaException {
            return JsonValueSchema.compile(text(), messageIdField.orElse(""));
        }
    }

    /** The problems that involve more than one key. */
    List<Problem> problems() {
        Queue q = queue;
        Output o = output;
        List<Problem> problems = new ArrayList<>();
        if (q.accessKeyId().isPresent() != q.secretAccessKey().isPresent()) {
            problems.add(new Problem(
                    q.accessKeyId().isEmpty() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY,
                    ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " must be set together"));
        }
        if (o.valueSchemaFile().isPresent() && o.valueSchemaInline().isPresent()) {
            problems.add(new Problem(VALUE_SCHEMA, "set only one of " + VALUE_SCHEMA_FILE + " and " + VALUE_SCHEMA));
        } else if (o.json() && o.valueSchema().isEmpty()) {
            problems.add(new Problem(
                    VALUE_SCHEMA_FILE,
                    "a value schema (" + VALUE_SCHEMA_FILE + " or " + VALUE_SCHEMA + ") is required when "
                            + MESSAGE_FORMAT + "=json"));
        }
        Optional<String> urlRegion = regionFromUrl(q.url());
        if (q.region().isPresent() && urlRegion.isPresent() && !urlRegion.equals(q.region())) {
            problems.add(new Problem(
                    REGION, REGION + " does not match the region of the amazonaws.com host of " + QUEUE_URL));
        }
        if (o.messageIdField().isPresent() && !o.json()) {
            problems.add(new Problem(
                    VALUE_MESSAGE_ID_FIELD, VALUE_MESSAGE_ID_FIELD + " applies to " + MESSAGE_FORMAT + "=json only"));
        }
        if (q.fifo() && o.fifoIds() == FifoIds.HASH && o.fifoIdsHashKey().isEmpty()) {
            problems.add(new Problem(
                    FIFO_IDS_HASH_KEY,
                    FIFO_IDS_HASH_KEY + " is required on a FIFO queue with " + FIFO_IDS + "=hash (or set " + FIFO_IDS
                            + " to drop or keep)"));
        } else if (o.fifoIdsHashKey()
                .filter(k -> k.value().length() < FifoIds.MIN_KEY_LENGTH)
                .isPresent()) {
            problems.add(new Problem(
                    FIFO_IDS_HASH_KEY,
                    FIFO_IDS_HASH_KEY + " must be at least " + FifoIds.MIN_KEY_LENGTH + " characters"));
        }
        if (o.dlqTopic().equals(Optional.of(o.topic()))) {
            problems.add(new Problem(DLQ_TOPIC, DLQ_TOPIC + " must differ from " + TOPIC));
        }
        return problems;
    }

    /** The settings of the values Kafka parsed and checked key by key. */
    static SqsSourceSettings of(Map<String, ConfigValue> v) {
        Values c = new Values(v);
        Queue queue = new Queue(
                c.string(QUEUE_URL),
                c.optional(REGION),
                c.optional(ENDPOINT_OVERRIDE),
                c.secret(ACCESS_KEY_ID),
                c.secret(SECRET_ACCESS_KEY),
                c.optional(ASSUME_ROLE_ARN),
                c.string(ASSUME_ROLE_SESSION_NAME),
                c.secret(ASSUME_ROLE_EXTERNAL_ID));
        int concurrency = c.integer(RECEIVE_CONCURRENCY);
        Duration backoff = Duration.ofMillis(c.number(RETRY_BACKOFF_MS));
        Receive receive = new Receive(
                c.integer(MAX_MESSAGES),
                c.integer(WAIT_TIME_SECONDS),
                c.integer(VISIBILITY_TIMEOUT_SECONDS),
                concurrency,
                Math.min(c.integer(RECEIVE_CONCURRENCY_IDLE), concurrency),
                c.integer(MAX_IN_FLIGHT),
                c.number(MAX_IN_FLIGHT_BYTES),
                backoff,
                Duration.ofMillis(Math.max(c.number(RETRY_BACKOFF_MAX_MS), backoff.toMillis())),
                Duration.ofMillis(c.number(SHUTDOWN_GRACE_MS)),
                Duration.ofMillis(c.number(QUEUE_DEPTH_INTERVAL_MS)));
        Output output = new Output(
                c.string(TOPIC),
                c.enumOf(Format.class, MESSAGE_FORMAT),
                c.optional(VALUE_SCHEMA_FILE),
                c.optional(VALUE_SCHEMA),
                c.optional(VALUE_MESSAGE_ID_FIELD),
                c.optional(DLQ_TOPIC),
                c.integer(MAX_BODY_BYTES),
                c.integer(DLQ_MAX_BODY_BYTES),
                c.integer(JSON_MAX_NESTING_DEPTH),
                c.names(ATTRIBUTES_INCLUDE),
                c.enumOf(FifoIds.class, FIFO_IDS),
                c.secret(FIFO_IDS_HASH_KEY));
        return new SqsSourceSettings(queue, receive, output);
    }

    /** The region of an amazonaws.com queue URL. */
    static Optional<String> regionFromUrl(String queueUrl) {
        URI uri = Validators.uri(queueUrl.trim());
        if (uri == null || uri.getHost() == null) {
            return Optional.empty();
        }
        Matcher m = AWS_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2)) : Optional.empty();
    }

    /** Kafka's parsed values, by type. */
    private record Values(Map<String, ConfigValue> v) {

        private Object get(String key) {
            return v.get(key).value();
        }

        String string(String key) {
            return Validators.text(get(key));
        }

        Optional<String> optional(String key) {
            return Optional.of(string(key)).filter(s -> !s.isEmpty());
        }

        Optional<Password> secret(String key) {
            return optional(key).map(Password::new);
        }

        int integer(String key) {
            return (Integer) get(key);
        }

        long number(String key) {
            return (Long) get(key);
        }

        <E extends Enum<E>> E enumOf(Class<E> type, String key) {
            return Enum.valueOf(type, string(key).toUpperCase(Locale.ROOT));
        }

        /** A list's non-empty entries, each once, in order. */
        List<String> names(String key) {
            return ((List<?>) get(key))
                    .stream()
                            .map(Validators::text)
                            .filter(s -> !s.isEmpty())
                            .distinct()
                            .toList();
        }
    }
}
