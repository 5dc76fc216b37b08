package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

    private static String error(Validator v, Object value) {
        return error(v, "k", value);
    }

    private static String error(Validator v, String key, Object value) {
        try {
            v.ensureValid(key, value);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void optionalLetsEmptyAndUnsetThroughAndDescribesItself() {
        Validator topic = Validators.optional(Validators.topic());
        assertThat(error(topic, null)).isNull();
        assertThat(error(topic, "")).isNull();
        assertThat(error(topic, "user-logins")).isNull();
        assertThat(error(topic, "user logins"))
                .isEqualTo("Invalid value for configuration k: not a valid Kafka topic "
                        + "name (letters, digits, '.', '_', '-'; at most 249)");
        assertThat(topic).hasToString("empty or a Kafka topic name");
        assertThat(error(Validators.topic(), null))
                .as("required without optional")
                .isNotNull();
    }

    @Test
    void allReportsTheFirstRuleThatFails() {
        Validator url = Validators.sqsQueueUrl();
        assertThat(error(url, "")).endsWith("the queue URL is required");
        assertThat(error(url, "https://sqs.eu-west-1.amazonaws.com/1/bad name")).endsWith("not a valid URL");
        assertThat(error(url, "ftp://h/1/q")).contains("must be an http or https URL with a host");
        assertThat(error(url, "https://h/1")).endsWith("the URL path must be /<account-id>/<queue-name>");
        assertThat(error(url, "https://h/1/q?x=1")).endsWith("the URL must not have a query or fragment");
        assertThat(error(url, "https://h/1/q.txt")).contains("the queue name may hold only letters");
        assertThat(error(url, "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo"))
                .isNull();
        assertThat(url).hasToString("http(s)://<host>/<account-id>/<queue-name>");
    }

    @Test
    void rangeKeepsKafkasWordingWithoutTheValue() {
        Validator r = Validators.range(1, 10);
        assertThat(error(r, 0)).isEqualTo("Invalid value for configuration k: Value must be at least 1");
        assertThat(error(r, 11L)).isEqualTo("Invalid value for configuration k: Value must be no more than 10");
        assertThat(error(r, null)).endsWith("Value must be non-null");
        assertThat(error(r, 10)).isNull();
        assertThat(r).hasToString("[1,...,10]");
    }

    @Test
    void oneOfTakesItsWordsFromTheEnum() {
        Validator exact = Validators.oneOf(SqsSourceSettings.Format.class);
        assertThat(exact).hasToString("[json, string]");
        assertThat(error(exact, "json")).isNull();
        assertThat(error(exact, "JSON")).endsWith("String must be one of: json, string");
        Validator anyCase = Validators.oneOfIgnoringCase(FifoIds.class);
        assertThat(anyCase).hasToString("[drop, hash, keep] (any case)");
        assertThat(error(anyCase, "Hash")).isNull();
        assertThat(error(anyCase, "md5")).endsWith("String must be one of: drop, hash, keep (any case)");
    }

    @Test
    void secretsAreReadAsTheirValueAndListEntriesByPosition() {
        assertThat(Validators.text(null)).isEmpty();
        assertThat(Validators.text(new Password("s3cr3t"))).isEqualTo("s3cr3t");
        assertThat(error(Validators.secret(), new Password("two words")))
                .endsWith("contains whitespace or control " + "characters");
        assertThat(error(Validators.secret(), new Password(""))).isNull();
        assertThat(error(Validators.sqsAttributeNames(), List.of("traceId", "bad name", "x")))
                .isEqualTo("Invalid value for configuration k: entry 2 is not an SQS message attribute name (letters, "
                        + "digits, '_', '-', '.'; at most 256)");
        assertThat(error(Validators.sqsAttributeNames(), List.of())).isNull();
    }

    /**
     * Every key's validator, fed random secret-shaped values (as text, as a password, as a list entry): whatever it
     * refuses, its error never holds the value. A validator that quoted its value would fail on the first refusal.
     */
    @Test
    void noValidatorOfAnyKeyQuotesTheValueItRefuses() {
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :/.?=&-_{}$@\t";
        List<String> values = new ArrayList<>(ValidationEchoAttackTest.SECRETS);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder("Zq");
            for (int n = 8 + random.nextInt(40); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(sb.toString());
        }
        int refused = 0;
        for (ConfigField f : SqsSourceConfig.FIELDS) {
            for (String value : values) {
                Object typed = switch (f.type()) {
                    case PASSWORD -> new Password(value);
                    case LIST -> List.of("ok", value);
                    default -> value;
                };
                String error = error(f.validator(), f.name(), typed);
                if (error != null) {
                    refused++;
                    assertThat(error)
                            .as(f.name())
                            .startsWith("Invalid value for configuration " + f.name() + ": ")
                            .doesNotContain(value)
                            .doesNotContain(value.trim());
                }
            }
        }
        assertThat(refused)
                .as("the values were refused, or the test proves nothing")
                .isGreaterThan(1000);
    }

    @Test
    void validatorsAcceptTheirDefaults() {
        for (ConfigField f : SqsSourceConfig.FIELDS) {
            if (f.defaultValue() != ConfigField.REQUIRED) {
                assertThatCode(() -> SqsSourceConfig.CONFIG_DEF
                                .configKeys()
                                .get(f.name())
                                .validator
                                .ensureValid(
                                        f.name(),
                                        SqsSourceConfig.CONFIG_DEF.configKeys().get(f.name()).defaultValue))
                        .as(f.name())
                        .doesNotThrowAnyException();
            }
        }
        assertThatThrownBy(() -> Validators.nonEmpty().ensureValid("k", ""))
                .hasMessageEndingWith("String must be " + "non-empty");
    }
}
