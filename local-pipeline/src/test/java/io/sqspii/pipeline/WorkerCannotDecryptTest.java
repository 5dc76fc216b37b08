package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's Connect worker cannot be made to decrypt: neither its plugin.path nor its class path holds
 * DecryptFields, as a class or as a META-INF/services entry, nor the pii-decrypt-smt or pii-keys jars (the reveal
 * service in the launcher's JVM is not on the worker's class path either).
 */
class WorkerCannotDecryptTest {

    @Test
    void pluginPathAndWorkerClassPathHoldNoDecryptFields() throws IOException {
        PipelineLayout layout = PipelineLayout.fromSystemProperties();
        List<Path> pluginJars;
        try (Stream<Path> s = Files.walk(layout.pluginsDir())) {
            pluginJars = s.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        List<String> plugin = namesIn(pluginJars);
        assertThat(plugin)
                .as("the scan sees our transforms")
                .contains("io.sqspii.pii.EncryptFields$Value.class", "service io.sqspii.pii.EncryptFields$Value");
        assertThat(plugin).noneMatch(n -> n.contains("DecryptFields"));
        assertThat(pluginJars)
                .as("no decrypting module on plugin.path")
                .noneMatch(p -> p.getFileName().toString().startsWith("pii-decrypt-smt")
                        || p.getFileName().toString().startsWith("pii-keys"));

        List<Path> classPath = new ArrayList<>();
        for (String entry : layout.childClassPath().split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                classPath.add(Path.of(entry));
            }
        }
        assertThat(classPath)
                .as("the worker's class path")
                .isNotEmpty()
                .noneMatch(p -> p.getFileName().toString().startsWith("pii-")
                        || p.getFileName().toString().startsWith("reveal-service")
                        || p.getFileName().toString().startsWith("tink"));
        assertThat(namesIn(classPath)).noneMatch(n -> n.contains("io.sqspii"));
    }

    /** Class names and services-file lines of the jars. */
    private static List<String> namesIn(List<Path> jars) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path jar : jars) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                for (ZipEntry e : z.stream().toList()) {
                    if (e.getName().endsWith(".class")) {
                        out.add(e.getName().replace('/', '.'));
                    } else if (e.getName().startsWith("META-INF/services/") && !e.isDirectory()) {
                        new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8)
                                .lines()
                                .map(String::strip)
                                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                .forEach(l -> out.add("service " + l));
                    }
                }
            }
        }
        return out;
    }
}
