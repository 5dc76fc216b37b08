package io.sqspii.pipeline.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml against connect-config/ without a Docker engine: the files it mounts and
 * registers exist and parse, names and ports agree across files, images are pinned, secrets are not
 * inline. The container run itself is {@link ComposePipelineIT}.
 */
class ComposeFileTest {

    private static final List<String> CONNECTOR_FILES =
            List.of("sqs-source.json", "postgres-sink.json", "rejected-sink.json");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|secret|token|access_key|credential).*");

    private static ComposeProject project;

    @BeforeAll
    static void load() {
        project = ComposeProject.load();
    }

    @Test
    void hasEveryServiceOfTheDesign() {
        Set<String> services = new LinkedHashSet<>();
        project.compose.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services).containsExactlyInAnyOrder("kafka", "sqs", "postgres", "keys", "connect", "register",
                "loader", "reveal", "task-restarter");
    }

    @Test
    void everyImageIsPinnedToATag() {
        List<String> images = new ArrayList<>();
        project.compose.path("services").forEach(s -> {
            if (s.has("image")) {
                images.add(s.get("image").asText());
            }
        });
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(project.text("connect-config/Dockerfile"));
        while (from.find()) {
            images.add(from.group(1));
        }
        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(image)
                .as("image %s", image)
                .matches("[a-z0-9./_-]+:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*")
                .doesNotEndWith(":latest"));
    }

    @Test
    void kafkaImagesMatchTheKafkaVersionOfThePom() {
        String expected = "apache/kafka:" + project.pomProperty("kafka.version");
        assertThat(project.service("kafka").path("image").asText()).isEqualTo(expected);
        assertThat(project.text("connect-config/Dockerfile")).contains("FROM " + expected + " AS connect");
        assertThat(project.service("sqs").path("image").asText())
                .isEqualTo("softwaremill/elasticmq-native:" + project.pomProperty("elasticmq.version"));
    }

    @Test
    void longRunningServicesHaveHealthchecksAndStartInOrder() {
        for (String name : List.of("kafka", "sqs", "postgres", "connect", "reveal")) {
            assertThat(project.service(name).path("healthcheck").path("test").isMissingNode())
                    .as("%s has a healthcheck", name).isFalse();
        }
        assertDependsOn("connect", "kafka", "service_healthy");
        assertDependsOn("connect", "sqs", "service_healthy");
        assertDependsOn("connect", "postgres", "service_healthy");
        assertDependsOn("register", "connect", "service_healthy");
        assertDependsOn("loader", "sqs", "service_healthy");
        assertDependsOn("loader", "register", "service_completed_successfully");
        assertDependsOn("reveal", "postgres", "service_healthy");
    }

    @Test
    void failedTasksAreRestartedByTheRegistrationScriptsRestartMode() {
        JsonNode restarter = project.service("task-restarter");
        assertThat(restarter.path("entrypoint").toString()).contains("/connect-config/register-connectors.sh");
        assertThat(project.environment("task-restarter")).containsKey("RESTART_FAILED_EVERY")
                .containsEntry("CONNECT_URL", project.environment("register").get("CONNECT_URL"));
        assertThat(restarter.path("restart").asText()).isEqualTo("unless-stopped");
        assertThat(project.text("connect-config/register-connectors.sh"))
                .contains("RESTART_FAILED_EVERY").contains("restart?includeTasks=true&onlyFailed=true");
    }

    @Test
    void registerRunsTheRegistrationScriptOnTheConnectorFiles() {
        JsonNode register = project.service("register");
        String entrypoint = register.path("entrypoint").toString() + register.path("command").toString();
        assertThat(entrypoint).contains("/connect-config/register-connectors.sh");
        assertThat(register.path("volumes").toString()).contains("./connect-config:/connect-config:ro");
        assertThat(project.root.resolve("connect-config/register-connectors.sh")).isRegularFile();
        assertThat(URI.create(project.environment("register").get("CONNECT_URL")))
                .hasHost("connect").hasPort(8083);
        assertThat(project.service("connect").path("ports").toString()).contains("8083:8083");

        String script = project.text("connect-config/register-connectors.sh");
        for (String file : CONNECTOR_FILES) {
            JsonNode json = project.connectorJson(file);
            assertThat(json.path("connector.class").asText()).as(file).isNotBlank();
            assertThat(script).as("register-connectors.sh registers %s", file)
                    .containsAnyOf(file, "*.json");
        }
    }

    @Test
    void connectorClassesAreThePluginsTheImageHolds() {
        assertThat(project.connectorJson("sqs-source.json").path("connector.class").asText())
                .isEqualTo("io.sqspii.sqs.SqsSourceConnector");
        assertThat(project.text("sqs-source-connector/src/main/resources/META-INF/services/"
                + "org.apache.kafka.connect.source.SourceConnector")).contains("io.sqspii.sqs.SqsSourceConnector");
        for (String sink : List.of("postgres-sink.json", "rejected-sink.json")) {
            assertThat(project.connectorJson(sink).path("connector.class").asText())
                    .isEqualTo("io.debezium.connector.jdbc.JdbcSinkConnector");
        }
        String ourTransforms = project.text(
                "pii-smt/src/main/resources/META-INF/services/org.apache.kafka.connect.transforms.Transformation");
        for (String file : CONNECTOR_FILES) {
            project.connectorJson(file).properties().forEach(e -> {
                if (e.getKey().matches("transforms\\.[^.]+\\.type") && e.getValue().asText().startsWith("io.sqspii.")) {
                    assertThat(ourTransforms).as("%s in %s", e.getValue().asText(), file)
                            .contains(e.getValue().asText());
                }
            });
        }
        // The image copies local-pipeline's plugin.path, which its pom assembles from the three archives.
        assertThat(project.text("connect-config/Dockerfile"))
                .contains("cp -r local-pipeline/target/plugins /out/plugins");
        String pipelinePom = project.text("local-pipeline/pom.xml");
        String unpacked = pipelinePom.substring(pipelinePom.indexOf("<id>assemble-plugin-path</id>"),
                pipelinePom.indexOf("</artifactItems>"));
        for (String artifact : List.of("sqs-source-connector", "pii-smt", "debezium-connector-jdbc")) {
            assertThat(unpacked).as("plugin.path holds %s", artifact)
                    .contains("<artifactId>" + artifact + "</artifactId>");
        }
        assertThat(unpacked).contains("<type>tar.gz</type>");
    }

    @Test
    void topicsAgreeBetweenSourceAndSinks() {
        JsonNode source = project.connectorJson("sqs-source.json");
        assertThat(source.path("topic").asText()).isEqualTo("user-logins");
        assertThat(project.connectorJson("postgres-sink.json").path("topics").asText())
                .isEqualTo(source.path("topic").asText());
        assertThat(project.connectorJson("rejected-sink.json").path("topics").asText())
                .isEqualTo(source.path("dlq.topic").asText());
    }

    @Test
    void everyEnvReferenceOfTheConnectorsIsSetOnTheConnectService() {
        Map<String, String> connectEnv = project.environment("connect");
        Set<String> referenced = new LinkedHashSet<>();
        for (String file : CONNECTOR_FILES) {
            Matcher m = ENV_REFERENCE.matcher(project.connectorJson(file).toString());
            while (m.find()) {
                referenced.add(m.group(1));
            }
        }
        assertThat(referenced).isNotEmpty();
        assertThat(connectEnv.keySet()).containsAll(referenced);
    }

    @Test
    void queueNameAgreesAcrossElasticMqConfigConnectAndLoader() {
        Set<String> declared = new LinkedHashSet<>();
        String conf = project.text("connect-config/docker/elasticmq.conf");
        String queuesBlock = conf.substring(conf.indexOf("queues {"));
        Matcher m = Pattern.compile("(?m)^  ([A-Za-z0-9_-]+)\\s*\\{").matcher(queuesBlock);
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertThat(declared).contains("login-queue");

        URI queueUrl = URI.create(project.environment("connect").get("SQS_QUEUE_URL"));
        assertThat(queueUrl.getHost()).isEqualTo("sqs");
        assertThat(queueUrl.getPath()).endsWith("/login-queue");
        assertThat(queueUrl.getPort()).isEqualTo(9324);
        assertThat(conf).contains("bind-port = 9324");
        assertThat(project.service("loader").path("command").toString()).contains(queueUrl.toString());
        assertThat(project.root.resolve("datasets/user_logins/sample.jsonl")).isRegularFile();
    }

    @Test
    void databaseAgreesBetweenPostgresAndTheSinks() {
        String db = project.environment("postgres").get("POSTGRES_DB");
        URI jdbc = URI.create(project.environment("connect").get("JDBC_URL").substring("jdbc:".length()));
        assertThat(jdbc.getHost()).isEqualTo("postgres");
        assertThat(jdbc.getPort()).isEqualTo(5432);
        assertThat(jdbc.getPath()).isEqualTo("/" + db);
        assertThat(project.service("postgres").path("healthcheck").toString()).contains("-d " + db);
        assertThat(project.service("postgres").path("volumes").toString())
                .contains("./connect-config/sql/schema.sql:", "./connect-config/sql/roles.sql:");
        for (String sql : List.of("connect-config/sql/schema.sql", "connect-config/sql/roles.sql")) {
            assertThat(project.root.resolve(sql)).isRegularFile();
        }
    }

    @Test
    void noSecretIsInline() {
        project.compose.path("services").properties().forEach(service ->
                project.environment(service.getKey()).forEach((name, value) -> {
                    if (SECRET_NAME.matcher(name).matches() && name.endsWith("_FILE")) {
                        // a file of a compose secret, whose value comes from .env
                        assertThat(value).as("%s.%s", service.getKey(), name).startsWith("/run/secrets/");
                        String secret = value.substring("/run/secrets/".length());
                        assertThat(service.getValue().path("secrets").toString()).as("%s mounts %s",
                                service.getKey(), secret).contains("\"" + secret + "\"");
                        assertThat(project.compose.path("secrets").path(secret).path("environment").asText())
                                .as("secret %s comes from a variable of .env", secret).isNotBlank();
                    } else if (SECRET_NAME.matcher(name).matches()) {
                        assertThat(value).as("%s.%s comes from .env", service.getKey(), name).startsWith("${");
                    }
                }));
        for (String file : CONNECTOR_FILES) {
            project.connectorJson(file).properties().forEach(e -> {
                if (SECRET_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("keyset")
                        || e.getKey().endsWith(".keyset.file") || e.getKey().contains("connection.url")) {
                    assertThat(e.getValue().asText()).as("%s in %s", e.getKey(), file).matches("\\$\\{(env|file):.*}");
                }
            });
        }
        assertThat(project.text(".gitignore")).containsPattern("(?m)^\\.env$");
        String example = project.text(".env.example");
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(project.text("docker-compose.yml"));
        while (required.find()) {
            assertThat(example).as(".env.example defines %s", required.group(1))
                    .containsPattern("(?m)^" + required.group(1) + "=");
        }
        project.compose.path("secrets").properties().forEach(secret -> {
            String variable = secret.getValue().path("environment").asText();
            assertThat(variable).as("secret %s comes from a variable, not a file in the tree", secret.getKey())
                    .isNotBlank();
            assertThat(example).as(".env.example defines %s", variable).containsPattern("(?m)^" + variable + "=");
        });
    }

    @Test
    void theGeneratedKeysetsAreMountedReadOnlyWhereTheConnectorsLookForThem() {
        assertThat(project.service("connect").path("volumes").toString()).contains("pii-keys:/opt/connect/keys:ro");
        assertThat(project.service("reveal").path("volumes").toString()).contains("pii-keys:/opt/reveal/keys:ro");
        assertThat(project.service("keys").path("volumes").toString()).contains("pii-keys:/keys");
        List<String> keysetPaths = project.environment("connect").values().stream()
                .filter(v -> v.startsWith("/opt/connect/keys/")).toList();
        // the names keys-entrypoint.sh writes (pii-<mode>.json), and the reveal service reads
        assertThat(keysetPaths).containsExactlyInAnyOrder("/opt/connect/keys/pii-deterministic.json",
                "/opt/connect/keys/pii-randomized.json");
        assertThat(project.text("connect-config/docker/keys-entrypoint.sh")).contains("file=$dir/pii-$mode.json")
                .contains("for mode in deterministic randomized");
        assertThat(project.text("connect-config/docker/reveal-entrypoint.sh"))
                .contains("/opt/reveal/keys/pii-deterministic.json", "/opt/reveal/keys/pii-randomized.json");
    }

    private static void assertDependsOn(String service, String dependency, String condition) {
        assertThat(project.service(service).path("depends_on").path(dependency).path("condition").asText())
                .as("%s depends on %s", service, dependency).isEqualTo(condition);
    }
}
