package io.sqspii.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the connector configs of the Strimzi and MSK Connect recipes from connect-config/connectors/*.json, which
 * {@code dataset connectors datasets --out connect-config/connectors} generates: three per dataset
 * (&lt;name&gt;-source, &lt;name&gt;-sink, &lt;name&gt;-rejected-sink). Each becomes one Strimzi KafkaConnector and
 * one MSK Connect create-connector request with only deployment values changed ({@link Target}); the MSK source
 * connectors' IAM policy is written too (their queues, the keyset key and the keyset objects they import). Run
 * after regenerating the connectors, from the repository root:
 *
 * <pre>./mvnw -q -pl deploy -am package -DskipTests &amp;&amp; java -jar deploy/target/deploy.jar</pre>
 *
 * The deploy module's tests fail when a committed recipe differs from what this writes.
 */
public final class ConnectorRecipes {

    static final String SOURCE_CLASS = "io.sqspii.sqs.SqsSourceConnector";
    static final String SINK_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String CONNECTORS = "connect-config/connectors";
    static final String STRIMZI_CONNECTORS = "deploy/strimzi/connectors.yaml";
    static final String MSK_CONNECT = "deploy/msk-connect";
    static final String MSK_SOURCE_POLICY = MSK_CONNECT + "/iam-source-connector-policy.json";
    /** The MSK Connect custom plugin of each connector class (deploy/msk-connect/build-custom-plugins.sh). */
    private static final Map<String, String> MSK_PLUGIN =
            Map.of(SOURCE_CLASS, "sqs-pii-source", SINK_CLASS, "sqs-pii-jdbc-sink");

    private static final Pattern SQS_QUEUE_URL =
            Pattern.compile("https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com/([0-9]+)/([^/]+)");
    private static final String STRIMZI_HEADER = """
        # The connectors of connect-config/connectors/*.json (generated from datasets/: three per dataset) as Strimzi
        # KafkaConnector resources: the same keys and values, except where a value depends on the deployment
        # (marked). A resource's name is the connector's with '_' as '-' (Kubernetes names allow no underscore);
        # Strimzi runs the connector under that name. Written by java -jar deploy/target/deploy.jar (the deploy
        # module); its StrimziRecipeTest checks that they match connect-config/connectors/ and that every class and
        # key exists in the plugins' ConfigDefs. Secrets: ${secrets:<namespace>/<secret>:<key>} and ${configmaps:...}
        # are Strimzi's Kubernetes config providers (kafka-connect.yaml); keysets are files mounted from a Secret.
        """;
    private static final Pattern S3_IMPORT = Pattern.compile("\\$\\{s3import:[a-z0-9-]+:([^}]+)}");

    private ConnectorRecipes() {}

    /** Run from the repository root (or name it as the one argument). */
    public static void main(String[] args) throws IOException {
        try {
            Path root = root(Path.of(args.length > 0 ? args[0] : "").toAbsolutePath());
            Map<String, Map<String, String>> connectors = read(root.resolve(CONNECTORS));
            write(root, recipes(connectors));
            System.out.println("wrote " + STRIMZI_CONNECTORS + ", " + MSK_CONNECT + "/connector-*.json and "
                    + MSK_SOURCE_POLICY + " from " + connectors.size() + " connectors of " + CONNECTORS + "/");
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("deploy: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The repository root: {@code start} or the first folder above it with deploy/ and connect-config/connectors/. */
    static Path root(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isDirectory(dir.resolve(CONNECTORS))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository (deploy/ and " + CONNECTORS + "/) at or above " + start);
    }

    /** &lt;name&gt;.json of the folder by name, in name order: what compose and the local pipeline register. */
    static Map<String, Map<String, String>> read(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "no connector in " + folder + ": dataset connectors datasets --out " + CONNECTORS);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            out.put(
                    name.substring(0, name.length() - ".json".length()),
                    json.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, String>>() {}));
        }
        return out;
    }

    /** Every recipe file the connectors give, by path relative to the repository root. */
    static Map<String, String> recipes(Map<String, Map<String, String>> connectors) {
        Map<String, String> out = new TreeMap<>();
        out.put(STRIMZI_CONNECTORS, strimzi(connectors));
        List<Map<String, String>> sources = new ArrayList<>();
        connectors.forEach((name, committed) -> {
            Map<String, String> config = Target.MSK_CONNECT.deployed(committed);
            if (SOURCE_CLASS.equals(committed.get("connector.class"))) {
                sources.add(config);
            }
            out.put(mskRequest(name), Json.pretty(mskRequest(name, committed.get("connector.class"), config)));
        });
        out.put(MSK_SOURCE_POLICY, Json.pretty(sourcePolicy(sources)));
        return out;
    }

    /** Writes the recipes under {@code root}, after removing MSK requests of connectors that are gone. */
    static void write(Path root, Map<String, String> recipes) throws IOException {
        Path msk = Files.createDirectories(root.resolve(MSK_CONNECT));
        try (Stream<Path> stale = Files.list(msk)) {
            for (Path f : stale.filter(ConnectorRecipes::isMskRequest).toList()) {
                Files.delete(f);
            }
        }
        for (Map.Entry<String, String> e : recipes.entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    static String mskRequest(String connector) {
        return MSK_CONNECT + "/connector-" + connector + ".json";
    }

    static boolean isMskRequest(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("connector-") && name.endsWith(".json");
    }

    /** A connector name as a Kubernetes object name (RFC 1123: no underscore); Strimzi names the connector so. */
    static String kubernetesName(String connector) {
        return connector.replace('_', '-');
    }

    private static String strimzi(Map<String, Map<String, String>> connectors) {
        List<String> lines = new ArrayList<>(STRIMZI_HEADER.lines().toList());
        List<String> names = connectors.keySet().stream()
                .map(ConnectorRecipes::kubernetesName)
                .toList();
        if (new TreeSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("two connectors get the same Kubernetes name: " + names);
        }
        connectors.forEach((name, committed) -> {
            Map<String, String> config = new LinkedHashMap<>(committed);
            String connectorClass = config.remove("connector.class");
            String tasks = config.remove("tasks.max");
            lines.addAll(List.of(
                    "---",
                    "apiVersion: kafka.strimzi.io/v1beta2",
                    "kind: KafkaConnector",
                    "metadata:",
                    "  name: " + kubernetesName(name),
                    "  namespace: " + Target.NAMESPACE,
                    "  labels:",
                    "    strimzi.io/cluster: sqs-pii-connect",
                    "spec:",
                    "  class: " + connectorClass,
                    "  tasksMax: " + tasks,
                    "  autoRestart:",
                    "    enabled: true",
                    "  config:"));
            Target.STRIMZI.deployed(config).forEach((key, value) -> {
                String mark = value.equals(config.get(key)) ? "" : "  # deployment";
                lines.add("    " + key + ": " + quoted(value) + mark);
            });
        });
        return String.join("\n", lines) + "\n";
    }

    /** A YAML single-quoted scalar. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static Map<String, Object> mskRequest(String name, String connectorClass, Map<String, String> config) {
        boolean source = SOURCE_CLASS.equals(connectorClass);
        String plugin = MSK_PLUGIN.get(connectorClass);
        if (plugin == null) {
            throw new IllegalArgumentException(name + ": no MSK Connect custom plugin holds " + connectorClass);
        }
        // the valid rows' sink takes the load; the rejected sink and the source one worker each
        boolean validRowsSink = !source && !name.endsWith("-rejected-sink");
        String arn = "arn:aws:kafkaconnect:" + Target.REGION + ":" + Target.ACCOUNT;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("connectorName", name);
        request.put("kafkaConnectVersion", "3.7.x");
        request.put(
                "serviceExecutionRoleArn",
                "arn:aws:iam::" + Target.ACCOUNT + ":role/sqs-pii-connect-" + (source ? "source" : "sink"));
        request.put(
                "plugins",
                List.of(Map.of(
                        "customPlugin",
                        ordered("customPluginArn", arn + ":custom-plugin/" + plugin + "/REPLACE-ME", "revision", 1))));
        request.put(
                "workerConfiguration",
                ordered(
                        "workerConfigurationArn",
                        arn + ":worker-configuration/sqs-pii-connect/REPLACE-ME",
                        "revision",
                        1));
        request.put(
                "capacity",
                Map.of("provisionedCapacity", ordered("mcuCount", 1, "workerCount", validRowsSink ? 2 : 1)));
        request.put(
                "kafkaCluster",
                Map.of(
                        "apacheKafkaCluster",
                        ordered(
                                "bootstrapServers",
                                "b-1.example.kafka." + Target.REGION + ".amazonaws.com:9098",
                                "vpc",
                                ordered(
                                        "subnets",
                                        List.of("subnet-REPLACE-ME"),
                                        "securityGroups",
                                        List.of("sg-REPLACE-ME")))));
        request.put("kafkaClusterClientAuthentication", Map.of("authenticationType", "IAM"));
        request.put("kafkaClusterEncryptionInTransit", Map.of("encryptionType", "TLS"));
        request.put(
                "logDelivery",
                Map.of(
                        "workerLogDelivery",
                        Map.of(
                                "cloudWatchLogs",
                                ordered("enabled", true, "logGroup", "/msk-connect/sqs-pii-connect"))));
        request.put("connectorConfiguration", config);
        return request;
    }

    /** The source connectors' execution role: their queues, the keyset key, the keyset objects they import. */
    private static Map<String, Object> sourcePolicy(List<Map<String, String>> sources) {
        TreeSet<String> queues = new TreeSet<>();
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> objects = new TreeSet<>();
        for (Map<String, String> config : sources) {
            Matcher queue = SQS_QUEUE_URL.matcher(config.get("sqs.queue.url"));
            if (!queue.matches()) {
                throw new IllegalArgumentException("not an SQS queue URL: " + config.get("sqs.queue.url"));
            }
            queues.add("arn:aws:sqs:" + queue.group(1) + ":" + queue.group(2) + ":" + queue.group(3));
            config.forEach((key, value) -> {
                if (key.endsWith(Target.KEYSET_KMS_URI)) {
                    keys.add(value.substring("aws-kms://".length()));
                }
                Matcher imported = S3_IMPORT.matcher(value);
                while (imported.find()) {
                    objects.add("arn:aws:s3:::" + imported.group(1));
                }
            });
        }
        return ordered(
                "Version",
                "2012-10-17",
                "Statement",
                List.of(
                        statement(
                                "SqsQueue",
                                List.of(
                                        "sqs:ReceiveMessage",
                                        "sqs:DeleteMessage",
                                        "sqs:ChangeMessageVisibility",
                                        "sqs:GetQueueAttributes"),
                                queues),
                        statement("KeysetKmsKey", List.of("kms:Decrypt"), keys),
                        statement("KeysetObjectsForTheS3ImportConfigProvider", List.of("s3:GetObject"), objects)));
    }

    private static Map<String, Object> statement(String sid, List<String> actions, TreeSet<String> resources) {
        return ordered("Sid", sid, "Effect", "Allow", "Action", actions, "Resource", List.copyOf(resources));
    }

    /** A JSON object with its members in the given order (name, value, name, value, ...). */
    private static Map<String, Object> ordered(Object... nameValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.put((String) nameValues[i], nameValues[i + 1]);
        }
        return out;
    }
}
