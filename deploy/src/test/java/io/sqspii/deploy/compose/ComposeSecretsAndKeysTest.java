package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sqspii.dataset.DatasetConnectors;
import io.sqspii.dataset.PiiMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack's side of the review's host and secret findings, without a Docker engine: what is
 * published (B2), the 12-character minimum of the container secrets (B15), the sinks' database password
 * kept out of the env provider's reach (B3), and keysets made per install instead of the committed dev ones
 * (B16). The scripts run here with bash, as the containers run them.
 */
class ComposeSecretsAndKeysTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|access_key|credential).*");

    private final ComposeProject project = ComposeProject.load();

    @Test
    void hostUsersCannotReachKafkaOrElasticMqByDefault() throws IOException {
        List<String> published = new ArrayList<>();
        project.compose
                .path("services")
                .properties()
                .forEach(s -> s.getValue().path("ports").forEach(p -> published.add(s.getKey() + " " + p.asText())));
        assertThat(published).isNotEmpty().noneMatch(p -> p.matches(".*:(9092|9093|9094|9324)$"));
        Map<String, String> kafka = project.environment("kafka");
        assertThat(kafka.get("KAFKA_LISTENERS")).isEqualTo("PLAINTEXT://:9092,CONTROLLER://:9093");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).doesNotContain("localhost");
        // docker compose would load these without being asked (an override) or instead of docker-compose.yml
        for (String implicit : List.of(
                "docker-compose.override.yml",
                "docker-compose.override.yaml",
                "compose.override.yml",
                "compose.override.yaml",
                "compose.yml",
                "compose.yaml")) {
            assertThat(project.root.resolve(implicit)).as(implicit).doesNotExist();
        }
        // the opt-in publishes both on loopback only, and says what that costs
        JsonNode optIn = YAML.readTree(
                project.root.resolve("docker-compose.host-access.yml").toFile());
        assertThat(optIn.path("services").path("kafka").path("ports").toString())
                .isEqualTo("[\"127.0.0.1:9094:9094\"]");
        assertThat(optIn.path("services").path("sqs").path("ports").toString()).isEqualTo("[\"127.0.0.1:9324:9324\"]");
        assertThat(project.text("docker-compose.host-access.yml")).contains("Never with real data");
        assertThat(project.text("docker-compose.yml"))
                .contains("-f docker-compose.yml -f docker-compose.host-access.yml");
    }

    @Test
    void shortRestAndKeystorePasswordsAreRefusedAtStart() throws Exception {
        assertThat(project.text("connect-config/docker/connect-entrypoint.sh"))
                .contains("read_secret \"${CONNECT_REST_PASSWORD_FILE:?");
        assertThat(project.text("connect-config/docker/reveal-entrypoint.sh"))
                .contains("read_secret \"$password_file\" REVEAL_TLS_KEYSTORE_PASSWORD");
        for (String name : List.of("CONNECT_REST_PASSWORD", "REVEAL_TLS_KEYSTORE_PASSWORD", "PIPELINE_DB_PASSWORD")) {
            Result elevenChars = readSecret("abcdefghijk", name);
            assertThat(elevenChars.exitCode()).as(name).isNotZero();
            assertThat(elevenChars.output())
                    .contains(name, "shorter than 12 characters")
                    .doesNotContain("abcdefghijk");
            Result twelve = readSecret("abcdefghijkl", name);
            assertThat(twelve.exitCode()).isZero();
            assertThat(twelve.output()).isEqualTo("abcdefghijkl");
            assertThat(readSecret("change-me-connect-rest", name).output()).contains("change-me");
            assertThat(readSecret("", name).exitCode()).isNotZero();
            assertThat(readSecret("first-line-ok\nsecond-line", name).output()).contains("line break");
        }
    }

    @Test
    void theDatabasePasswordIsNoVariableTheEnvProviderCanReach() throws Exception {
        Properties worker = new Properties();
        try (Reader in = Files.newBufferedReader(project.root.resolve("connect-config/worker.properties"))) {
            worker.load(in);
        }
        Pattern allowed = Pattern.compile(worker.getProperty("config.providers.env.param.allowlist.pattern"));
        assertThat(allowed.matcher("JDBC_PASSWORD").matches()).isFalse();
        project.environment("connect").keySet().stream()
                .filter(v -> allowed.matcher(v).matches())
                .forEach(v -> assertThat(v).as("env provider reaches %s", v).doesNotMatch(SECRET_NAME));
        // compose hands the connect service the password only as a secret file
        assertThat(project.environment("connect").values()).noneMatch(v -> v.contains("PIPELINE_DB_PASSWORD"));
        assertThat(project.environment("connect"))
                .containsEntry("PIPELINE_DB_PASSWORD_FILE", "/run/secrets/pipeline_db_password");
        String secretsDir = worker.getProperty("config.providers.file.param.allowed.paths");
        List<Map<String, String>> sinks = project.connectors().values().stream()
                .filter(c -> c.get("connector.class").equals("io.debezium.connector.jdbc.JdbcSinkConnector"))
                .toList();
        assertThat(sinks)
                .hasSize(2 * project.definitions().size())
                .allSatisfy(sink -> assertThat(sink.get("connection.password"))
                        .isEqualTo("${file:" + secretsDir + "/jdbc.properties:password}"));
        // the connector policy reads the PII catalog with the same login and password file
        assertThat(worker.getProperty("sqspii.policy.catalog.password"))
                .isEqualTo("${file:" + secretsDir + "/jdbc.properties:password}");
        assertThat(project.text("connect-config/docker/connect-entrypoint.sh"))
                .contains("write_property_file " + secretsDir + "/jdbc.properties password \"$db_password\"");
    }

    @Test
    void thePasswordFileReadsBackAsThePassword(@TempDir Path dir) throws Exception {
        for (String password : List.of(
                "plain-password-1",
                "back\\slash\\\\end\\",
                "  leading spaces!",
                "=:#!key=value: x",
                "ünïcødé-pässwörd")) {
            Path file = dir.resolve("jdbc.properties");
            Files.deleteIfExists(file);
            Result written = bash(
                    ". '" + script("read-secret.sh") + "' && write_property_file \"$1\" password \"$2\"",
                    Map.of(),
                    file.toString(),
                    password);
            assertThat(written.exitCode()).as(written.output()).isZero();
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
            assertThat(props.getProperty("password")).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void composeNeverEncryptsWithTheCommittedDevKeysets(@TempDir Path dir) throws Exception {
        project.compose
                .path("services")
                .properties()
                .forEach(s -> assertThat(s.getValue().path("volumes").toString())
                        .as("volumes of %s", s.getKey())
                        .doesNotContain("dev/keys"));
        String gid = project.environment("keys").get("PII_KEYS_GID");
        for (String service : List.of("connect", "reveal")) {
            assertThat(project.service(service)
                            .path("depends_on")
                            .path("keys")
                            .path("condition")
                            .asText())
                    .isEqualTo("service_completed_successfully");
            assertThat(project.service(service).path("group_add").toString()).contains("\"" + gid + "\"");
        }

        Path install = Files.createDirectories(dir.resolve("install-1"));
        Result first = makeKeys(install);
        assertThat(first.exitCode()).as(first.output()).isZero();
        // one file per keyset the definitions name (the shipped ones: the default names, one per mode)
        Map<String, PiiMode> named = DatasetConnectors.keysets(project.definitions());
        assertThat(named).isNotEmpty();
        try (var files = Files.list(install)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(named.keySet().stream()
                            .map(k -> "pii-" + k + ".json")
                            .toList());
        }
        Map<String, String> made = new HashMap<>();
        for (String mode : named.keySet()) {
            Path keyset = install.resolve("pii-" + mode + ".json");
            String json = Files.readString(keyset);
            made.put(mode, json);
            assertThat(json)
                    .isNotEqualTo(
                            Files.readString(project.root.resolve("connect-config/dev/keys/pii-" + mode + ".json")));
            assertThat(new ObjectMapper().readTree(json).path("key").isArray()).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset)))
                    .isEqualTo("r--r-----");
            assertThat(Files.getAttribute(keyset, "unix:gid").toString()).isEqualTo(ownGid());
            assertThat(first.output())
                    .doesNotContain(new ObjectMapper()
                            .readTree(json)
                            .path("key")
                            .get(0)
                            .path("keyData")
                            .path("value")
                            .asText());
        }
        // a restart keeps them (rows stay decryptable); another install gets its own
        Result again = makeKeys(install);
        assertThat(again.output()).contains("exists, kept");
        for (String mode : made.keySet()) {
            assertThat(Files.readString(install.resolve("pii-" + mode + ".json")))
                    .isEqualTo(made.get(mode));
        }
        Path other = Files.createDirectories(dir.resolve("install-2"));
        assertThat(makeKeys(other).exitCode()).isZero();
        assertThat(Files.readString(other.resolve("pii-deterministic.json"))).isNotEqualTo(made.get("deterministic"));

        // connect and reveal find them by the same names: PII_<KEYSET>_KEYSET, keyset.<keyset>.file
        Result listed =
                bash(". '" + script("read-secret.sh") + "' && keyset_files \"$1\"", Map.of(), install.toString());
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output().lines())
                .containsExactlyInAnyOrderElementsOf(named.keySet().stream()
                        .map(k -> k + " " + install.resolve("pii-" + k + ".json"))
                        .toList());
        Result none = bash(
                ". '" + script("read-secret.sh") + "' && keyset_files \"$1\"",
                Map.of(),
                Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.output()).contains("no keyset");
    }

    @Test
    void theKeysServiceRefusesDefinitionsThatNameNoKeysetItCanMake(@TempDir Path dir) throws Exception {
        Result result = bash(
                "exec bash '" + script("keys-entrypoint.sh") + "'",
                Map.of(
                        "PII_KEYS_DIR",
                        dir.toString(),
                        "PII_KEYS_GID",
                        ownGid(),
                        "PII_KEYS_JAR",
                        jar("pii-keys/target/pii-keys.jar").toString(),
                        "DATASET_JAR",
                        jar("dataset/target/dataset.jar").toString(),
                        "DATASETS_DIR",
                        Files.createDirectories(dir.resolve("no-definitions")).toString()));
        assertThat(result.exitCode()).isNotZero();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("pii-")))
                    .isEmpty();
        }
    }

    /** U2, U6: the image's worker can load neither MirrorMaker nor a MySQL/MariaDB driver. */
    @Test
    void theConnectImageHasNoMirrorMakerAndNoMysqlOrMariadbDriver() {
        String dockerfile = project.text("connect-config/Dockerfile");
        String connectStage = dockerfile.substring(dockerfile.indexOf(" AS connect"), dockerfile.indexOf(" AS keys"));
        assertThat(connectStage)
                .contains("rm -f /opt/kafka/libs/connect-mirror-*.jar")
                .contains("if ls /opt/kafka/libs | grep -q '^connect-mirror'; then");
        // the plugins it copies are local-pipeline's plugin.path, whose unpack leaves the drivers out
        assertThat(dockerfile)
                .contains("cp -r local-pipeline/target/plugins /out/plugins")
                .contains("-name 'mysql-connector-*.jar' -o -name 'mariadb-java-client-*.jar'");
        String pom = project.text("local-pipeline/pom.xml");
        assertThat(pom).contains("<excludes>**/mysql-connector-j-*.jar,**/mariadb-java-client-*.jar");
    }

    private Result makeKeys(Path dir) throws Exception {
        return bash(
                "exec bash '" + script("keys-entrypoint.sh") + "'",
                Map.of(
                        "PII_KEYS_DIR",
                        dir.toString(),
                        "PII_KEYS_GID",
                        ownGid(),
                        "PII_KEYS_JAR",
                        jar("pii-keys/target/pii-keys.jar").toString(),
                        "DATASET_JAR",
                        jar("dataset/target/dataset.jar").toString(),
                        "DATASETS_DIR",
                        project.root.resolve("datasets").toString()));
    }

    /** A runnable jar of the build (./mvnw -pl deploy -am package builds pii-keys.jar and dataset.jar). */
    private Path jar(String relative) {
        Path jar = project.root.resolve(relative);
        assertThat(jar).as("%s (./mvnw -pl deploy -am package)", relative).isRegularFile();
        return jar;
    }

    private static String ownGid() throws Exception {
        Process p = new ProcessBuilder("id", "-g").start();
        String gid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return gid;
    }

    private Result readSecret(String value, String name) throws Exception {
        Path file = Files.createTempFile("secret", ".txt");
        try {
            Files.writeString(file, value);
            return bash(
                    ". '" + script("read-secret.sh") + "' && read_secret \"$1\" \"$2\"",
                    Map.of(),
                    file.toString(),
                    name);
        } finally {
            Files.delete(file);
        }
    }

    private String script(String name) {
        return project.root.resolve("connect-config/docker").resolve(name).toString();
    }

    private record Result(int exitCode, String output) {}

    private static Result bash(String command, Map<String, String> environment, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", "set -euo pipefail; " + command, "bash"));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment()
                .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
