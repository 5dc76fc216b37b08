package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.PipelineRows.Login;
import io.sqspii.pipeline.PipelineRows.Rejected;
import io.sqspii.pipeline.load.SentMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sample file through the whole pipeline — ElasticMQ, the source connector and SMT chain in a real
 * Connect worker, a KRaft broker, the Debezium JDBC sinks, PostgreSQL — with the connector configs of
 * connect-config/ as they are committed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

    private static SampleFileRun run;
    private static Pipeline pipeline;
    private static List<SentMessage> sent;
    private static Counts baseline;

    @BeforeAll
    static void startAndSendTheSampleFile() throws Exception {
        run = SampleFileRun.start(Duration.ofSeconds(90));
        pipeline = run.pipeline();
        sent = run.sent();
        baseline = run.baseline();
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void theCommittedConnectorConfigsPassConnectValidation() {
        for (String name : pipeline.connectorNames()) {
            Map<String, String> config = pipeline.config(name);
            assertThat(pipeline.worker().rest().validate(name, config)).as(name).isEmpty();
        }
    }

    @Test
    @Order(2)
    void everyMessageIsARowOrARejectionAndValuesDecryptToTheInput() throws Exception {
        Map<String, Login> rows = PipelineRows.logins(pipeline.database());
        Map<String, Rejected> rejected = PipelineRows.rejected(pipeline.database());
        Map<String, String> bodyById =
                sent.stream().collect(Collectors.toMap(SentMessage::messageId, SentMessage::body));
        Set<String> expectedRows = new HashSet<>();
        Set<String> expectedRejected = new HashSet<>();
        bodyById.forEach(
                (id, body) -> (LoginContract.validLogin(body) != null ? expectedRows : expectedRejected).add(id));
        assertThat(expectedRejected)
                .as("the sample file holds malformed messages")
                .isNotEmpty();

        assertThat(rows.keySet()).isEqualTo(expectedRows);
        assertThat(rejected.keySet()).isEqualTo(expectedRejected);

        PiiCipher logins = PipelineRows.loginsCipher();
        Map<String, Set<String>> maskedByDevice = new HashMap<>();
        for (Login row : rows.values()) {
            JsonNode in = LoginContract.validLogin(bodyById.get(row.messageId()));
            assertThat(row.userId()).isEqualTo(in.get("user_id").asText());
            assertThat(row.deviceType()).isEqualTo(in.get("device_type").asText());
            assertThat(row.appVersion()).isEqualTo(in.get("app_version").asText());
            assertThat(row.locale())
                    .isEqualTo(in.path("locale").isTextual() ? in.get("locale").asText() : null);
            assertThat(row.maskedIp()).isNotEqualTo(in.get("ip").asText());
            assertThat(logins.decrypt("ip", row.maskedIp()))
                    .isEqualTo(in.get("ip").asText());
            assertThat(logins.decrypt("device_id", row.maskedDeviceId()))
                    .isEqualTo(in.get("device_id").asText());
            assertThat(row.createDate()).isBetween(Instant.now().minus(Duration.ofMinutes(10)), Instant.now());
            maskedByDevice
                    .computeIfAbsent(in.get("device_id").asText(), d -> new HashSet<>())
                    .add(row.maskedDeviceId());
        }
        assertThat(maskedByDevice.values())
                .as("one ciphertext per device id")
                .allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(maskedByDevice.size()).as("the sample repeats device ids").isLessThan(rows.size());

        PiiCipher bodies = PipelineRows.rejectedCipher();
        for (Rejected row : rejected.values()) {
            String body = bodyById.get(row.messageId());
            assertThat(bodies.decrypt("body", row.encryptedBody())).isEqualTo(body);
            assertThat(row.encryptedBody()).isNotEqualTo(body);
            assertThat(row.error()).isNotBlank().doesNotContain(body);
        }
    }

    @Test
    @Order(3)
    void noClearPiiInKafkaTopicsTablesOrTheWorkerLog() throws Exception {
        Set<String> pii = new HashSet<>();
        for (SentMessage m : sent) {
            JsonNode login = LoginContract.validLogin(m.body());
            if (login != null) {
                pii.add(login.get("ip").asText());
                pii.add(login.get("device_id").asText());
            }
        }
        Map<String, List<String>> kafka = new HashMap<>();
        for (String topic :
                List.of(pipeline.primary().topic(), pipeline.primary().deadLetterTopic())) {
            List<String> texts = kafka.computeIfAbsent(topic, t -> new ArrayList<>());
            for (ConsumerRecord<byte[], byte[]> r :
                    TopicReader.readAll(pipeline.kafka().bootstrapServers(), topic)) {
                texts.add(new String(r.value(), StandardCharsets.UTF_8));
                texts.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                for (Header h : r.headers()) {
                    texts.add(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(kafka.values().stream().mapToInt(List::size).sum())
                .as("texts read back")
                .isGreaterThan(sent.size());
        String deadLetters = String.join("\n", kafka.get(pipeline.primary().deadLetterTopic()));
        String topics = String.join("\n", kafka.get(pipeline.primary().topic())) + "\n" + deadLetters;
        String tables = PipelineRows.dump(pipeline.database());
        String log = Files.readString(pipeline.worker().process().logFile())
                + Files.readString(Path.of(pipeline.worker().process().logFile() + ".out"));
        assertThat(log).as("the worker log is written").contains("SqsSourceConnector");
        for (String value : pii) {
            assertThat(topics).as("Kafka").doesNotContain(value);
            assertThat(tables).as("PostgreSQL").doesNotContain(value);
            assertThat(log).as("worker log").doesNotContain(value);
        }
        // Malformed bodies stay encrypted too. (Only the dead-letter topic is searched: a truncated body such as
        // {"user_id":"<uuid> is also the clear, non-PII start of a valid record's JSON payload.)
        for (SentMessage m : sent) {
            if (LoginContract.validLogin(m.body()) == null && m.body().length() >= 12) {
                assertThat(deadLetters).doesNotContain(m.body());
                assertThat(tables).doesNotContain(m.body());
                assertThat(log).doesNotContain(m.body());
            }
        }
    }

    @Test
    @Order(4)
    void redeliveredRecordsDoNotDuplicateRows() throws Exception {
        // A message SQS delivers twice (visibility timeout expired before the delete, or a worker crash) is
        // produced again with the same key: re-produce every record of both topics twice, exactly as read and
        // back to back, so that copies also share a sink batch; the tables must not change.
        Map<String, Login> rowsBefore = PipelineRows.logins(pipeline.database());
        Map<String, Rejected> rejectedBefore = PipelineRows.rejected(pipeline.database());
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName());
        int again = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (String topic :
                    List.of(pipeline.primary().topic(), pipeline.primary().deadLetterTopic())) {
                for (ConsumerRecord<byte[], byte[]> r :
                        TopicReader.readAll(pipeline.kafka().bootstrapServers(), topic)) {
                    for (int copy = 0; copy < 2; copy++) {
                        producer.send(
                                new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), r.headers()));
                        again++;
                    }
                }
            }
            producer.flush();
        }
        assertThat(again).isEqualTo(2 * sent.size());
        // Wait for the sinks to have consumed the copies: their consumer groups catch up with the end offsets.
        SinkLag.awaitCaughtUp(pipeline.kafka(), Duration.ofSeconds(60));
        assertThat(PipelineRows.logins(pipeline.database())).isEqualTo(rowsBefore);
        assertThat(PipelineRows.rejected(pipeline.database())).isEqualTo(rejectedBefore);
    }

    @Test
    @Order(5)
    void datasetApplyReachesTheWorkerWithItsRestLoginAndChangesNothingOnADryRun() throws Exception {
        Map<String, String> rest = pipeline.worker().rest().scriptEnvironment();
        List<String> base = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.sqspii.dataset.DatasetCli",
                "apply",
                pipeline.primary().folder().toString(),
                "--dry-run",
                "--db-url",
                pipeline.database().urlWithoutCredentials(),
                "--db-user",
                pipeline.database().user(),
                "--connect-url",
                rest.get("CONNECT_URL"),
                "--connect-user",
                rest.get("CONNECT_USER")));
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("--connect-password-file", rest.get("CONNECT_PASSWORD_FILE")));
        Cli ok = cli(command);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        // the database part was applied when the run started; each connector is read through REST (auth, policy)
        assertThat(ok.output()).contains("nothing to change");
        for (String name : pipeline.connectorNames()) {
            assertThat(ok.output()).containsPattern("connector " + name + ": (unchanged|would update)");
            pipeline.worker().rest().awaitRunning(name, 1, Duration.ofSeconds(60));
        }

        Path wrong = Files.writeString(pipeline.layout().runDir().resolve("wrong-rest-password"), "not-the-password");
        List<String> refused = new ArrayList<>(base);
        refused.addAll(List.of("--connect-password-file", wrong.toString()));
        Cli unauthorized = cli(refused);
        assertThat(unauthorized.exitCode()).isEqualTo(1);
        assertThat(unauthorized.output()).contains("HTTP 401").doesNotContain("not-the-password");
    }

    private record Cli(int exitCode, String output) {}

    private static Cli cli(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String pgPassword = System.getenv("PG_PASSWORD");
        if (pgPassword != null) {
            builder.environment().put("PGPASSWORD", pgPassword);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Cli(process.exitValue(), output);
    }
}
