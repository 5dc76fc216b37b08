package io.sqspii.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The inspector decrypts nothing: its class path (the app's runtime one; surefire leaves the test-only
 * reveal service out) holds neither the crypto core nor Tink, nor any keyset file. The build's
 * enforcer rule checks the same on the dependency tree.
 */
class NoKeysOnTheClassPathTest {

    @Test
    void noCryptoCoreAndNoTink() {
        assertThat(InspectorApp.class.getName()).isEqualTo("io.sqspii.inspector.InspectorApp");
        for (String name : List.of(
                "io.sqspii.pii.crypto.PiiCipher",
                "io.sqspii.pii.crypto.KeysetSource",
                "com.google.crypto.tink.Aead",
                "com.google.crypto.tink.DeterministicAead",
                "io.sqspii.reveal.RevealServer")) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void noKeysetFileOnTheClassPath() throws IOException {
        List<String> entries =
                Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertThat(entries)
                .isNotEmpty()
                .noneMatch(e -> e.contains("tink")
                        || e.contains("pii-crypto")
                        || e.contains("pii-smt")
                        || e.contains("pii-decrypt-smt")
                        || e.contains("pii-keys")
                        || e.contains("reveal-service"));
        List<Path> keysets = new ArrayList<>();
        for (String e : entries) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".json"))
                            .filter(f -> read(f).contains("\"primaryKeyId\""))
                            .forEach(keysets::add);
                }
            }
        }
        assertThat(keysets).as("Tink keysets on the class path").isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }
}
