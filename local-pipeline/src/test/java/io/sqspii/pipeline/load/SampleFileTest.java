package io.sqspii.pipeline.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pipeline.load.SyntheticLogins.Generated;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * datasets/user_logins/sample.jsonl (what docker compose's loader sends) is exactly the generator's output
 * for {@link SyntheticLogins#SAMPLE_SEED}, so it can be reproduced. To rewrite it after changing the generator, run
 * this test with {@code -Dload.sample.write=true}.
 */
class SampleFileTest {

    private static final Path SAMPLE = LoginRules.PROJECT.resolve("datasets/user_logins/sample.jsonl");

    @BeforeAll
    static void rewriteWhenAsked() throws Exception {
        if (Boolean.getBoolean("load.sample.write")) {
            Files.writeString(SAMPLE, SyntheticLogins.sampleFile(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theCommittedSampleIsTheGeneratorsOutputForTheDocumentedSeed() throws Exception {
        assertThat(Files.readString(SAMPLE, StandardCharsets.UTF_8)).isEqualTo(SyntheticLogins.sampleFile());
    }

    @Test
    void theSampleHoldsValidLoginsAndEveryKindOfJunkOnePerLine() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
        List<Generated> generated = SyntheticLogins.generateLabelled(
                SyntheticLogins.SAMPLE_SEED, SyntheticLogins.SAMPLE_COUNT, SyntheticLogins.SAMPLE_SHARE);
        assertThat(lines).hasSize(300).noneMatch(String::isBlank);
        long malformed =
                lines.stream().filter(l -> LoginRules.rejection(l) != null).count();
        assertThat(malformed).isEqualTo(18);
        assertThat(generated)
                .filteredOn(g -> !g.valid())
                .extracting(Generated::kind)
                .containsAll(List.of(SyntheticLogins.Kind.values()).subList(1, SyntheticLogins.Kind.values().length));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(LoginRules.rejection(lines.get(i)) == null)
                    .as("line %d", i + 1)
                    .isEqualTo(generated.get(i).valid());
        }
    }
}
