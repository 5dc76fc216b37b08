package io.sqspii.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recipe check finds what Connect would silently ignore or refuse only at registration. */
class ConnectorConfigCheckTest {

    private static PluginClasses plugins;
    private static ConnectorConfigCheck check;

    @BeforeAll
    static void load() {
        plugins = PluginClasses.load(Recipes.root());
        check = new ConnectorConfigCheck(plugins);
    }

    @AfterAll
    static void close() throws IOException {
        plugins.close();
    }

    @Test
    void theCommittedConfigsPass() {
        for (String name : Recipes.connectors()) {
            Map<String, String> config = Recipes.connectConfig(name);
            assertThat(check.problems(config.get("connector.class"), config))
                    .as(name)
                    .isEmpty();
        }
    }

    @Test
    void misspeltKeysUnknownClassesAndDanglingAliasesAreFound() {
        Map<String, String> source = new LinkedHashMap<>(Recipes.connectConfig("user_logins-source"));
        source.put("sqs.visibilty.timeout.seconds", "60");
        source.put("transforms.encryptDeterministic.keyset.fiel", "/x");
        source.put("transforms.rename.type", "org.apache.kafka.connect.transforms.NoSuchTransform$Value");
        source.put("transforms.ghost.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        source.put("topic.creation.default.partitons", "6");
        source.put("topic.creation.default.max.message.bytes", "3145728");
        source.put("value.converter.schemas.enabel", "false");
        assertThat(check.problems(source.get("connector.class"), source))
                .anySatisfy(p -> assertThat(p).startsWith("sqs.visibilty.timeout.seconds:"))
                .anySatisfy(p -> assertThat(p).startsWith("transforms.encryptDeterministic.keyset.fiel:"))
                .anySatisfy(p -> assertThat(p).contains("NoSuchTransform"))
                .anySatisfy(p -> assertThat(p).startsWith("transforms.ghost.type: ghost is not listed"))
                .anySatisfy(p -> assertThat(p).startsWith("topic.creation.default.partitons:"))
                .anySatisfy(p -> assertThat(p).startsWith("value.converter.schemas.enabel:"))
                .noneSatisfy(p -> assertThat(p).startsWith("value.converter.schemas.enable:"))
                .noneSatisfy(p -> assertThat(p).startsWith("topic.creation.default.max.message.bytes"));
        assertThat(check.problems("io.sqspii.sqs.NoSuchConnector", Map.of()))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("cannot be loaded"));
    }
}
