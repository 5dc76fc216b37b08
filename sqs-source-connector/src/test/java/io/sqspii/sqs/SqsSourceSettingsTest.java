package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** The key table, the settings parsed from it, and where each problem is reported. */
class SqsSourceSettingsTest {

    private static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue";
    private static final String FIFO_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/logins.fifo";

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put(SqsSourceConfig.QUEUE_URL, URL);
        p.put(SqsSourceConfig.TOPIC, "user-logins");
        p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, SourceProps.schemaFile());
        return p;
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> p = valid();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void everyKeyIsDeclaredOnceWithItsDocGroupAndPlace() {
        List<ConfigField> fields = SqsSourceConfig.FIELDS;
        assertThat(fields).extracting(ConfigField::name).doesNotHaveDuplicates();
        for (ConfigField f : fields) {
            assertThat(f.doc()).as(f.name()).isNotBlank();
            assertThat(f.displayName()).as(f.name()).isNotBlank();
            assertThat(f.group()).as(f.name()).isNotBlank();
            assertThat(f.width()).as(f.name()).isNotNull();
            assertThat(f.validator()).as(f.name()).isNotNull();
            assertThat(f.validator().toString()).as(f.name() + " valid values").isNotBlank();
        }
        // each group's keys are numbered 1..n in the order declared, and the groups are contiguous
        Map<String, List<Integer>> orders = fields.stream()
                .collect(Collectors.groupingBy(
                        ConfigField::group,
                        LinkedHashMap::new,
                        Collectors.mapping(ConfigField::orderInGroup, Collectors.toList())));
        orders.forEach((group, order) -> assertThat(order)
                .as(group)
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, order.size())
                        .boxed()
                        .toList()));
        assertThat(orders.keySet())
                .containsExactly("SQS queue", "AWS credentials", "Receive", "Output", "SQS metadata");
    }

    @Test
    void theConfigDefIsTheTableAndNothingElse() {
        ConfigDef def = SqsSourceConfig.CONFIG_DEF;
        assertThat(def.configKeys().keySet())
                .containsExactlyElementsOf(
                        SqsSourceConfig.FIELDS.stream().map(ConfigField::name).toList());
        assertThat(def.groups()).containsExactly("SQS queue", "AWS credentials", "Receive", "Output", "SQS metadata");
        for (ConfigField f : SqsSourceConfig.FIELDS) {
            ConfigDef.ConfigKey k = def.configKeys().get(f.name());
            assertThat(k.documentation).isEqualTo(f.doc());
            assertThat(k.group).isEqualTo(f.group());
            assertThat(k.orderInGroup).isEqualTo(f.orderInGroup());
            assertThat(k.displayName).isEqualTo(f.displayName());
            assertThat(k.width).isEqualTo(f.width());
            assertThat(k.validator).isSameAs(f.validator());
            assertThat(k.type).isEqualTo(f.type());
        }
        // the public surface as Connect's REST validate shows it
        assertThat(def.configKeys().get(SqsSourceConfig.MAX_IN_FLIGHT_BYTES).type)
                .isEqualTo(ConfigDef.Type.LONG);
        assertThat(def.configKeys().get(SqsSourceConfig.MAX_IN_FLIGHT_BYTES).defaultValue)
                .isEqualTo(128L << 20);
        assertThat(def.configKeys().get(SqsSourceConfig.MESSAGE_FORMAT).defaultValue)
                .isEqualTo("json");
        assertThat(def.configKeys().get(SqsSourceConfig.FIFO_IDS).defaultValue).isEqualTo("hash");
        assertThat(def.configKeys().get(SqsSourceConfig.ATTRIBUTES_INCLUDE).type)
                .isEqualTo(ConfigDef.Type.LIST);
        assertThat(def.configKeys().get(SqsSourceConfig.FIFO_IDS_HASH_KEY).type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void theVisibilityDocStatesTheShareOfTheTimeoutTheKeeperWaits() {
        VisibilityTimeout timeout = new VisibilityTimeout(40);
        long parts = Duration.ofSeconds(40).toNanos() / timeout.extendAfterNanos();
        assertThat(parts).isEqualTo(4);
        String doc =
                SqsSourceConfig.CONFIG_DEF.configKeys().get(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS).documentation;
        assertThat(doc)
                .contains("after 1/" + parts + " of it gets its visibility extended")
                .doesNotContain("half");
    }

    @Test
    void settingsAreTypedTrimmedAndDefaulted() {
        SqsSourceSettings s = SqsSourceConfig.parse(with(
                SqsSourceConfig.TOPIC,
                "  user-logins ",
                SqsSourceConfig.ATTRIBUTES_INCLUDE,
                " traceId , schemaVersion,traceId ",
                SqsSourceConfig.FIFO_IDS,
                "KEEP",
                SqsSourceConfig.RECEIVE_CONCURRENCY,
                "4",
                SqsSourceConfig.RECEIVE_CONCURRENCY_IDLE,
                "9",
                SqsSourceConfig.RETRY_BACKOFF_MS,
                "500",
                SqsSourceConfig.RETRY_BACKOFF_MAX_MS,
                "200",
                SqsSourceConfig.REGION,
                " eu-west-1 "));
        assertThat(s.output().topic()).isEqualTo("user-logins");
        assertThat(s.output().attributes()).containsExactly("traceId", "schemaVersion");
        assertThat(s.output().fifoIds()).isEqualTo(FifoIds.KEEP);
        assertThat(s.output().format()).isEqualTo(SqsSourceSettings.Format.JSON);
        assertThat(s.output().dlqTopic()).isEmpty();
        assertThat(s.output().messageIdField()).isEmpty();
        assertThat(s.queue().region()).contains("eu-west-1");
        assertThat(s.queue().assumeRoleArn()).isEmpty();
        assertThat(s.queue().assumeRoleSessionName()).isEqualTo("sqs-pii-connect");
        assertThat(s.receive().concurrency()).isEqualTo(4);
        assertThat(s.receive().concurrencyIdle()).as("at most the concurrency").isEqualTo(4);
        assertThat(s.receive().retryBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.receive().retryBackoffMax())
                .as("at least the first backoff")
                .isEqualTo(Duration.ofMillis(500));
        assertThat(s.receive().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.receive().queueDepthInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.receive().visibilityTimeoutSeconds()).isEqualTo(-1);
        assertThat(s.receive().maxInFlightBytes()).isEqualTo(128L << 20);
    }

    @Test
    void settingsAreASnapshotOfTheConfig() {
        Map<String, String> props = valid();
        SqsSourceSettings s = SqsSourceConfig.parse(props);
        props.put(SqsSourceConfig.TOPIC, "elsewhere");
        props.put(SqsSourceConfig.MAX_MESSAGES, "not a number");
        assertThat(s.output().topic()).isEqualTo("user-logins");
        assertThat(s.receive().maxMessages()).isEqualTo(10);
        assertThat(SqsSourceConfig.parse(valid())).isEqualTo(s);
    }

    @Test
    void secretsNeverShowInTheSettingsText() {
        String id = "AKIAIOSFODNN7EXAMPLE";
        String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
        String external = "external-id-4711";
        String hashKey = "0123456789abcdef0123456789abcdef-hash";
        SqsSourceSettings s = SqsSourceConfig.parse(with(
                SqsSourceConfig.QUEUE_URL,
                FIFO_URL,
                SqsSourceConfig.ACCESS_KEY_ID,
                id,
                SqsSourceConfig.SECRET_ACCESS_KEY,
                secret,
                SqsSourceConfig.ASSUME_ROLE_ARN,
                "arn:aws:iam::123456789012:role/sqs-reader",
                SqsSourceConfig.ASSUME_ROLE_EXTERNAL_ID,
                external,
                SqsSourceConfig.FIFO_IDS_HASH_KEY,
                hashKey));
        assertThat(s.queue().secretAccessKey())
                .hasValueSatisfying(p -> assertThat(p.value()).isEqualTo(secret));
        assertThat(s.output().fifoIdsHashKey())
                .hasValueSatisfying(p -> assertThat(p.value()).isEqualTo(hashKey));
        assertThat(s.toString())
                .contains("sqs-reader")
                .doesNotContain(id)
                .doesNotContain(secret)
                .doesNotContain(external)
                .doesNotContain(hashKey);
    }

    @Test
    void theValueSchemaKeyIsDecidedOnceAndBlamedAlikeByValidateAndStart() {
        String bad = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\"}}}";
        Map<String, String> inline = valid();
        inline.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        inline.put(SqsSourceConfig.VALUE_SCHEMA, bad);
        assertThat(SqsSourceConfig.parse(inline).output().valueSchema())
                .hasValueSatisfying(v -> assertThat(v.key()).isEqualTo(SqsSourceConfig.VALUE_SCHEMA));
        assertThat(SqsSourceConfig.parse(valid()).output().valueSchema())
                .hasValueSatisfying(v -> assertThat(v.key()).isEqualTo(SqsSourceConfig.VALUE_SCHEMA_FILE));
        assertThat(SqsSourceConfig.parse(
                                with(SqsSourceConfig.MESSAGE_FORMAT, "string", SqsSourceConfig.VALUE_SCHEMA_FILE, ""))
                        .output()
                        .valueSchema())
                .isEmpty();

        Map<String, List<String>> errors = new SqsSourceConnector()
                .validate(inline).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
        assertThat(errors).containsOnlyKeys(SqsSourceConfig.VALUE_SCHEMA);
        assertThatThrownBy(() -> new SqsSourceConnector().start(inline))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining(
                        "for configuration " + SqsSourceConfig.VALUE_SCHEMA + ": value schema#/properties/a");
    }

    @Test
    void crossKeyProblemsAreReportedOnTheKeyToFixAtStartToo() {
        assertThatThrownBy(() -> SqsSourceConfig.parse(with(SqsSourceConfig.QUEUE_URL, FIFO_URL)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "sqs.fifo.ids.hash.key is required on a FIFO queue with sqs.fifo.ids=hash (or set sqs.fifo.ids "
                                + "to drop or keep)");
        assertThatThrownBy(() -> SqsSourceConfig.parse(with(SqsSourceConfig.FIFO_IDS_HASH_KEY, "short")))
                .hasMessage("sqs.fifo.ids.hash.key must be at least 32 characters");
        Map<String, ConfigValue> values = SqsSourceConfig.CONFIG_DEF.validateAll(
                with(SqsSourceConfig.DLQ_TOPIC, "user-logins", SqsSourceConfig.REGION, "us-east-1"));
        assertThat(SqsSourceConfig.check(values)).isEmpty();
        assertThat(values.get(SqsSourceConfig.DLQ_TOPIC).errorMessages())
                .containsExactly("dlq.topic must differ from " + "topic");
        assertThat(values.get(SqsSourceConfig.REGION).errorMessages())
                .containsExactly(
                        "sqs.region does not match the " + "region of the amazonaws.com host of sqs.queue.url");
        // a single-key error comes first, without the value
        assertThatThrownBy(() -> SqsSourceConfig.parse(with(SqsSourceConfig.MAX_MESSAGES, "ten-hunter2")))
                .hasMessage("Invalid value for configuration sqs.max.messages: Not a number of type INT");
    }
}
