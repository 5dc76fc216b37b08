package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Every config key has ConfigDef documentation and a row in pii-smt's README, which documents the options of both
 * transforms (DecryptFields takes EncryptFields' options but the encrypt-only ones); this README points there.
 */
class ReadmeConfigDocTest {
    @Test
    void everyKeyIsDocumented() throws Exception {
        String shared = Files.readString(Path.of("../pii-smt/README.md"));
        ConfigDef def = new DecryptFields.Value<SourceRecord>().config();
        assertThat(def.configKeys()).isNotEmpty().doesNotContainKey("oversize.dead.letter.topic");
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(shared).as(k.name).contains("| `" + k.name + "` |");
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("../pii-smt/README.md#configuration");
    }
}
