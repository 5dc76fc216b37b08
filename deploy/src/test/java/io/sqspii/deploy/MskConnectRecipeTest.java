package io.sqspii.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/msk-connect/ against the code: one create-connector request per connector generated from the dataset
 * definitions (connect-config/connectors/), with classes and keys the plugins define, the worker configuration
 * stays within what MSK Connect accepts, and the IAM policy of the source connectors grants exactly the SQS and KMS
 * actions their compiled code calls, on the queues and key their configs name.
 */
class MskConnectRecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Worker keys MSK Connect refuses (its "supported worker configuration properties" page). */
    private static final List<String> MSK_FORBIDDEN_PREFIXES = List.of(
            "access.control.",
            "admin.",
            "admin.listeners.",
            "client.",
            "connect.",
            "inter.worker.",
            "internal.",
            "listeners",
            "metrics.",
            "metric.reporters",
            "rest.",
            "sasl.",
            "security.",
            "socket.",
            "ssl.",
            "topic.tracking.",
            "worker.",
            "bootstrap.servers",
            "config.storage.topic",
            "connections.max.idle.ms",
            "connector.client.config.override.policy",
            "group.id",
            "plugin.path",
            "receive.buffer.bytes",
            "response.http.headers.config",
            "scheduled.rebalance.max.delay.ms",
            "send.buffer.bytes",
            "status.storage.topic");
    /**
     * SDK calls in the plugin code that the worker never makes, and why: AwsKmsAead.encrypt wraps a keyset,
     * which only the pii-keys CLI does (generate, rotate); the worker only unwraps (kms:Decrypt).
     */
    private static final Set<String> NOT_ON_THE_WORKER = Set.of("kms:Encrypt");

    private static PluginClasses plugins;

    @BeforeAll
    static void loadPlugins() {
        plugins = PluginClasses.load(Recipes.root());
    }

    @AfterAll
    static void close() throws IOException {
        plugins.close();
    }

    /**
     * U2: a MySQL or MariaDB driver on the sink's plugin lets a connection.url read the worker's files (LOCAL
     * INFILE). The script builds from local-pipeline's plugin.path, which has none, and refuses a plugin folder
     * that still has one.
     */
    @Test
    void theSinkCustomPluginCarriesNoMysqlOrMariadbDriver(@TempDir Path dir) throws Exception {
        Path plugins = Recipes.root().resolve("local-pipeline/target/plugins");
        Path zip = Recipes.root().resolve("deploy/msk-connect/target/sqs-pii-jdbc-sink-msk-plugin.zip");
        assertThat(buildCustomPlugins(plugins).exitCode()).isZero();
        try (ZipFile sink = new ZipFile(zip.toFile())) {
            assertThat(sink.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".jar")))
                    .anyMatch(n -> n.contains("/postgresql-"))
                    .noneMatch(n ->
                            n.contains("mysql") || n.contains("mariadb") || n.contains("mssql") || n.contains("ojdbc"));
        }
        // a plugin folder with Debezium's MySQL driver put back is refused
        Path copy = dir.resolve("plugins");
        try (Stream<Path> files = Files.walk(plugins)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(plugins.relativize(f).toString()));
            }
        }
        Path sinkDir = copy.resolve("debezium-connector-jdbc");
        try (JarOutputStream fake =
                new JarOutputStream(Files.newOutputStream(sinkDir.resolve("mysql-connector-j-9.1.0.jar")))) {
            fake.putNextEntry(new JarEntry("com/mysql/cj/jdbc/Driver.class"));
            fake.closeEntry();
        }
        Result refused = buildCustomPlugins(copy);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("mysql-connector-j-9.1.0.jar is a JDBC driver other than PostgreSQL's");
    }

    private record Result(int exitCode, String output) {}

    private static Result buildCustomPlugins(Path pluginsDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "sh",
                        Recipes.root()
                                .resolve("deploy/msk-connect/build-custom-plugins.sh")
                                .toString())
                .redirectErrorStream(true);
        builder.environment().put("PLUGINS_DIR", pluginsDir.toString());
        builder.environment()
                .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void theConnectorConfigsAreConnectConfigsWithClassesAndKeysTheCodeKnows() throws IOException {
        ConnectorConfigCheck check = new ConnectorConfigCheck(plugins);
        Set<String> providers =
                Set.of(workerConfig().getProperty("config.providers").split(","));
        Set<String> requests = new TreeSet<>();
        try (Stream<Path> files = Files.list(Recipes.root().resolve(ConnectorRecipes.MSK_CONNECT))) {
            files.filter(ConnectorRecipes::isMskRequest)
                    .forEach(f -> requests.add(ConnectorRecipes.MSK_CONNECT + "/" + f.getFileName()));
        }
        assertThat(requests)
                .containsExactlyInAnyOrderElementsOf(Recipes.connectors().stream()
                        .map(ConnectorRecipes::mskRequest)
                        .toList());
        for (String name : Recipes.connectors()) {
            JsonNode request = request(name);
            assertThat(request.path("connectorName").asText()).isEqualTo(name);
            Map<String, String> config = connectorConfiguration(name);
            assertThat(config.get("connector.class"))
                    .isEqualTo(Recipes.connectConfig(name).get("connector.class"));
            assertThat(config.get("tasks.max"))
                    .isEqualTo(Recipes.connectConfig(name).get("tasks.max"));
            assertThat(check.problems(config.get("connector.class"), config))
                    .as(name)
                    .isEmpty();
            assertThat(Recipes.driftFromConnectConfig(name, config)).as(name).isEmpty();
            assertThat(Recipes.providersReferenced(config))
                    .as(name)
                    .allSatisfy(p -> assertThat(providers).contains(p));
            assertThat(request.path("kafkaClusterClientAuthentication")
                            .path("authenticationType")
                            .asText())
                    .isEqualTo("IAM");
            assertThat(request.path("kafkaClusterEncryptionInTransit")
                            .path("encryptionType")
                            .asText())
                    .isEqualTo("TLS");
        }
    }

    @Test
    void theWorkerConfigurationIsWhatMskConnectAccepts() throws IOException {
        Properties worker = workerConfig();
        assertThat(worker.stringPropertyNames())
                .allSatisfy(key -> assertThat(MSK_FORBIDDEN_PREFIXES)
                        .as("MSK Connect refuses %s", key)
                        .noneSatisfy(prefix -> assertThat(key).startsWith(prefix)));
        Properties shipped = new Properties();
        shipped.load(new StringReader(Recipes.text("connect-config/worker.properties")));
        for (String key : List.of(
                "key.converter",
                "value.converter",
                "value.converter.schemas.enable",
                "producer.acks",
                "producer.enable.idempotence",
                "consumer.max.poll.records")) {
            assertThat(worker.getProperty(key)).as(key).isEqualTo(shipped.getProperty(key));
        }
    }

    @Test
    void theSourcePolicyGrantsExactlyTheSdkCallsTheWorkerMakes() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String plugin : List.of("io.sqspii.sqs.SqsSourceConnector", "io.sqspii.pii.EncryptFields")) {
            Path folder = plugins.folderOf(plugin);
            assertThat(folder).as("plugin folder of %s", plugin).isNotNull();
            jars.addAll(PluginClasses.jars(folder));
        }
        Set<String> called = SdkCalls.iamActions(jars, "io.sqspii");
        assertThat(called)
                .as("SDK calls found in the plugins' code")
                .contains("sqs:ReceiveMessage", "kms:Decrypt")
                .containsAll(NOT_ON_THE_WORKER);
        Set<String> needed = new TreeSet<>(called);
        needed.removeAll(NOT_ON_THE_WORKER);

        JsonNode policy = JSON.readTree(Recipes.text(ConnectorRecipes.MSK_SOURCE_POLICY));
        Set<String> granted = new TreeSet<>();
        for (String sid : List.of("SqsQueue", "KeysetKmsKey")) {
            statement(policy, sid).path("Action").forEach(a -> granted.add(a.asText()));
        }
        assertThat(granted).isEqualTo(needed);
        assertNoWildcards(policy);

        // on the queues and the key of the source connectors' configs, nothing else
        Set<String> queues = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        Set<String> imported = new TreeSet<>();
        assertThat(Recipes.sources()).isNotEmpty();
        for (String name : Recipes.sources()) {
            Map<String, String> source = connectorConfiguration(name);
            URI queue = URI.create(source.get("sqs.queue.url"));
            Matcher host =
                    Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com").matcher(queue.getHost());
            assertThat(host.matches()).as(queue.toString()).isTrue();
            String[] path = queue.getPath().substring(1).split("/");
            queues.add("arn:aws:sqs:" + host.group(1) + ":" + path[0] + ":" + path[1]);
            source.forEach((k, v) -> {
                if (k.endsWith(Target.KEYSET_KMS_URI)) {
                    keys.add(v.substring("aws-kms://".length()));
                }
            });
            // the config provider reads exactly the files the connector configs import
            Matcher s3 = Pattern.compile("\\$\\{s3import:[a-z0-9-]+:([^}]+)}").matcher(source.toString());
            while (s3.find()) {
                imported.add("arn:aws:s3:::" + s3.group(1));
            }
        }
        assertThat(resources(statement(policy, "SqsQueue"))).isEqualTo(queues);
        assertThat(resources(statement(policy, "KeysetKmsKey"))).isEqualTo(keys);
        JsonNode s3Statement = statement(policy, "KeysetObjectsForTheS3ImportConfigProvider");
        assertThat(s3Statement.path("Action").toString()).isEqualTo("[\"s3:GetObject\"]");
        assertThat(resources(s3Statement)).isNotEmpty().isEqualTo(imported);
    }

    @Test
    void theSinkPolicyReadsOnlyThePipelineLoginSecret() throws IOException {
        JsonNode policy = JSON.readTree(Recipes.text("deploy/msk-connect/iam-sink-connector-policy.json"));
        assertNoWildcards(policy);
        assertThat(policy.path("Statement")).hasSize(1);
        JsonNode only = policy.path("Statement").get(0);
        assertThat(only.path("Action").toString()).isEqualTo("[\"secretsmanager:GetSecretValue\"]");
        Set<String> secrets = new TreeSet<>();
        List<String> sinks = Recipes.connectors().stream()
                .filter(n -> !Recipes.sources().contains(n))
                .toList();
        assertThat(sinks).isNotEmpty();
        for (String sink : sinks) {
            Matcher m = Pattern.compile("\\$\\{secretsmanager:([^:}]+):")
                    .matcher(connectorConfiguration(sink).toString());
            while (m.find()) {
                secrets.add(m.group(1));
            }
        }
        assertThat(secrets)
                .singleElement()
                .satisfies(secret -> assertThat(only.path("Resource").asText()).contains(":secret:" + secret + "-"));
    }

    private static void assertNoWildcards(JsonNode policy) {
        policy.path("Statement").forEach(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Action").toString()).doesNotContain("*");
            assertThat(s.path("Resource").toString()).doesNotContain("*");
        });
    }

    /** A statement's Resource, one ARN or a list of them. */
    private static Set<String> resources(JsonNode statement) {
        Set<String> out = new TreeSet<>();
        JsonNode r = statement.path("Resource");
        if (r.isArray()) {
            r.forEach(a -> out.add(a.asText()));
        } else {
            out.add(r.asText());
        }
        return out;
    }

    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode s : policy.path("Statement")) {
            if (s.path("Sid").asText().equals(sid)) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sid);
    }

    private static JsonNode request(String name) throws IOException {
        return JSON.readTree(Recipes.text(ConnectorRecipes.mskRequest(name)));
    }

    private static Map<String, String> connectorConfiguration(String name) throws IOException {
        return JSON.convertValue(
                request(name).path("connectorConfiguration"), new TypeReference<Map<String, String>>() {});
    }

    private static Properties workerConfig() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Recipes.text("deploy/msk-connect/worker-configuration.properties")));
        return p;
    }
}
