package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin inside a real Connect worker and Kafka broker: REST validation, records in Kafka, deletes on ack. */
class SqsSourceConnectIT {

    private static EmbeddedConnectCluster connect;
    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startConnect() {
        // as the shipped worker: secrets reach connector configs through a config provider
        connect = ConnectWorkers.start(
                "sqs-it",
                Map.of(
                        "config.providers",
                        "file",
                        "config.providers.file.class",
                        "org.apache.kafka.common.config.provider.FileConfigProvider"));
    }

    /** A connector config (REST form: no name key) for {@code queueUrl} with {@code tasks} tasks. */
    private static Map<String, String> connectorProps(String queueUrl, int tasks) {
        Map<String, String> props = SourceProps.of(queueUrl);
        props.remove("name");
        props.put("connector.class", SqsSourceConnector.class.getName());
        props.put("tasks.max", Integer.toString(tasks));
        return props;
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void restValidationReportsErrorsOnTheKeyToFix() {
        Map<String, String> props = SourceProps.of("https://sqs.eu-west-1.amazonaws.com/123456789012/q");
        props.put("connector.class", SqsSourceConnector.class.getName());
        props.put(SqsSourceConfig.REGION, "us-east-1");
        props.put(SqsSourceConfig.VALUE_SCHEMA_FILE, "/nonexistent/user-login.schema.json");
        ConfigInfos infos = connect.validateConnectorConfig(SqsSourceConnector.class.getName(), props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo c : infos.configs()) {
            if (!c.configValue().errors().isEmpty()) {
                errors.put(c.configValue().name(), c.configValue().errors());
            }
        }
        assertThat(errors).containsOnlyKeys(SqsSourceConfig.REGION);
        assertThat(errors.get(SqsSourceConfig.REGION))
                .containsExactly("sqs.region does not match the region of the amazonaws.com host of sqs.queue.url");

        props.put(SqsSourceConfig.REGION, "eu-west-1");
        infos = connect.validateConnectorConfig(SqsSourceConnector.class.getName(), props);
        assertThat(infos.errorCount()).isEqualTo(1);
        assertThat(infos.configs())
                .filteredOn(c -> !c.configValue().errors().isEmpty())
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.configValue().name()).isEqualTo(SqsSourceConfig.VALUE_SCHEMA_FILE);
                    assertThat(c.configValue().errors().get(0)).contains("cannot read the schema file");
                });

        props.put(SqsSourceConfig.QUEUE_URL, "sqs://queue");
        infos = connect.validateConnectorConfig(SqsSourceConnector.class.getName(), props);
        assertThat(infos.configs())
                .filteredOn(c -> c.configValue().name().equals(SqsSourceConfig.QUEUE_URL))
                .singleElement()
                .satisfies(c -> assertThat(c.configValue().errors())
                        .singleElement()
                        .satisfies(m -> assertThat(m).contains("must be an http or https URL")));
    }

    /**
     * Attack (review B3): a REST user resolves a secret the worker can read into keys that refuse it, through the
     * real validate endpoint; no error quotes it.
     */
    @Test
    void aSecretResolvedIntoRefusingKeysIsNeverEchoedByRestValidation() throws Exception {
        java.nio.file.Path secrets = java.nio.file.Files.createTempFile("secrets", ".properties");
        java.nio.file.Files.writeString(
                secrets, "password=hunter2-Pa55\n" + "url=jdbc\\:postgresql\\://db/x?password\\=hunter2\n");
        Map<String, String> props = SourceProps.of("https://sqs.eu-west-1.amazonaws.com/123456789012/q");
        props.put("connector.class", SqsSourceConnector.class.getName());
        String password = "${file:" + secrets + ":password}";
        String url = "${file:" + secrets + ":url}";
        props.put(SqsSourceConfig.ASSUME_ROLE_ARN, password);
        props.put(SqsSourceConfig.TOPIC, url);
        props.put(SqsSourceConfig.MAX_MESSAGES, password);
        props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, url);
        props.put(SqsSourceConfig.VALUE_SCHEMA_FILE, password);
        props.put(SqsSourceConfig.MESSAGE_FORMAT, url);
        ConfigInfos infos = connect.validateConnectorConfig(SqsSourceConnector.class.getName(), props);
        List<String> errors = new ArrayList<>();
        infos.configs().forEach(c -> errors.addAll(c.configValue().errors()));
        assertThat(errors)
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(m -> assertThat(m).doesNotContain("hunter2").doesNotContain("postgresql"));
    }

    /**
     * The shipped connector config of the user_logins dataset (connect-config/connectors/user_logins-source.json,
     * generated from datasets/user_logins) for {@code queueUrl}: its value schema and transform chain, the keysets it
     * reads from the worker's environment replaced by {@code det} and {@code rnd}.
     */
    private Map<String, String> shippedConnector(String queueUrl, java.nio.file.Path det, java.nio.file.Path rnd)
            throws Exception {
        JsonNode shipped = json.readTree(java.nio.file.Files.readString(
                java.nio.file.Path.of("../connect-config/connectors/user_logins-source.json")));
        Map<String, String> props = connectorProps(queueUrl, 1);
        props.remove(SqsSourceConfig.VALUE_SCHEMA_FILE);
        shipped.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("transforms")
                    || e.getKey().startsWith("predicates")
                    || e.getKey().equals(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD)
                    || e.getKey().equals(SqsSourceConfig.VALUE_SCHEMA)) {
                props.put(e.getKey(), e.getValue().asText());
            }
        });
        props.replaceAll((key, value) -> !key.endsWith(".keyset.file")
                ? value
                : value.equals("${env:PII_DETERMINISTIC_KEYSET}")
                        ? det.toString()
                        : value.equals("${env:PII_RANDOMIZED_KEYSET}") ? rnd.toString() : value);
        assertThat(props).allSatisfy((key, value) -> assertThat(value).as(key).doesNotContain("${env:"));
        return props;
    }

    /**
     * Attack (review B6): a valid ~300 KB login whose device_id is U+FDFA repeated, which NFKC (the shipped
     * canonicalize.device_id=identifier) expands 11×: a 4.4 MB record, past the producer's limit, used to fail the
     * task on every redelivery. Through real ElasticMQ, a real worker and the shipped transform chain: the task
     * stays RUNNING, the poison message becomes a dead-letter record whose body is encrypted, the logins around it
     * become records, and every message is deleted from SQS.
     */
    @Test
    void aLoginThatNfkcExpandsPastTheRecordLimitIsDeadLetteredAndTheTaskKeepsRunning() throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory("keys");
        java.nio.file.Path det = keys.resolve("det.json");
        java.nio.file.Path rnd = keys.resolve("rnd.json");
        io.sqspii.pii.crypto.Keysets.writeCleartext(
                io.sqspii.pii.crypto.Keysets.generate(io.sqspii.pii.crypto.CipherMode.DETERMINISTIC), det);
        io.sqspii.pii.crypto.Keysets.writeCleartext(
                io.sqspii.pii.crypto.Keysets.generate(io.sqspii.pii.crypto.CipherMode.RANDOMIZED), rnd);
        String queue = sqs.createQueue(30);
        String poisonId = "\uFDFA".repeat(100_000); // 300,000 UTF-8 bytes; 3,300,000 after NFKC
        String poison = SqsSourceTaskTest.login(2).replace("\"593-47-2\"", "\"" + poisonId + "\"");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add(i == 2 ? poison : SqsSourceTaskTest.login(i));
        }
        List<String> ids = sqs.send(queue, bodies);
        connect.kafka().createTopic("poison-logins", 1);
        connect.kafka().createTopic("poison-logins.dlq", 1);
        Map<String, String> props = shippedConnector(queue, det, rnd);
        props.put(SqsSourceConfig.TOPIC, "poison-logins");
        props.put(SqsSourceConfig.DLQ_TOPIC, "poison-logins.dlq");
        props.replaceAll((key, value) -> key.endsWith(".oversize.dead.letter.topic") ? "poison-logins.dlq" : value);
        connect.configureConnector("poison", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("poison", 1, "connector did not start");

        Set<String> delivered = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(5, 60_000, "poison-logins")) {
            JsonNode payload = json.readTree(r.value()).get("payload");
            delivered.add(payload.get("message_id").asText());
            assertThat(payload.get("masked_device_id").asText()).doesNotContain("593-47");
        }
        assertThat(delivered).hasSize(5).doesNotContain(ids.get(2));
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        connect.kafka().consume(1, 60_000, "poison-logins.dlq").forEach(dead::add);
        assertThat(dead).singleElement().satisfies(r -> {
            String raw = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(raw).doesNotContain("\uFDFA").doesNotContain("10.0.0.2");
            r.headers()
                    .forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                            .doesNotContain("\uFDFA"));
            assertThat(new String(r.headers().lastHeader("sqs.error.reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("field_too_large");
            JsonNode payload = json.readTree(raw).get("payload");
            assertThat(payload.get("message_id").asText()).isEqualTo(ids.get(2));
            assertThat(payload.get("error").asText()).contains("'device_id'");
            String body = io.sqspii.pii.crypto.PiiCipher.forKeyset(
                            io.sqspii.pii.crypto.KeysetSource.cleartextFile(rnd),
                            io.sqspii.pii.crypto.CipherMode.RANDOMIZED,
                            "user_logins_rejected")
                    .decrypt("body", payload.get("encrypted_body").asText());
            assertThat(json.readTree(body).get("device_id").asText()).isEqualTo(poisonId);
            assertThat(json.readTree(body).get("ip").asText()).isEqualTo("10.0.0.2");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.remaining(queue) == 0);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("poison", 1, "the task must keep running");
        connect.deleteConnector("poison");
    }

    @Test
    void messagesReachKafkaAndAreDeletedOnceAcked() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bodies.add(SqsSourceTaskTest.login(i));
        }
        bodies.add("not json");
        bodies.add("{\"foo\":\"oops_wrong_msg_format\"}");
        List<String> ids = sqs.send(queue, bodies);
        Map<String, String> bodyById = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            bodyById.put(ids.get(i), bodies.get(i));
        }
        connect.kafka().createTopic("user-logins", 3);
        connect.kafka().createTopic("user-logins.dlq", 1);

        Map<String, String> props = connectorProps(queue, 2);
        connect.configureConnector("sqs", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sqs", 2, "connector did not start");

        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(300, 60_000, "user-logins")) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            keys.add(key);
            JsonNode value = json.readTree(r.value());
            assertThat(value.at("/schema/type").asText()).isEqualTo("struct");
            String body = bodyById.get(key);
            assertThat(json.readTree(body).get("device_id")).isEqualTo(value.at("/payload/device_id"));
            assertThat(r.timestamp()).isPositive();
            assertThat(r.headers().lastHeader("sqs.message.id")).isNotNull();
        }
        assertThat(keys).hasSize(300);
        List<String> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(2, 30_000, "user-logins.dlq")) {
            JsonNode payload = json.readTree(r.value()).get("payload");
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(payload.get("message_id").asText()).isEqualTo(key);
            assertThat(payload.get("body").asText()).isEqualTo(bodyById.get(key));
            dead.add(payload.get("body").asText());
        }
        assertThat(dead).containsExactlyInAnyOrder("not json", "{\"foo\":\"oops_wrong_msg_format\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.remaining(queue) == 0);
        connect.deleteConnector("sqs");
    }

    @Test
    void aRecordKafkaRefusesUnderErrorsToleranceAllKeepsItsMessageInSqs() throws Exception {
        // The dead-letter topic takes records of at most 10,000 bytes; one invalid body of 50,000 bytes cannot be
        // written. errors.tolerance=all makes Connect report that record as done (commitRecord without metadata):
        // the message must stay in SQS, the valid ones around it must arrive and be deleted.
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bodies.add(SqsSourceTaskTest.login(i));
        }
        String big = "not json " + "x".repeat(50_000);
        bodies.add(10, big);
        List<String> ids = sqs.send(queue, bodies);
        connect.kafka().createTopic("tolerant-logins", 1);
        connect.kafka().createTopic("tolerant-logins.dlq", 1, 1, Map.of("max.message.bytes", "10000"));

        Map<String, String> props = connectorProps(queue, 1);
        props.put(SqsSourceConfig.TOPIC, "tolerant-logins");
        props.put(SqsSourceConfig.DLQ_TOPIC, "tolerant-logins.dlq");
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
        props.put("errors.tolerance", "all");
        props.put("errors.log.enable", "false");
        connect.configureConnector("tolerant", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("tolerant", 1, "connector did not start");

        assertThat(connect.kafka().consume(20, 60_000, "tolerant-logins")).hasSize(20);
        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.remaining(queue) == 1);
        // Received again and again (every 2 s), refused by Kafka each time, never deleted.
        Thread.sleep(6_000);
        assertThat(sqs.remaining(queue)).isEqualTo(1);
        connect.deleteConnector("tolerant");
        List<software.amazon.awssdk.services.sqs.model.Message> left = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            left.addAll(sqs.client()
                    .receiveMessage(b -> b.queueUrl(queue)
                            .waitTimeSeconds(1)
                            .messageSystemAttributeNames(
                                    software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL))
                    .messages());
            return !left.isEmpty();
        });
        assertThat(left).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(ids.get(10));
            assertThat(m.body()).isEqualTo(big);
            assertThat(Integer.parseInt(m.attributes()
                            .get(
                                    software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName
                                            .APPROXIMATE_RECEIVE_COUNT)))
                    .isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    void aRecordFilteredOutUnderTheDefaultErrorToleranceHasItsMessageDeleted() throws Exception {
        // Kafka's own Filter drops the dead-letter records (HasHeaderKey on sqs.error.reason). With the default
        // errors.tolerance=none, Connect reports each as done without metadata: its message is deleted, not received
        // again and again.
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add(i % 4 == 0 ? "{\"foo\":\"oops_wrong_msg_format\"}" : SqsSourceTaskTest.login(i));
        }
        sqs.send(queue, bodies);
        connect.kafka().createTopic("filtered-logins", 1);
        Map<String, String> props = connectorProps(queue, 1);
        props.put(SqsSourceConfig.TOPIC, "filtered-logins");
        props.put(SqsSourceConfig.DLQ_TOPIC, "filtered-logins.dlq");
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
        props.put("transforms", "dropInvalid");
        props.put("transforms.dropInvalid.type", "org.apache.kafka.connect.transforms.Filter");
        props.put("transforms.dropInvalid.predicate", "isDeadLetter");
        props.put("predicates", "isDeadLetter");
        props.put("predicates.isDeadLetter.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey");
        props.put("predicates.isDeadLetter.name", RecordFactory.H_ERROR_REASON);
        connect.configureConnector("filtering", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("filtering", 1, "connector did not start");

        assertThat(connect.kafka().consume(9, 60_000, "filtered-logins")).hasSize(9);
        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.remaining(queue) == 0);
        // Past several visibility timeouts nothing has come back either.
        Thread.sleep(6_000);
        assertThat(sqs.remaining(queue)).isZero();
        connect.deleteConnector("filtering");
    }

    @Test
    void anUnresolvableEndpointFailsTheTaskWithWhatToFix() throws Exception {
        Map<String, String> props = connectorProps("http://no-such-host.invalid:9324/000000000000/q", 1);
        connect.configureConnector("unresolvable", props);
        connect.assertions()
                .assertConnectorIsRunningAndTasksHaveFailed(
                        "unresolvable", 1, "the task should fail rather than retry for ever");
        String trace = connect.connectorStatus("unresolvable").tasks().get(0).trace();
        assertThat(trace)
                .contains("cannot be resolved")
                .contains("no-such-host.invalid")
                .contains("Check sqs.queue.url, sqs.endpoint.override and sqs.region");
        connect.deleteConnector("unresolvable");
    }
}
