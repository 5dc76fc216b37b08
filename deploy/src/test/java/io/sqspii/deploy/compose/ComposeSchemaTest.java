package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the Compose Specification's own JSON schema (test resources, its source and
 * commit in compose-spec/README.md): what {@code docker compose config} would refuse, found without a
 * Docker engine.
 */
class ComposeSchemaTest {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() {
        // Loaded by location, so that the schema's relative $id (compose_spec.json) has a base to resolve on.
        assertThat(ComposeSchemaTest.class.getResource("/compose-spec/compose-spec.json"))
                .as("compose-spec.json in test resources")
                .isNotNull();
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
    }

    @Test
    void theComposeFileIsValid() {
        List<Error> errors = schema.validate(ComposeProject.load().text("docker-compose.yml"), InputFormat.YAML);
        assertThat(errors).extracting(Error::toString).isEmpty();
    }

    @Test
    void theHostAccessOverrideIsValid() {
        List<Error> errors =
                schema.validate(ComposeProject.load().text("docker-compose.host-access.yml"), InputFormat.YAML);
        assertThat(errors).extracting(Error::toString).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatComposeRefuses() {
        // A misspelt healthcheck key, a depends_on condition Compose does not know, a misspelt service key.
        String broken = """
                services:
                  sqs:
                    image: softwaremill/elasticmq-native:1.7.1
                    healthcheck:
                      tset: ["CMD", "true"]
                  connect:
                    image: apache/kafka:4.3.1
                    depends_on:
                      sqs:
                        condition: service_ready
                    portz:
                      - "127.0.0.1:8083:8083"
                """;
        List<Error> errors = schema.validate(broken, InputFormat.YAML);
        assertThat(errors)
                .extracting(Error::toString)
                .anySatisfy(e -> assertThat(e).contains("tset"))
                .anySatisfy(e -> assertThat(e).contains("/depends_on/sqs/condition"))
                .anySatisfy(e -> assertThat(e).contains("portz"));
    }
}
