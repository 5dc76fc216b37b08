package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What keeps the compose stack from being open on a LAN or started with placeholder passwords: loopback-bound
 * ports, a named database volume, scripts that a Windows checkout cannot break, files the images copy that
 * exist, and the PostgreSQL init script refusing change-me passwords (run here with bash, as the postgres
 * image runs it).
 */
class ComposeHardeningTest {

    private final ComposeProject project = ComposeProject.load();

    @Test
    void everyPublishedPortIsBoundToLoopback() {
        List<String> published = new ArrayList<>();
        project.compose
                .path("services")
                .properties()
                .forEach(s -> s.getValue().path("ports").forEach(p -> published.add(s.getKey() + " " + p.asText())));
        assertThat(published)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).as(p).matches("\\S+ 127\\.0\\.0\\.1:(\\d+|\\$\\{[^}]+}):\\d+"));
    }

    @Test
    void postgresKeepsItsDataInANamedVolume() {
        assertThat(project.service("postgres").path("volumes").toString())
                .contains("postgres-data:/var/lib/postgresql/data");
        assertThat(project.compose.path("volumes").has("postgres-data")).isTrue();
    }

    @Test
    void scriptsKeepLfLineEndingsAndTheirExecBit() throws IOException {
        String attributes = project.text(".gitattributes");
        assertThat(attributes)
                .containsPattern("(?m)^\\*\\.sh\\s+text eol=lf$")
                .containsPattern("(?m)^Dockerfile\\s+text eol=lf$")
                .containsPattern("(?m)^mvnw\\s+text eol=lf$");
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(project.root.resolve("connect-config"))) {
            scripts = new ArrayList<>(
                    files.filter(f -> f.toString().endsWith(".sh")).toList());
        }
        scripts.add(project.root.resolve("deploy/msk-connect/build-custom-plugins.sh"));
        scripts.add(project.root.resolve("connect-config/Dockerfile"));
        for (Path script : scripts) {
            assertThat(Files.readString(script))
                    .as("%s has LF line endings", script)
                    .doesNotContain("\r");
        }
        for (String entrypoint : List.of(
                "connect-config/docker/connect-entrypoint.sh",
                "connect-config/docker/reveal-entrypoint.sh",
                "connect-config/docker/keys-entrypoint.sh",
                "connect-config/docker/postgres-init/00-check-passwords.sh",
                "connect-config/docker/postgres-init/30-logins.sh",
                "connect-config/docker/restart-failed-connectors.sh")) {
            assertThat(Files.isExecutable(project.root.resolve(entrypoint)))
                    .as("%s is executable", entrypoint)
                    .isTrue();
        }
    }

    @Test
    void everyFileTheDockerfileCopiesFromTheCheckoutExists() {
        String dockerfile = project.text("connect-config/Dockerfile");
        Matcher copy =
                Pattern.compile("(?m)^COPY\\s+(?!--from)(?:--\\S+\\s+)*(.+)$").matcher(dockerfile);
        int checked = 0;
        while (copy.find()) {
            String[] parts = copy.group(1).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) { // the last is the destination
                if (!parts[i].equals(".")) {
                    assertThat(project.root.resolve(parts[i]))
                            .as("COPY %s", parts[i])
                            .exists();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void postgresInitRefusesPlaceholderAndShortPasswords() throws Exception {
        Map<String, String> good = new HashMap<>();
        for (String var : List.of(
                "POSTGRES_PASSWORD",
                "PIPELINE_DB_PASSWORD",
                "ANALYST_DB_PASSWORD",
                "PII_READER_DB_PASSWORD",
                "PII_AUDITOR_DB_PASSWORD",
                "REVEAL_SERVICE_DB_PASSWORD")) {
            good.put(var, "a-real-password-" + var.length());
        }
        // every variable the script checks is one compose passes to the postgres service
        assertThat(project.environment("postgres").keySet()).containsAll(good.keySet());
        assertThat(runInit(good).exitCode()).isZero();

        Map<String, String> placeholder = new HashMap<>(good);
        placeholder.put("PII_AUDITOR_DB_PASSWORD", "change-me-auditor");
        Result refused = runInit(placeholder);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output())
                .contains("PII_AUDITOR_DB_PASSWORD", "change-me")
                .doesNotContain("a-real-password");

        Map<String, String> shortOne = new HashMap<>(good);
        shortOne.put("PIPELINE_DB_PASSWORD", "short");
        assertThat(runInit(shortOne).output()).contains("PIPELINE_DB_PASSWORD is shorter than 12 characters");

        Map<String, String> missing = new HashMap<>(good);
        missing.remove("ANALYST_DB_PASSWORD");
        assertThat(runInit(missing).output()).contains("ANALYST_DB_PASSWORD is not set");
    }

    @Test
    void theExampleEnvFileWouldBeRefused() throws Exception {
        Map<String, String> example = new HashMap<>();
        for (String line : project.text(".env.example").split("\n")) {
            if (!line.startsWith("#") && line.contains("=")) {
                example.put(
                        line.substring(0, line.indexOf('=')),
                        line.substring(line.indexOf('=') + 1).trim());
            }
        }
        assertThat(runInit(example).exitCode()).isNotZero();
        JsonNode secrets = project.compose.path("secrets");
        secrets.properties()
                .forEach(s -> assertThat(
                                example.get(s.getValue().path("environment").asText()))
                        .as("the example value of secret %s", s.getKey())
                        .startsWith("change-me"));
    }

    private record Result(int exitCode, String output) {}

    private Result runInit(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        project.root
                                .resolve("connect-config/docker/postgres-init/00-check-passwords.sh")
                                .toString())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
