package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.dataset.DatasetConnectors;
import io.sqspii.dataset.Definition;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml against connect-config/ and the dataset definitions without a Docker engine: the files
 * it mounts exist, the connectors its datasets service registers (generated from datasets/) find everything they
 * reference, names and ports agree across files, images are pinned, secrets are not inline. The container run
 * itself is {@link ComposePipelineIT}.
 */
class ComposeFileTest {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|access_key|credential).*");

    private static ComposeProject project;

    @BeforeAll
    static void load() {
        project = ComposeProject.load();
    }

    @Test
    void hasEveryServiceOfTheDesign() {
        Set<String> services = new LinkedHashSet<>();
        project.compose.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services)
                .containsExactlyInAnyOrder(
                        "kafka",
                        "sqs",
                        "postgres",
                        "keys",
                        "connect",
                        "datasets",
                        "loader",
                        "reveal",
                        "task-restarter");
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
        assertThat(images)
                .isNotEmpty()
                .allSatisfy(image -> assertThat(image)
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
                    .as("%s has a healthcheck", name)
                    .isFalse();
        }
        assertDependsOn("connect", "kafka", "service_healthy");
        assertDependsOn("connect", "sqs", "service_healthy");
        assertDependsOn("connect", "postgres", "service_healthy");
        assertDependsOn("datasets", "connect", "service_healthy");
        assertDependsOn("datasets", "postgres", "service_healthy");
        assertDependsOn("loader", "sqs", "service_healthy");
        assertDependsOn("loader", "datasets", "service_completed_successfully");
        assertDependsOn("task-restarter", "datasets", "service_completed_successfully");
        assertDependsOn("reveal", "postgres", "service_healthy");
    }

    @Test
    void failedTasksOfEveryRegisteredConnectorAreRestarted() {
        JsonNode restarter = project.service("task-restarter");
        String script = "connect-config/docker/restart-failed-connectors.sh";
        assertThat(restarter.path("volumes").toString())
                .contains("./" + script + ":/opt/restart-failed-connectors.sh:ro");
        assertThat(restarter.path("entrypoint").toString()).contains("/opt/restart-failed-connectors.sh");
        assertThat(project.root.resolve(script)).isRegularFile();
        assertThat(project.environment("task-restarter"))
                .containsKey("RESTART_FAILED_EVERY")
                .containsEntry("CONNECT_URL", "http://connect:8083")
                .containsEntry("CONNECT_PASSWORD_FILE", "/run/secrets/connect_rest_password");
        assertThat(restarter.path("restart").asText()).isEqualTo("unless-stopped");
        // the connectors are the ones Connect lists (whatever dataset apply registered): none is named
        assertThat(project.text(script))
                .contains("\"$connect_url/connectors\"")
                .contains("restart?includeTasks=true&onlyFailed=true");
        project.connectors()
                .keySet()
                .forEach(name -> assertThat(project.text(script)).doesNotContain(name));
    }

    @Test
    void theDatasetsServiceAppliesEveryDefinitionThenRegistersItsConnectorsWithTheRestLogin() {
        JsonNode datasets = project.service("datasets");
        List<String> command = new ArrayList<>();
        datasets.path("command").forEach(a -> command.add(a.asText()));
        assertThat(command.get(0)).isEqualTo("apply");
        // the whole folder: a new definition needs no edit here
        assertThat(command.get(1)).isEqualTo("/datasets");
        assertThat(datasets.path("volumes").toString()).contains("./datasets:/datasets:ro");
        assertThat(option(command, "--dry-run")).isNull();

        String db = project.environment("postgres").get("POSTGRES_DB");
        URI dbUrl = URI.create(option(command, "--db-url").substring("jdbc:".length()));
        assertThat(dbUrl.getHost()).isEqualTo("postgres");
        assertThat(dbUrl.getPort()).isEqualTo(5432);
        assertThat(dbUrl.getPath()).isEqualTo("/" + db);
        assertThat(dbUrl.getQuery()).isNull();
        // the superuser applies it (owners, grants, catalog), with its password from a compose secret
        assertThat(option(command, "--db-user")).isEqualTo("postgres");
        assertSecretFile("datasets", option(command, "--db-password-file"), "POSTGRES_PASSWORD");

        URI connect = URI.create(option(command, "--connect-url"));
        assertThat(connect).hasHost("connect").hasPort(8083);
        assertThat(project.service("connect").path("ports").toString()).contains("8083:8083");
        assertThat(option(command, "--connect-user"))
                .isEqualTo(project.environment("connect").get("CONNECT_REST_USER"));
        assertThat(option(command, "--connect-password-file"))
                .isEqualTo(project.environment("connect").get("CONNECT_REST_PASSWORD_FILE"));
        assertSecretFile("datasets", option(command, "--connect-password-file"), "CONNECT_REST_PASSWORD");

        assertThat(ComposeHealthcheckTest.imageOf(project, "datasets")).startsWith("eclipse-temurin:");
        String dockerfile = project.text("connect-config/Dockerfile");
        String stage = dockerfile.substring(dockerfile.indexOf(" AS datasets"));
        assertThat(stage.substring(0, stage.indexOf("\nFROM ")))
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/dataset/dataset.jar\"]");
        assertThat(dockerfile).contains("cp dataset/target/dataset.jar /out/dataset/");
    }

    @Test
    void connectorClassesAreThePluginsTheImageHolds() {
        String sources = project.text("sqs-source-connector/src/main/resources/META-INF/services/"
                + "org.apache.kafka.connect.source.SourceConnector");
        String ourTransforms = project.text(
                        "pii-smt/src/main/resources/META-INF/services/org.apache.kafka.connect.transforms.Transformation")
                + project.text("sqs-source-connector/src/main/resources/META-INF/services/"
                        + "org.apache.kafka.connect.transforms.Transformation");
        project.connectors().forEach((name, config) -> {
            String connectorClass = config.get("connector.class");
            if (name.endsWith("-source")) {
                assertThat(connectorClass).as(name).isEqualTo("io.sqspii.sqs.SqsSourceConnector");
                assertThat(sources).contains(connectorClass);
            } else {
                assertThat(connectorClass).as(name).isEqualTo("io.debezium.connector.jdbc.JdbcSinkConnector");
            }
            config.forEach((key, value) -> {
                if (key.matches("transforms\\.[^.]+\\.type") && value.startsWith("io.sqspii.")) {
                    assertThat(ourTransforms).as("%s in %s", value, name).contains(value);
                }
            });
        });
        // The image copies local-pipeline's plugin.path, which its pom assembles from the three archives.
        assertThat(project.text("connect-config/Dockerfile"))
                .contains("cp -r local-pipeline/target/plugins /out/plugins");
        String pipelinePom = project.text("local-pipeline/pom.xml");
        String unpacked = pipelinePom.substring(
                pipelinePom.indexOf("<id>assemble-plugin-path</id>"), pipelinePom.indexOf("</artifactItems>"));
        for (String artifact : List.of("sqs-source-connector", "pii-smt", "debezium-connector-jdbc")) {
            assertThat(unpacked)
                    .as("plugin.path holds %s", artifact)
                    .contains("<artifactId>" + artifact + "</artifactId>");
        }
        assertThat(unpacked).contains("<type>tar.gz</type>");
    }

    @Test
    void topicsAgreeBetweenEachSourceAndItsSinks() {
        Map<String, Map<String, String>> connectors = project.connectors();
        for (Definition d : project.definitions()) {
            Map<String, String> source = connectors.get(DatasetConnectors.sourceName(d));
            assertThat(source.get("topic")).isEqualTo(d.topic());
            assertThat(connectors.get(DatasetConnectors.sinkName(d)).get("topics"))
                    .isEqualTo(source.get("topic"));
            assertThat(connectors.get(DatasetConnectors.rejectedSinkName(d)).get("topics"))
                    .isEqualTo(source.get("dlq.topic"));
        }
    }

    @Test
    void everyEnvReferenceOfTheConnectorsIsSetOnTheConnectService() throws Exception {
        Set<String> referenced = new LinkedHashSet<>();
        project.connectors()
                .values()
                .forEach(c -> c.values().forEach(v -> {
                    Matcher m = ENV_REFERENCE.matcher(v);
                    while (m.find()) {
                        referenced.add(m.group(1));
                    }
                }));
        // the keysets: the entrypoint sets PII_<KEYSET>_KEYSET per pii-<keyset>.json, which the keys service makes
        // for each keyset `dataset keysets` lists (ComposeSecretsAndKeysTest runs both)
        Set<String> fromKeyFiles = new LinkedHashSet<>();
        DatasetConnectors.keysets(project.definitions())
                .keySet()
                .forEach(k -> fromKeyFiles.add(DatasetConnectors.keysetEnvironment(k)));
        assertThat(project.text("connect-config/docker/connect-entrypoint.sh"))
                .contains("export \"PII_${name^^}_KEYSET=$file\"");
        Set<String> set = new LinkedHashSet<>(project.environment("connect").keySet());
        set.addAll(fromKeyFiles);
        assertThat(referenced).isNotEmpty().contains("SQS_QUEUE_URL_BASE");
        assertThat(set).containsAll(referenced);
        // and the env provider may read each of them
        Properties worker = new Properties();
        try (Reader in = Files.newBufferedReader(project.root.resolve("connect-config/worker.properties"))) {
            worker.load(in);
        }
        Pattern allowed = Pattern.compile(worker.getProperty("config.providers.env.param.allowlist.pattern"));
        assertThat(referenced)
                .allSatisfy(v -> assertThat(allowed.matcher(v).matches()).as(v).isTrue());
        // the policy reads the catalog and the queue base of the same environment
        assertThat(worker.getProperty("sqspii.policy.source.queue.url.base")).isEqualTo("${env:SQS_QUEUE_URL_BASE}");
        assertThat(worker.getProperty("sqspii.policy.catalog.url")).isEqualTo("${env:JDBC_URL}");
        assertThat(worker.getProperty("sqspii.policy.catalog.user")).isEqualTo("${env:JDBC_USER}");
        assertThat(worker.getProperty("sqspii.policy.source.allowed.endpoint.hosts"))
                .isNull();
    }

    @Test
    void everyDatasetHasItsQueueAndDeadLetterQueueInElasticMq() {
        Set<String> declared = new LinkedHashSet<>();
        String conf = project.text("connect-config/docker/elasticmq.conf");
        String queuesBlock = conf.substring(conf.indexOf("queues {"));
        Matcher m = Pattern.compile("(?m)^  ([A-Za-z0-9_.-]+)\\s*\\{").matcher(queuesBlock);
        while (m.find()) {
            declared.add(m.group(1));
        }
        Set<String> expected = new LinkedHashSet<>();
        for (Definition d : project.definitions()) {
            expected.add(d.queue());
            expected.add(d.queue() + "-dlq");
            assertThat(queuesBlock)
                    .as("redrive of %s", d.queue())
                    .containsPattern("(?s)" + Pattern.quote(d.queue()) + " \\{[^}]*deadLettersQueue \\{\\s*name = \""
                            + Pattern.quote(d.queue() + "-dlq") + "\"");
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(expected);

        // the sources read <base>/<queue>: the base is ElasticMQ's node address and account
        URI base = URI.create(project.environment("connect").get("SQS_QUEUE_URL_BASE"));
        assertThat(base.getHost()).isEqualTo("sqs");
        assertThat(base.getPort()).isEqualTo(9324);
        assertThat(conf)
                .contains("bind-port = 9324")
                .contains("host = sqs")
                .contains("accountId = " + base.getPath().substring(1));
        JsonNode loader = project.service("loader");
        List<String> command = new ArrayList<>();
        loader.path("command").forEach(a -> command.add(a.asText()));
        assertThat(option(command, "--queue-url-base")).isEqualTo(base.toString());
        assertThat(option(command, "--datasets")).isEqualTo("/datasets");
        assertThat(loader.path("volumes").toString()).contains("./datasets:/datasets:ro");
        for (Definition d : project.definitions()) {
            assertThat(project.root.resolve("datasets").resolve(d.name()).resolve("sample.jsonl"))
                    .isRegularFile();
        }
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
        project.compose
                .path("services")
                .properties()
                .forEach(service -> project.environment(service.getKey()).forEach((name, value) -> {
                    if (SECRET_NAME.matcher(name).matches() && name.endsWith("_FILE")) {
                        // a file of a compose secret, whose value comes from .env
                        assertThat(value).as("%s.%s", service.getKey(), name).startsWith("/run/secrets/");
                        String secret = value.substring("/run/secrets/".length());
                        assertThat(service.getValue().path("secrets").toString())
                                .as("%s mounts %s", service.getKey(), secret)
                                .contains("\"" + secret + "\"");
                        assertThat(project.compose
                                        .path("secrets")
                                        .path(secret)
                                        .path("environment")
                                        .asText())
                                .as("secret %s comes from a variable of .env", secret)
                                .isNotBlank();
                    } else if (SECRET_NAME.matcher(name).matches()) {
                        assertThat(value)
                                .as("%s.%s comes from .env", service.getKey(), name)
                                .startsWith("${");
                    }
                }));
        project.connectors()
                .forEach((name, config) -> config.forEach((key, value) -> {
                    if (SECRET_NAME.matcher(key).matches()
                            || key.startsWith("keyset")
                            || key.endsWith(".keyset.file")
                            || key.contains("connection.url")
                            || key.equals("sqs.queue.url")) {
                        assertThat(value).as("%s in %s", key, name).matches("\\$\\{(env|file):.*");
                    }
                }));
        assertThat(project.text(".gitignore")).containsPattern("(?m)^\\.env$");
        String example = project.text(".env.example");
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(project.text("docker-compose.yml"));
        while (required.find()) {
            assertThat(example)
                    .as(".env.example defines %s", required.group(1))
                    .containsPattern("(?m)^" + required.group(1) + "=");
        }
        project.compose.path("secrets").properties().forEach(secret -> {
            String variable = secret.getValue().path("environment").asText();
            assertThat(variable)
                    .as("secret %s comes from a variable, not a file in the tree", secret.getKey())
                    .isNotBlank();
            assertThat(example).as(".env.example defines %s", variable).containsPattern("(?m)^" + variable + "=");
        });
    }

    @Test
    void theGeneratedKeysetsAreMountedReadOnlyWhereTheConnectorsLookForThem() {
        assertThat(project.service("connect").path("volumes").toString()).contains("pii-keys:/opt/connect/keys:ro");
        assertThat(project.environment("connect")).containsEntry("PII_KEYS_DIR", "/opt/connect/keys");
        assertThat(project.environment("connect").keySet()).noneMatch(k -> k.matches("PII_.*_KEYSET"));
        assertThat(project.service("reveal").path("volumes").toString()).contains("pii-keys:/opt/reveal/keys:ro");
        assertThat(project.service("keys").path("volumes").toString())
                .contains("pii-keys:/keys")
                .contains("./datasets:/datasets:ro");
        assertThat(project.environment("keys")).containsEntry("DATASETS_DIR", "/datasets");
        // the names keys-entrypoint.sh writes (pii-<keyset>.json), which connect and reveal list
        assertThat(project.text("connect-config/docker/keys-entrypoint.sh"))
                .contains("file=$dir/pii-$name.json")
                .contains("keysets=$(java -jar \"$dataset_jar\" keysets \"$datasets\")");
        assertThat(project.text("connect-config/docker/read-secret.sh")).contains("for file in \"$dir\"/pii-*.json");
        assertThat(project.text("connect-config/docker/connect-entrypoint.sh")).contains("keyset_files \"$keys_dir\"");
        assertThat(project.text("connect-config/docker/reveal-entrypoint.sh"))
                .contains("keyset_files /opt/reveal/keys")
                .contains("keyset.$name.file=$file");
        String dockerfile = project.text("connect-config/Dockerfile");
        String keys = dockerfile.substring(dockerfile.indexOf(" AS keys"));
        assertThat(keys.substring(0, keys.indexOf("\nFROM ")))
                .contains("/opt/keys/dataset.jar", "/opt/keys/pii-keys.jar");
    }

    /** The value after {@code name} in a command line, or null. */
    private static String option(List<String> command, String name) {
        int i = command.indexOf(name);
        return i < 0 || i + 1 >= command.size() ? null : command.get(i + 1);
    }

    /** A file of a compose secret that the service mounts and that comes from {@code variable} of .env. */
    private static void assertSecretFile(String service, String file, String variable) {
        assertThat(file).startsWith("/run/secrets/");
        String secret = file.substring("/run/secrets/".length());
        assertThat(project.service(service).path("secrets").toString()).contains("\"" + secret + "\"");
        assertThat(project.compose
                        .path("secrets")
                        .path(secret)
                        .path("environment")
                        .asText())
                .isEqualTo(variable);
    }

    private static void assertDependsOn(String service, String dependency, String condition) {
        assertThat(project.service(service)
                        .path("depends_on")
                        .path(dependency)
                        .path("condition")
                        .asText())
                .as("%s depends on %s", service, dependency)
                .isEqualTo(condition);
    }
}
