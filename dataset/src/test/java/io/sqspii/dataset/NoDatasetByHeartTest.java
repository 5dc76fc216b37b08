package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The modules that serve any dataset know none by heart: their main sources name neither user_logins' tables nor
 * its PII columns (those come from the definition, through the generated connector configs and the PII catalog).
 */
class NoDatasetByHeartTest {

    private static final List<String> MODULES =
            List.of("sqs-source-connector", "reveal-api", "reveal-service", "inspector-gui");

    @Test
    void noMainSourceOfTheServingModulesNamesUserLoginsOrItsPiiColumns() throws Exception {
        Layout l = Layout.of(Fixtures.load("user_logins"));
        List<String> names =
                new ArrayList<>(List.of(l.definition().table(), l.definition().rejectedTable()));
        l.pii().forEach(f -> names.add(f.column()));
        assertThat(names).contains("user_logins", "masked_ip", "masked_device_id");
        List<String> found = new ArrayList<>();
        for (String module : MODULES) {
            Path main = TestDb.REPO.resolve(module).resolve("src/main");
            assertThat(main).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    String text = read(f);
                    names.stream().filter(text::contains).forEach(n -> found.add(TestDb.REPO.relativize(f) + ": " + n));
                });
            }
        }
        assertThat(found).isEmpty();
    }

    private static String read(Path f) {
        try {
            return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
