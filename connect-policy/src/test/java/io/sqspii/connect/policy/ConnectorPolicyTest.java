package io.sqspii.connect.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.dataset.TransformPath;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped policy (connect-config/worker.properties) against the shipped connector configs and the
 * review's ways around the encryption. The attacks against a real worker, reading the PII catalog from a real
 * database, are local-pipeline's ConnectorPolicyIT; this covers each rule's edge cases without starting one, over
 * the catalog rows that applying the two shipped datasets writes.
 */
class ConnectorPolicyTest {

    private static final Path CONNECT_CONFIG = Path.of("..", "connect-config");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE_BASE = "https://sqs.eu-west-1.amazonaws.com/123456789012";
    private static final Map<String, String> ENV = Map.of("SQS_QUEUE_URL_BASE", QUEUE_BASE);

    private static final DatasetCatalog.Dataset LOGINS = new DatasetCatalog.Dataset(
            "user_logins",
            "login-queue",
            "user-logins",
            "user-logins.dlq",
            List.of(
                    new DatasetCatalog.Field("device_id", "deterministic"),
                    new DatasetCatalog.Field("ip", "deterministic")));
    private static final DatasetCatalog.Dataset ORDERS = new DatasetCatalog.Dataset(
            "orders",
            "orders-queue",
            "orders",
            "orders.dlq",
            List.of(
                    new DatasetCatalog.Field("customer.email", "deterministic"),
                    new DatasetCatalog.Field("customer.phone", "deterministic"),
                    new DatasetCatalog.Field("customer.name", "randomized"),
                    new DatasetCatalog.Field("customer.shipping_address.street", "randomized"),
                    new DatasetCatalog.Field("items[].holder_name", "randomized")));
    private static final DatasetCatalog CATALOG = topic -> Stream.of(LOGINS, ORDERS)
            .filter(d -> d.topic().equals(topic) || d.deadLetterTopic().equals(topic))
            .findFirst();

    private final ConnectorPolicy policy = shippedPolicy();

    @Test
    void theShippedConnectorConfigsAreAccepted() throws IOException {
        try (Stream<Path> files = Files.list(CONNECT_CONFIG.resolve("connectors"))) {
            List<Path> shipped =
                    files.filter(f -> f.toString().endsWith(".json")).toList();
            assertThat(shipped).hasSizeGreaterThanOrEqualTo(6);
            for (Path file : shipped) {
                assertThat(policy.check(read(file))).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void dropTheEncryptionTransformsIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms", "rename,created");
        assertRefused(source, 403, "must encrypt device_id (deterministic), ip (deterministic), body (dead letters)");
    }

    @Test
    void encryptOnlyOneOfTheFieldsIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms.encryptDeterministic.fields", "device_id");
        assertRefused(source, 403, "must encrypt ip (deterministic) with");
    }

    @Test
    void leaveANestedOrArrayLeafOutIsRefused() throws IOException {
        Map<String, String> source = shipped("orders-source");
        source.put("transforms.encryptRandomized.fields", "customer.name,customer.shipping_address.street");
        assertRefused(source, 403, "dataset orders must encrypt items[].holder_name (randomized)");
        source = shipped("orders-source");
        source.put("transforms", source.get("transforms").replace("encryptDeterministicInEmail,", ""));
        assertRefused(source, 403, "must encrypt customer.email (deterministic)");
    }

    @Test
    void encryptAFieldWithAnotherModeThanTheCatalogsIsRefused() throws IOException {
        Map<String, String> source = shipped("orders-source");
        source.put("transforms.encryptRandomized.mode", "deterministic"); // equal names would show as equal
        assertRefused(source, 403, "customer.name (randomized)");
        source.remove("transforms.encryptRandomized.mode");
        assertRefused(source, 403, "customer.name (randomized)");
    }

    @Test
    void writeATopicThatIsNoDatasetsIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("topic", "scratch");
        assertRefused(source, 403, "topic names no dataset's topic in the PII catalog");
        source = shipped("user_logins-source");
        source.put("topic", "user-logins.dlq"); // a dead-letter topic is no dataset's topic of valid records
        assertRefused(source, 403, "topic names no dataset's topic");
        source = shipped("user_logins-source");
        source.remove("topic");
        assertRefused(source, 403, "topic names no dataset's topic");
    }

    @Test
    void feedOneDatasetsEncryptionIntoAnothersTopicsIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("topic", "orders"); // the logins' transforms over the orders topic: the catalog's fields are missing
        source.put("dlq.topic", "orders.dlq");
        source.put("sqs.queue.url", "${env:SQS_QUEUE_URL_BASE}/orders-queue");
        assertRefused(source, 403, "dataset orders must encrypt customer.email");
        source = shipped("user_logins-source");
        source.put("dlq.topic", "orders.dlq");
        assertRefused(source, 403, "dlq.topic is not the dead-letter topic of dataset user_logins");
    }

    @Test
    void readAnotherDatasetsQueueIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("sqs.queue.url", "${env:SQS_QUEUE_URL_BASE}/orders-queue");
        assertRefused(
                source,
                403,
                "sqs.queue.url is not sqspii.policy.source.queue.url.base/<queue> with the queue "
                        + "of dataset user_logins");
        source.put("sqs.queue.url", QUEUE_BASE + "/login-queue"); // the same URL, written out, is the same queue
        assertThat(policy.check(source)).isEmpty();
    }

    @Test
    void anUnreadableCatalogRefusesEverySourceOfAProtectedTopic() throws IOException {
        DatasetCatalog down = topic -> {
            throw new DatasetCatalog.UnavailableException("the PII catalog cannot be read (SQL state 08001)", null);
        };
        ConnectorPolicy blind =
                new ConnectorPolicy(new PolicyConfig(shippedPolicyKeys()), new EnvReferences(ENV), down);
        Optional<Refusal> refusal = blind.check(shipped("orders-source"));
        assertThat(refusal).get().extracting(Refusal::status).isEqualTo(503);
        assertThat(blind.check(shipped("orders-sink"))).isEmpty(); // sinks do not need it
    }

    @Test
    void theTransformPathOfACatalogValueIsThePathTheGeneratedConfigEncrypts() {
        assertThat(TransformPath.of("/ip", null)).isEqualTo("ip");
        assertThat(TransformPath.of("/customer/shipping_address/street", null))
                .isEqualTo("customer.shipping_address.street");
        assertThat(TransformPath.of("/items", "/holder_name")).isEqualTo("items[].holder_name");
        assertThat(TransformPath.of("/tags", "")).isEqualTo("tags[]");
        assertThat(TransformPath.of("/a~1b/c~0d", null)).isEqualTo("a/b.c~d");
    }

    @Test
    void flipTheDeadLetterPredicateIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms.encryptDeterministic.negate", "false"); // would encrypt ip only where there is none
        assertRefused(source, 403, "must encrypt device_id (deterministic), ip (deterministic) with");
    }

    @Test
    void aPredicateThatNeverMatchesIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("predicates.isDeadLetter.name", "no-such-header");
        assertRefused(source, 403, "must encrypt");
    }

    @Test
    void renameTheFieldsBeforeEncryptionIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms", "rename,encryptDeterministic,encryptBody,created");
        assertRefused(source, 403, "must encrypt");
    }

    @Test
    void passUnsupportedTypesInClearIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms.encryptDeterministic.on.unsupported.type", "skip");
        assertRefused(source, 403, "must encrypt device_id (deterministic), ip (deterministic) with");
    }

    @Test
    void rerouteRecordsWithRegexRouterIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("transforms", source.get("transforms") + ",route");
        source.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        assertRefused(source, 403, "transforms.route.type is not one of sqspii.policy.allowed.transform.types");
    }

    @Test
    void aSinkToAnotherDatabaseIsRefused() throws IOException {
        Map<String, String> sink = shipped("user_logins-sink");
        sink.put("connection.url", "jdbc:postgresql://attacker.example:5432/loot");
        assertRefused(sink, 403, "connection.url is not one of sqspii.policy.jdbc.allowed.urls");
        sink.put("connection.url", "jdbc:mysql://attacker.example:3306/x?allowLoadLocalInfile=true");
        assertRefused(sink, 403, "connection.url is not one of");
    }

    @Test
    void pointTheSourceAtALookAlikeQueueForAnEncryptionOracleIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("sqs.queue.url", "http://attacker.example:9324/000000000000/codebook");
        assertRefused(source, 403, "sqs.queue.url is not sqspii.policy.source.queue.url.base/<queue>");
        source = shipped("user_logins-source");
        source.put("sqs.endpoint.override", "http://attacker.example:9324");
        assertRefused(source, 403, "sqs.endpoint.override is not one of sqspii.policy.source.allowed.endpoints");
    }

    @Test
    void aHarnessHostAllowsItsOwnPortsButNotAHostHiddenBehindUserInfo() throws IOException {
        Map<String, Object> keys = new HashMap<>(shippedPolicyKeys());
        keys.put(PolicyConfig.SOURCE_ALLOWED_ENDPOINT_HOSTS, "127.0.0.1");
        ConnectorPolicy harness = new ConnectorPolicy(new PolicyConfig(keys), new EnvReferences(ENV), CATALOG);
        Map<String, String> source = shipped("user_logins-source");
        source.put("sqs.endpoint.override", "http://127.0.0.1:40123");
        assertThat(harness.check(source)).isEmpty();
        source.put("sqs.endpoint.override", "http://127.0.0.1:80@attacker.example:9324");
        assertThat(harness.check(source)).get().extracting(Refusal::status).isEqualTo(403);
        source.put("sqs.endpoint.override", "not a url");
        assertThat(harness.check(source)).get().extracting(Refusal::status).isEqualTo(403);
    }

    @Test
    void mirrorMakerIsRefused() {
        Map<String, String> mirror = new HashMap<>();
        mirror.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
        mirror.put("source.cluster.bootstrap.servers", "attacker.example:9092");
        assertRefused(mirror, 403, "connector.class is not one of sqspii.policy.allowed.connector.classes");
    }

    @Test
    void logRecordsInClearIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("errors.log.enable", "true");
        source.put("errors.log.include.messages", " TRUE ");
        assertRefused(source, 403, "errors.log.include.messages=true");
    }

    @Test
    void readTheDatabasePasswordThroughAnotherKeyIsRefused() throws IOException {
        Map<String, String> source = shipped("user_logins-source");
        source.put("sqs.assume.role.arn", "${file:/opt/connect/secrets/jdbc.properties:password}");
        assertRefused(source, 403, "sqs.assume.role.arn may not reference a secret provider");
        Map<String, String> sink = shipped("user_logins-sink");
        sink.put("connection.password", "x${file:/opt/connect/secrets/jdbc.properties:password}");
        assertRefused(sink, 403, "connection.password may not reference");
    }

    @Test
    void aConfigWithoutAClassIsABadRequest() {
        assertRefused(Map.of("topic", "user-logins"), 400, "connector.class is missing");
    }

    @Test
    void refusalsNeverQuoteTheSubmittedValue() throws IOException {
        Map<String, String> sink = shipped("user_logins-sink");
        sink.put("connection.url", "jdbc:postgresql://secret-host-name:5432/loot");
        assertThat(policy.check(sink))
                .get()
                .extracting(Refusal::reason)
                .asString()
                .doesNotContain("secret-host-name");
    }

    @Test
    void anEmptyPolicyAllowsNothing() throws IOException {
        ConnectorPolicy empty = new ConnectorPolicy(new PolicyConfig(Map.of()), new EnvReferences(ENV), CATALOG);
        assertThat(empty.check(shipped("user_logins-source")))
                .get()
                .extracting(Refusal::status)
                .isEqualTo(403);
    }

    private void assertRefused(Map<String, String> config, int status, String reason) {
        Optional<Refusal> refusal = policy.check(config);
        assertThat(refusal).isPresent();
        assertThat(refusal.get().status()).isEqualTo(status);
        assertThat(refusal.get().reason()).contains(reason);
    }

    private static Map<String, String> shipped(String name) throws IOException {
        return read(CONNECT_CONFIG.resolve("connectors").resolve(name + ".json"));
    }

    private static Map<String, String> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
    }

    /**
     * The policy keys of the shipped worker.properties, with the worker's environment holding only the queue base
     * (its other references stay unresolved, as the worker's file provider is not here).
     */
    private static ConnectorPolicy shippedPolicy() {
        return new ConnectorPolicy(new PolicyConfig(shippedPolicyKeys()), new EnvReferences(ENV), CATALOG);
    }

    private static Map<String, Object> shippedPolicyKeys() {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(CONNECT_CONFIG.resolve("worker.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> policyKeys = new HashMap<>();
        props.stringPropertyNames().stream()
                .filter(k -> k.startsWith(PolicyConfig.PREFIX))
                .forEach(k -> policyKeys.put(k, props.getProperty(k)));
        return policyKeys;
    }
}
