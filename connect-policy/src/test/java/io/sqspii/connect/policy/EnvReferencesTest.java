package io.sqspii.connect.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {

    private final EnvReferences env =
            new EnvReferences(Map.of("JDBC_URL", "jdbc:postgresql://db:5432/x", "HOST", "db"));

    @Test
    void resolvesEnvReferencesWholeOrEmbeddedAndLeavesTheRest() {
        assertThat(env.resolve("${env:JDBC_URL}")).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(env.resolve("jdbc:postgresql://${env:HOST}:5432/x")).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(env.resolve("${env:NOT_SET}")).isEqualTo("${env:NOT_SET}");
        assertThat(env.resolve("${file:/etc/passwd:x}")).isEqualTo("${file:/etc/passwd:x}");
        assertThat(env.resolve("${env:a:JDBC_URL}")).isEqualTo("${env:a:JDBC_URL}");
    }

    @Test
    void aSinkUrlGivenThroughTheEnvironmentIsJudgedByTheUrlItResolvesTo() throws Exception {
        PolicyConfig config = new PolicyConfig(Map.of(
                PolicyConfig.ALLOWED_CONNECTOR_CLASSES, "io.debezium.connector.jdbc.JdbcSinkConnector",
                PolicyConfig.JDBC_ALLOWED_URLS, "jdbc:postgresql://db:5432/x"));
        ConnectorPolicy policy = new ConnectorPolicy(
                config,
                new EnvReferences(
                        Map.of("JDBC_URL", "jdbc:postgresql://db:5432/x", "OTHER", "jdbc:postgresql://evil/x")),
                topic -> java.util.Optional.empty()); // sinks never ask the catalog
        Map<String, String> sink = new java.util.HashMap<>(Map.of(
                "connector.class",
                "io.debezium.connector.jdbc.JdbcSinkConnector",
                "connection.url",
                "${env:JDBC_URL}"));
        assertThat(policy.check(sink)).isEmpty();
        sink.put("connection.url", "${env:OTHER}");
        assertThat(policy.check(sink)).isPresent();
    }
}
