package io.sqspii.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connect.KafkaConnectSpec;
import io.strimzi.api.kafka.model.connect.build.DockerOutput;
import io.strimzi.api.kafka.model.connect.build.Plugin;
import io.strimzi.api.kafka.model.connect.build.TgzArtifact;
import io.strimzi.api.kafka.model.connect.build.ZipArtifact;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/strimzi/ read with Strimzi's own API model (io.strimzi:api): every field is one the model knows
 * (it keeps unknown ones aside instead of failing; {@link StrimziModel} finds them), the image build takes our released plugin archives and the
 * Debezium sink at the pom's version, and the KafkaConnectors are the connectors generated from the dataset
 * definitions (connect-config/connectors/, one resource each) with every class and key known to the code.
 */
class StrimziRecipeTest {

    private static final ObjectMapper YAML = new YAMLMapper();

    private static PluginClasses plugins;
    private static KafkaConnect connect;
    private static List<KafkaConnector> connectors;

    @BeforeAll
    static void parse() throws IOException {
        plugins = PluginClasses.load(Recipes.root());
        connect = YAML.readValue(Recipes.text("deploy/strimzi/kafka-connect.yaml"), KafkaConnect.class);
        connectors = new ArrayList<>();
        for (JsonNode doc : documents(ConnectorRecipes.STRIMZI_CONNECTORS)) {
            connectors.add(YAML.treeToValue(doc, KafkaConnector.class));
        }
    }

    @AfterAll
    static void close() throws IOException {
        plugins.close();
    }

    @Test
    void everyFieldIsOneStrimziKnows() throws IOException {
        assertThat(StrimziModel.unknownFields(connect)).isEmpty();
        for (KafkaConnector connector : connectors) {
            assertThat(StrimziModel.unknownFields(connector))
                    .as(connector.getMetadata().getName())
                    .isEmpty();
        }
        // the model keeps an unknown field instead of failing: the walk finds it
        KafkaConnect misspelt = YAML.readValue("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaConnect
                metadata:
                  name: x
                spec:
                  replicas: 1
                  bootstrapServrs: kafka:9092
                  build:
                    output:
                      type: docker
                      image: registry.example.com/x:1
                      pushSecrit: s
                """, KafkaConnect.class);
        assertThat(StrimziModel.unknownFields(misspelt))
                .containsExactlyInAnyOrder(
                        "KafkaConnect.spec.bootstrapServrs", "KafkaConnect.spec.build.output.pushSecrit");
    }

    @Test
    void theConnectClusterBuildsItsImageFromTheReleasedArchives() {
        assertThat(connect.getKind()).isEqualTo("KafkaConnect");
        assertThat(connect.getMetadata().getNamespace()).isEqualTo(Target.NAMESPACE);
        assertThat(connect.getApiVersion()).startsWith("kafka.strimzi.io/");
        assertThat(connect.getMetadata().getAnnotations()).containsEntry("strimzi.io/use-connector-resources", "true");
        KafkaConnectSpec spec = connect.getSpec();
        assertThat(spec.getBuild().getOutput()).isInstanceOf(DockerOutput.class);
        Map<String, Plugin> byName = new LinkedHashMap<>();
        spec.getBuild().getPlugins().forEach(p -> byName.put(p.getName(), p));
        assertThat(byName).containsOnlyKeys("sqs-source-connector", "pii-smt", "debezium-connector-jdbc");

        for (String module : List.of("sqs-source-connector", "pii-smt")) {
            assertThat(byName.get(module).getArtifacts())
                    .singleElement()
                    .isInstanceOfSatisfying(
                            ZipArtifact.class,
                            a -> assertThat(a.getUrl())
                                    .as("%s: the module's plugin zip, never the decrypt one", module)
                                    .matches(".*/" + module + "-[0-9][^/]*-plugin\\.zip")
                                    .doesNotContain("decrypt"));
        }
        String debezium = Recipes.pomProperty("debezium.version");
        assertThat(byName.get("debezium-connector-jdbc").getArtifacts())
                .singleElement()
                .isInstanceOfSatisfying(TgzArtifact.class, a -> {
                    assertThat(a.getUrl())
                            .isEqualTo("https://repo1.maven.org/maven2/io/debezium/debezium-connector-jdbc/" + debezium
                                    + "/debezium-connector-jdbc-" + debezium + "-plugin.tar.gz");
                    assertThat(a.getSha512sum()).hasSize(128);
                });
    }

    @Test
    void theWorkerConfigIsLockedDownAndAllowedByStrimzi() {
        Map<String, Object> config = connect.getSpec().getConfig();
        List<String> forbidden = Arrays.stream(KafkaConnectSpec.FORBIDDEN_PREFIXES.split(",\\s*"))
                .toList();
        assertThat(config.keySet())
                .allSatisfy(key -> assertThat(forbidden)
                        .as("Strimzi forbids %s", key)
                        .noneSatisfy(prefix -> assertThat(key).startsWith(prefix)));
        assertThat(config).containsEntry("connector.client.config.override.policy", "None");
        // the same client settings as connect-config/worker.properties
        Properties worker = new Properties();
        try {
            worker.load(new java.io.StringReader(Recipes.text("connect-config/worker.properties")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String key : List.of(
                "key.converter",
                "value.converter",
                "producer.acks",
                "producer.enable.idempotence",
                "consumer.max.poll.records",
                "connector.client.config.override.policy")) {
            assertThat(String.valueOf(config.get(key))).as(key).isEqualTo(worker.getProperty(key));
        }
        // Providers: Strimzi's Kubernetes ones only, no env or file provider.
        assertThat(String.valueOf(config.get("config.providers"))).isEqualTo("secrets,configmaps");
        assertThat(config)
                .containsEntry("config.providers.secrets.class", "io.strimzi.kafka.KubernetesSecretConfigProvider")
                .containsEntry(
                        "config.providers.configmaps.class", "io.strimzi.kafka.KubernetesConfigMapConfigProvider");
        // Metrics: the exporter rules of deploy/prometheus, by key
        assertThat(connect.getSpec().getMetricsConfig())
                .isInstanceOfSatisfying(
                        JmxPrometheusExporterMetrics.class,
                        m -> assertThat(m.getValueFrom().getConfigMapKeyRef().getKey())
                                .isEqualTo("connect-jmx-exporter.yml"));
        assertThat(Recipes.root().resolve("deploy/prometheus/connect-jmx-exporter.yml"))
                .isRegularFile();
    }

    @Test
    void theConnectorsAreTheGeneratedConnectorsWithClassesAndKeysTheCodeKnows() {
        // one resource per generated connector; Kubernetes names allow no underscore
        Map<String, String> generatedByResource = new LinkedHashMap<>();
        Recipes.connectors().forEach(n -> generatedByResource.put(ConnectorRecipes.kubernetesName(n), n));
        assertThat(generatedByResource).hasSameSizeAs(Recipes.connectors());
        assertThat(connectors)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(generatedByResource.keySet());
        ConnectorConfigCheck check = new ConnectorConfigCheck(plugins);
        for (KafkaConnector connector : connectors) {
            String name = generatedByResource.get(connector.getMetadata().getName());
            assertThat(connector.getMetadata().getLabels())
                    .as(name)
                    .containsEntry("strimzi.io/cluster", connect.getMetadata().getName());
            Map<String, String> committed = Recipes.connectConfig(name);
            assertThat(connector.getSpec().getClassName()).as(name).isEqualTo(committed.get("connector.class"));
            assertThat(connector.getSpec().getTasksMax())
                    .as(name)
                    .isEqualTo(Integer.parseInt(committed.get("tasks.max")));
            Map<String, String> config = strings(connector.getSpec().getConfig());
            assertThat(check.problems(connector.getSpec().getClassName(), config))
                    .as(name)
                    .isEmpty();
            assertThat(Recipes.driftFromConnectConfig(name, config)).as(name).isEmpty();
            assertThat(Recipes.providersReferenced(config))
                    .as(name)
                    .allSatisfy(p -> assertThat(
                                    String.valueOf(connect.getSpec().getConfig().get("config.providers"))
                                            .split(","))
                            .as("provider %s is configured on the worker", p)
                            .contains(p));
        }
    }

    @Test
    void everySecretAndConfigMapTheConnectorsReadIsGrantedAndEveryFileIsMounted() throws IOException {
        List<JsonNode> rbac = documents("deploy/strimzi/rbac.yaml");
        JsonNode role = rbac.stream()
                .filter(d -> d.path("kind").asText().equals("Role"))
                .findFirst()
                .orElseThrow();
        Map<String, List<String>> granted = new LinkedHashMap<>();
        role.path("rules")
                .forEach(rule -> rule.path("resources")
                        .forEach(res -> rule.path("resourceNames")
                                .forEach(n -> granted.computeIfAbsent(res.asText(), k -> new ArrayList<>())
                                        .add(n.asText()))));
        assertThat(role.toString()).doesNotContain("\"list\"", "\"watch\"", "\"*\"");

        List<String> mounts = new ArrayList<>();
        YAML.readTree(Recipes.text("deploy/strimzi/kafka-connect.yaml"))
                .at("/spec/template/connectContainer/volumeMounts")
                .forEach(m -> mounts.add(m.path("mountPath").asText() + "/"));
        Pattern ref = Pattern.compile("\\$\\{(secrets|configmaps):([^/]+)/([^:]+):[^}]+}");
        for (KafkaConnector connector : connectors) {
            for (String value : strings(connector.getSpec().getConfig()).values()) {
                Matcher m = ref.matcher(value);
                while (m.find()) {
                    assertThat(m.group(2)).isEqualTo(connect.getMetadata().getNamespace());
                    assertThat(granted.getOrDefault(m.group(1), List.of()))
                            .as(value)
                            .contains(m.group(3));
                }
                if (value.startsWith("/")) {
                    assertThat(mounts).as("%s is on a mounted volume", value).anySatisfy(value::startsWith);
                }
            }
        }
        JsonNode binding = rbac.stream()
                .filter(d -> d.path("kind").asText().equals("RoleBinding"))
                .findFirst()
                .orElseThrow();
        // Strimzi names the workers' service account <cluster>-connect.
        assertThat(binding.at("/subjects/0/name").asText())
                .isEqualTo(connect.getMetadata().getName() + "-connect");
    }

    @Test
    void theRevealServiceRunsTheContractsJarWithKeysReadOnly() throws IOException {
        JsonNode deployment = documents("deploy/strimzi/reveal-service.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("command").toString())
                .contains("\"-jar\",\"/opt/reveal/reveal-service.jar\",\"--config\"");
        assertThat(container.path("volumeMounts")).allSatisfy(m -> {
            if (!m.path("mountPath").asText().equals("/tmp")) {
                assertThat(m.path("readOnly").asBoolean()).as(m.toString()).isTrue();
            }
        });
        assertThat(container.at("/readinessProbe/httpGet/scheme").asText()).isEqualTo("HTTPS");
    }

    private static List<JsonNode> documents(String relative) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(Recipes.text(relative))) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Map<String, String> strings(Map<String, Object> config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
