package io.sqspii.connect.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * README.md's config table is the ConfigDef's: every key, its type, default and doc, in definition order.
 * On a change, paste the table this test prints on failure between the README's markers.
 */
class ReadmeConfigTableTest {

    private static final String BEGIN = "<!-- config-table:begin (ReadmeConfigTableTest) -->\n";
    private static final String END = "<!-- config-table:end -->";

    @Test
    void theReadmeTableIsTheConfigDef() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertThat(from).as("README.md has the table markers").isNotNegative();
        assertThat(readme.substring(from + BEGIN.length(), to)).isEqualTo(table());
        for (ConfigDef.ConfigKey key : PolicyConfig.DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
    }

    static String table() {
        return "| key | type | default | what it does |\n|---|---|---|---|\n"
                + PolicyConfig.DEF.configKeys().values().stream()
                        .map(k -> "| `" + k.name + "` | " + k.type.name().toLowerCase() + " | " + defaultOf(k) + " | "
                                + k.documentation.replace("|", "\\|") + " |")
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        String value = key.defaultValue == null ? "" : ConfigDef.convertToString(key.defaultValue, key.type);
        return value.isEmpty() ? "(empty)" : "`" + value + "`";
    }

    public static void main(String[] args) {
        System.out.print(table());
    }
}
