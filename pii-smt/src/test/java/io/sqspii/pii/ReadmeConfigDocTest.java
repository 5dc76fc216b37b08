package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Every config key has ConfigDef documentation and a row in the module README. */
class ReadmeConfigDocTest {
    @Test
    void everyKeyIsDocumented() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        ConfigDef def = new EncryptFields.Value<SourceRecord>().config();
        assertThat(def.configKeys()).isNotEmpty();
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(readme).as(k.name).contains("| `" + k.name + "` |");
        }
        assertThat(readme).contains("| `canonicalize.<field path>` |");
    }
}
