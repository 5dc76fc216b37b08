package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigsTest {

    @Test
    void userLoginsSinkConfigsAreTheOnesConnectConfigShips() throws Exception {
        Map<String, Map<String, String>> sinks = SinkConfigs.of(Layout.of(Fixtures.load("user_logins")));
        assertThat(sinks).containsOnlyKeys("user_logins-sink", "user_logins-rejected-sink");
        assertThat((JsonNode) Definition.JSON.valueToTree(sinks.get("user_logins-sink")))
                .isEqualTo(file("postgres-sink.json"));
        assertThat((JsonNode) Definition.JSON.valueToTree(sinks.get("user_logins-rejected-sink")))
                .isEqualTo(file("rejected-sink.json"));
    }

    private static JsonNode file(String name) throws Exception {
        return Definition.JSON.readTree(TestDb.REPO.resolve("connect-config").resolve(name).toFile());
    }
}
