package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class SqsSourceConnectorTest {

    private static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue";

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "sqs");
        p.put(SqsSourceConfig.QUEUE_URL, URL);
        p.put(SqsSourceConfig.TOPIC, "user-logins");
        p.put(SqsSourceConfig.DLQ_TOPIC, "user-logins.dlq");
        p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, SourceProps.schemaFile());
        return p;
    }

    /** Error messages per key, as Connect's REST validate endpoint would show them. */
    private static Map<String, List<String>> errors(Map<String, String> props) {
        Config c = new SqsSourceConnector().validate(props);
        return c.configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static Map<String, List<String>> errorsWith(String key, String value) {
        Map<String, String> p = valid();
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        return errors(p);
    }

    @Test
    void aValidConfigHasNoErrors() {
        assertThat(errors(valid())).isEmpty();
    }

    @Test
    void everyKeyIsDocumentedTypedAndHasImportance() {
        ConfigDef def = new SqsSourceConnector().config();
        assertThat(def.configKeys()).hasSizeGreaterThan(20);
        def.configKeys().values().forEach(k -> {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.type).as(k.name).isNotNull();
            assertThat(k.importance).as(k.name).isNotNull();
            assertThat(k.validator).as(k.name + " validator").isNotNull();
            assertThat(k.hasDefault()
                            || k.name.equals(SqsSourceConfig.QUEUE_URL)
                            || k.name.equals(SqsSourceConfig.TOPIC))
                    .as(k.name + " has a default (only the queue and the topic are required)")
                    .isTrue();
        });
        assertThat(def.configKeys().get(SqsSourceConfig.SECRET_ACCESS_KEY).type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get(SqsSourceConfig.MAX_MESSAGES).defaultValue)
                .isEqualTo(10);
        assertThat(def.configKeys().get(SqsSourceConfig.WAIT_TIME_SECONDS).defaultValue)
                .isEqualTo(20);
    }

    @Test
    void badQueueUrlsAreReportedOnTheUrlKey() {
        assertThat(errorsWith(SqsSourceConfig.QUEUE_URL, null).get(SqsSourceConfig.QUEUE_URL))
                .anySatisfy(m -> assertThat(m).contains("Missing required configuration \"sqs.queue.url\""));
        assertThat(errorsWith(SqsSourceConfig.QUEUE_URL, "login-queue").get(SqsSourceConfig.QUEUE_URL))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("must be an http or https URL"));
        assertThat(errorsWith(SqsSourceConfig.QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/login-queue")
                        .get(SqsSourceConfig.QUEUE_URL))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("the URL path must be /<account-id>/<queue-name>"));
        assertThat(errorsWith(SqsSourceConfig.QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/1/bad name")
                        .get(SqsSourceConfig.QUEUE_URL))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not a valid URL"));
    }

    @Test
    void badRegionsAreReportedOnTheRegionKey() {
        assertThat(errorsWith(SqsSourceConfig.REGION, "Europe").get(SqsSourceConfig.REGION))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not an AWS region name such as eu-west-1"));
        assertThat(errorsWith(SqsSourceConfig.REGION, "us-east-1").get(SqsSourceConfig.REGION))
                .singleElement()
                .isEqualTo("sqs.region does not match the region of the amazonaws.com host of sqs.queue.url");
        assertThat(errorsWith(SqsSourceConfig.REGION, "eu-west-1")).isEmpty();
    }

    @Test
    void rangesAndEnumsAreChecked() {
        assertThat(errorsWith(SqsSourceConfig.MAX_MESSAGES, "11").get(SqsSourceConfig.MAX_MESSAGES))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("Value must be no more than 10"));
        assertThat(errorsWith(SqsSourceConfig.WAIT_TIME_SECONDS, "21").get(SqsSourceConfig.WAIT_TIME_SECONDS))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("Value must be no more than 20"));
        assertThat(errorsWith(SqsSourceConfig.MESSAGE_FORMAT, "xml").get(SqsSourceConfig.MESSAGE_FORMAT))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("String must be one of: json, string"));
        assertThat(errorsWith(SqsSourceConfig.ASSUME_ROLE_ARN, "role/x").get(SqsSourceConfig.ASSUME_ROLE_ARN))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not an IAM role ARN"));
        assertThat(errorsWith(SqsSourceConfig.ENDPOINT_OVERRIDE, "localhost:9324")
                        .get(SqsSourceConfig.ENDPOINT_OVERRIDE))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("must be an http or https URL with a host"));
        assertThat(errorsWith(SqsSourceConfig.TOPIC, null).get(SqsSourceConfig.TOPIC))
                .isNotEmpty();
        assertThat(errorsWith(SqsSourceConfig.TOPIC, "user logins").get(SqsSourceConfig.TOPIC))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not a valid Kafka topic name"));
        assertThat(errorsWith(SqsSourceConfig.DLQ_TOPIC, "dlq/x").get(SqsSourceConfig.DLQ_TOPIC))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not a valid Kafka topic name"));
        Map<String, String> p = valid();
        p.put(SqsSourceConfig.ACCESS_KEY_ID, "AKIAEXAMPLE");
        p.put(SqsSourceConfig.SECRET_ACCESS_KEY, "s3cr3t value");
        assertThat(errors(p).get(SqsSourceConfig.SECRET_ACCESS_KEY))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("contains whitespace").doesNotContain("s3cr3t"));
        assertThat(errorsWith(SqsSourceConfig.DLQ_TOPIC, "user-logins").get(SqsSourceConfig.DLQ_TOPIC))
                .containsExactly("dlq.topic must differ from topic");
    }

    @Test
    void aHalfStaticKeyPairIsReported() {
        assertThat(errorsWith(SqsSourceConfig.ACCESS_KEY_ID, "AKIAEXAMPLE").get(SqsSourceConfig.SECRET_ACCESS_KEY))
                .containsExactly("sqs.access.key.id and sqs.secret.access.key must be set together");
    }

    @Test
    void badSchemasAreReportedOnTheSchemaKey() {
        assertThat(errorsWith(SqsSourceConfig.VALUE_SCHEMA_FILE, "/nonexistent/schema.json")
                        .get(SqsSourceConfig.VALUE_SCHEMA_FILE))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("cannot read the schema file"));
        assertThat(errorsWith(SqsSourceConfig.VALUE_SCHEMA_FILE, null).get(SqsSourceConfig.VALUE_SCHEMA_FILE))
                .containsExactly(
                        "a value schema (value.schema.file or value.schema) is required when message.format=json");

        Map<String, String> p = valid();
        p.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        p.put(SqsSourceConfig.VALUE_SCHEMA, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\"}}}");
        assertThat(errors(p).get(SqsSourceConfig.VALUE_SCHEMA))
                .containsExactly(
                        "Invalid value schema: value schema#/properties/a: an array needs items (the schema of its elements)");
        p.put(
                SqsSourceConfig.VALUE_SCHEMA,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"," + "\"pattern\":\"x\"}}}");
        assertThat(errors(p).get(SqsSourceConfig.VALUE_SCHEMA))
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .contains("value schema#/properties/a/pattern: unsupported keyword; the supported "
                                + "keywords are type, properties, required, items, enum, format, minLength, maxLength, minItems, "
                                + "maxItems, minimum, exclusiveMinimum, maximum, exclusiveMaximum, additionalProperties, title, "
                                + "description, $comment, examples, deprecated, readOnly, writeOnly, x-pii"));
        p.put(SqsSourceConfig.VALUE_SCHEMA, "{\"type\":\"object\",}");
        assertThat(errors(p).get(SqsSourceConfig.VALUE_SCHEMA))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("the schema is not valid JSON"));
        p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, SourceProps.schemaFile());
        assertThat(errors(p).get(SqsSourceConfig.VALUE_SCHEMA))
                .containsExactly("set only one of value.schema.file and value.schema");

        p = valid();
        p.put(SqsSourceConfig.MESSAGE_FORMAT, "string");
        p.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        assertThat(errors(p)).isEmpty();
    }

    @Test
    void theMessageIdFieldIsCheckedAgainstTheFormatAndTheSchema() {
        assertThat(errorsWith(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "message_id"))
                .isEmpty();
        assertThat(errorsWith(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "message id")
                        .get(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("not a field name"));
        assertThat(errorsWith(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "ip").get(SqsSourceConfig.VALUE_SCHEMA_FILE))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("\"ip\" is declared by the schema"));
        Map<String, String> p = valid();
        p.put(SqsSourceConfig.MESSAGE_FORMAT, "string");
        p.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        p.put(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "message_id");
        assertThat(errors(p).get(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD))
                .containsExactly("value.message.id.field applies to message.format=json only");
    }

    @Test
    void startRejectsAnInvalidConfigAndTaskConfigsAreIdentical() {
        SqsSourceConnector c = new SqsSourceConnector();
        Map<String, String> bad = valid();
        bad.put(SqsSourceConfig.VALUE_SCHEMA_FILE, "/nonexistent/schema.json");
        assertThatThrownBy(() -> c.start(bad))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot read the schema file");

        c.start(valid());
        List<Map<String, String>> configs = c.taskConfigs(3);
        assertThat(configs).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<String, String> expected = new HashMap<>(valid());
            expected.put(SqsSourceConfig.TASK_INDEX, Integer.toString(i));
            assertThat(configs.get(i)).isEqualTo(expected);
        }
        assertThat(c.taskClass()).isEqualTo(SqsSourceTask.class);
        assertThat(c.version()).isNotBlank().isNotEqualTo("unknown");
    }

    @Test
    void regionComesFromTheQueueUrlOrTheConfig() {
        assertThat(SqsSourceSettings.regionFromUrl(URL)).contains("eu-west-1");
        assertThat(SqsSourceSettings.regionFromUrl("https://us-gov-west-1.queue.amazonaws.com/1/q"))
                .contains("us-gov-west-1");
        assertThat(SqsSourceSettings.regionFromUrl("http://127.0.0.1:9324/000000000000/q"))
                .isEmpty();
        SqsSourceSettings.Queue local = SqsSourceConfig.parse(Map.of(
                        SqsSourceConfig.QUEUE_URL,
                        "http://127.0.0.1:9324/000000000000/q",
                        SqsSourceConfig.TOPIC,
                        "t",
                        SqsSourceConfig.MESSAGE_FORMAT,
                        "string"))
                .queue();
        assertThat(local.endpoint())
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:9324"));
        assertThat(local.signingRegion()).isEmpty();
        SqsSourceSettings.Queue aws = SqsSourceConfig.parse(valid()).queue();
        assertThat(aws.endpoint()).isEmpty();
        assertThat(aws.signingRegion()).contains("eu-west-1");
    }

    @Test
    void theReadmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (ConfigDef.ConfigKey k : SqsSourceConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(readme)
                    .as(k.name)
                    .contains("| `" + k.name + "` | " + k.type.name().toLowerCase(java.util.Locale.ROOT) + " | ");
        }
        assertThat(readme).contains(ConfigDocs.markdown());
    }
}
