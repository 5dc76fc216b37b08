package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * Attack (review B3): a Connect REST user puts {@code ${env:JDBC_PASSWORD}} (or any allow-listed secret) into a
 * key whose validator refuses it, hoping the error quotes the resolved value. Every key of the connector is
 * tried with secrets shaped to fail its validator; no error, and no exception the task would report, quotes them.
 */
class ValidationEchoAttackTest {

    /** Resolved secrets of the shapes a worker's environment holds: a password, a JDBC URL, a plain word. */
    static final List<String> SECRETS = List.of(
            "Pa55 w0rd!secret-JDBC",
            "jdbc:postgresql://db:5432/x?password=hunter2",
            "s3cr3tw0rdvalue",
            "secret-with-$-and-{braces}",
            "99999999999",
            "-7",
            "arn:aws:iam::12:role/leak-me");

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "sqs");
        p.put(SqsSourceConfig.QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue");
        p.put(SqsSourceConfig.TOPIC, "user-logins");
        p.put(SqsSourceConfig.DLQ_TOPIC, "user-logins.dlq");
        p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, SourceProps.schemaFile());
        return p;
    }

    @Test
    void aSecretResolvedIntoAnyKeyIsNeverEchoedByValidation() {
        int refused = 0;
        for (ConfigDef.ConfigKey k : SqsSourceConfig.CONFIG_DEF.configKeys().values()) {
            for (String secret : SECRETS) {
                Map<String, String> props = valid();
                props.put(k.name, secret);
                Config c = new SqsSourceConnector().validate(props);
                for (ConfigValue v : c.configValues()) {
                    for (String m : v.errorMessages()) {
                        refused++;
                        assertThat(m)
                                .as(k.name + " with a secret")
                                .doesNotContain(secret)
                                .doesNotContain("hunter2");
                    }
                }
                try {
                    SqsSourceConfig.parse(props);
                } catch (ConfigException e) {
                    assertThat(e.getMessage())
                            .as(k.name + " at start")
                            .doesNotContain(secret)
                            .doesNotContain("hunter2");
                }
            }
        }
        assertThat(refused)
                .as("the secrets were refused somewhere, or the test proves nothing")
                .isGreaterThan(20);
    }

    @Test
    void aSecretAsTheSchemaFileIsNeverEchoedWhenItCannotBeRead() {
        Map<String, String> props = valid();
        props.put(SqsSourceConfig.VALUE_SCHEMA_FILE, "/no/such/dir/hunter2-secret");
        Config c = new SqsSourceConnector().validate(props);
        assertThat(c.configValues())
                .flatMap(ConfigValue::errorMessages)
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).doesNotContain("hunter2"));
        assertThatThrownBy(() -> new SqsSourceConnector().start(props))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
