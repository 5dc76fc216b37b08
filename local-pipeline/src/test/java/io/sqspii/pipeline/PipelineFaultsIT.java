package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pipeline.FaultRun.Outcome;
import io.sqspii.pipeline.PipelineRows.Login;
import io.sqspii.pipeline.PipelineRows.Rejected;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticLogins;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import io.sqspii.testsupport.sqs.Throttling;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite on one running pipeline (ElasticMQ, a KRaft broker and a Connect worker in child JVMs,
 * PostgreSQL), with TCP fault proxies in front of PostgreSQL and SQS and a throttling proxy in front of SQS.
 * Each case sends its own messages around its fault and ends with every message a row or a rejected row,
 * none twice, nothing left in the queue, and no task FAILED — nobody restarts anything by hand.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {

    /** Bytes of the largest body SQS accepts. */
    static final int SQS_MAX_BODY = 1024 * 1024;
    /**
     * sqs-source-connector/README, "Record size limits": the largest record a body of SQS_MAX_BODY bytes can
     * become when dead-letter bodies are encrypted (connect-config/README computes the same).
     */
    static final int LARGEST_RECORD_BOUND = 1_414_530;

    private static TestDatabase database;
    private static TcpFaultProxy postgresProxy;
    private static Pipeline pipeline;
    private static final Throttling sqsThrottling = new Throttling();
    private static SqsForwardingProxy sqsThrottler;
    private static TcpFaultProxy sqsProxy;
    private static Map<String, String> sourceOverrides;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        URI pg = URI.create(database.database().url().substring("jdbc:".length()));
        postgresProxy = new TcpFaultProxy(pg.getHost(), pg.getPort() < 0 ? 5432 : pg.getPort());
        String sinkUrl =
                database.database().sinkUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgresProxy.port() + "/");
        pipeline = Pipeline.start(
                PipelineLayout.fromSystemProperties(), database.database(), 60, Map.of("JDBC_URL", sinkUrl));
        sqsThrottler = SqsForwardingProxy.start(pipeline.sqs().endpoint(), sqsThrottling);
        sqsProxy = new TcpFaultProxy("127.0.0.1", sqsThrottler.port());
        // The worker reaches SQS through both proxies; the test sends straight to the server.
        sourceOverrides = Map.of("sqs.endpoint.override", "http://127.0.0.1:" + sqsProxy.port());
        pipeline.registerConnectors(2, 2, sourceOverrides);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            if (sqsProxy != null) {
                sqsProxy.close();
                sqsThrottler.close();
            }
            if (postgresProxy != null) {
                postgresProxy.close();
            }
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    @Order(1)
    void bodiesOfSqsMaximumSizeValidAndInvalidPassBetweenOrdinaryOnes() throws Exception {
        List<String> bodies = new ArrayList<>(SyntheticLogins.generate(101, 200, 0.05));
        List<String> huge = MaxSizeBodies.all(SQS_MAX_BODY);
        for (int i = 0; i < huge.size(); i++) {
            bodies.add(20 + i * 30, huge.get(i)); // each between ordinary messages
        }
        try (FaultRun run = new FaultRun(pipeline)) {
            run.send(bodies);
            Outcome outcome = run.finish(Duration.ofSeconds(180));
            report("bodies of 1 MiB (" + huge.size() + " among ordinary ones)", null, outcome);

            Map<String, Login> rows = PipelineRows.logins(pipeline.database());
            Map<String, Rejected> rejected = PipelineRows.rejected(pipeline.database());
            PiiCipher logins = PipelineRows.loginsCipher();
            PiiCipher rejectedBodies = PipelineRows.rejectedCipher();
            int checked = 0;
            for (SentMessage m : run.sent()) {
                if (m.body().getBytes(StandardCharsets.UTF_8).length != SQS_MAX_BODY) {
                    continue;
                }
                checked++;
                var login = LoginContract.validLogin(m.body());
                if (login != null) {
                    Login row = rows.get(m.messageId());
                    assertThat(row.userId()).isEqualTo(login.get("user_id").asText());
                    assertThat(logins.decrypt("device_id", row.maskedDeviceId()))
                            .isEqualTo(login.get("device_id").asText());
                } else {
                    Rejected row = rejected.get(m.messageId());
                    String body = rejectedBodies.decrypt("body", row.encryptedBody());
                    if (!body.equals(m.body())) { // a connector may keep only a prefix of a huge body, and must say so
                        assertThat(m.body()).startsWith(body);
                        assertThat(row.error()).containsIgnoringCase("truncat");
                    }
                    assertThat(row.error()).doesNotContain(m.body().substring(0, 64));
                }
            }
            assertThat(checked).isEqualTo(huge.size());

            // The largest records really produced, against the bound connect-config/README computes and the limits.
            int largest = 0;
            for (String topic :
                    List.of(pipeline.primary().topic(), pipeline.primary().deadLetterTopic())) {
                for (ConsumerRecord<byte[], byte[]> r :
                        TopicReader.readAll(pipeline.kafka().bootstrapServers(), topic)) {
                    largest = Math.max(largest, r.serializedKeySize() + r.serializedValueSize() + headerBytes(r));
                }
            }
            Properties worker = new Properties();
            try (var in = Files.newBufferedReader(pipeline.layout().connectConfig("worker.properties"))) {
                worker.load(in);
            }
            System.out.printf("largest record of a 1 MiB body: %,d bytes (key + value + headers)%n", largest);
            assertThat(largest)
                    .as("a 1 MiB body became a record of about 4/3 MiB")
                    .isGreaterThan(SQS_MAX_BODY * 4 / 3)
                    .isLessThanOrEqualTo(LARGEST_RECORD_BOUND)
                    .isLessThan(Integer.parseInt(worker.getProperty("producer.max.request.size")));
        }
    }

    private static int headerBytes(ConsumerRecord<byte[], byte[]> r) {
        int n = 0;
        for (Header h : r.headers()) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    @Test
    @Order(2)
    void postgresUnreachableForSixtySecondsMidStream() throws Exception {
        try (FaultRun run = new FaultRun(pipeline)) {
            Outage outage = outageMidStream(run, postgresProxy, Duration.ofSeconds(60), 102, 2000);
            assertThat(outage.writtenMeanwhile())
                    .as("nothing written while PostgreSQL is unreachable")
                    .isZero();
            report("PostgreSQL unreachable 60 s", outage.recovery(), run.finish(Duration.ofSeconds(180)));
        } finally {
            postgresProxy.restore();
        }
    }

    @Test
    @Order(3)
    void kafkaBrokerRestartedMidStream() throws Exception {
        try (FaultRun run = new FaultRun(pipeline)) {
            run.send(SyntheticLogins.generate(104, 2000, 0.03));
            run.awaitAccountedAtLeast(200, Duration.ofSeconds(120));
            CompletableFuture<Void> during =
                    CompletableFuture.runAsync(() -> run.send(SyntheticLogins.generate(105, 2000, 0.03)));
            long down = System.nanoTime();
            pipeline.restartBroker();
            Duration restart = Duration.ofNanos(System.nanoTime() - down);
            Duration recovery = run.awaitRecovery(Duration.ofMinutes(3));
            during.join();
            Outcome outcome = run.finish(Duration.ofSeconds(180));
            report(
                    String.format("Kafka broker restarted (stop and start took %.1f s)", restart.toMillis() / 1000.0),
                    recovery,
                    outcome);
        }
    }

    @Test
    @Order(4)
    void sqsUnreachableForThirtySecondsMidStream() throws Exception {
        try (FaultRun run = new FaultRun(pipeline)) {
            Outage outage = outageMidStream(run, sqsProxy, Duration.ofSeconds(30), 106, 1000);
            report("SQS unreachable 30 s", outage.recovery(), run.finish(Duration.ofSeconds(180)));
        } finally {
            sqsProxy.restore();
        }
    }

    /**
     * Sends {@code messages} generated from {@code seed}; once some are written, cuts the proxy, sends as many
     * again (from seed + 1) while the server is unreachable, holds the outage, restores it and waits for the first
     * write after it.
     */
    private static Outage outageMidStream(FaultRun run, TcpFaultProxy proxy, Duration length, long seed, int messages)
            throws InterruptedException {
        run.send(SyntheticLogins.generate(seed, messages, 0.03));
        run.awaitAccountedAtLeast(messages / 10, Duration.ofSeconds(120));
        proxy.cut();
        long atCut = run.accounted();
        run.send(SyntheticLogins.generate(seed + 1, messages, 0.03));
        run.hold(length);
        long atRestore = run.accounted();
        proxy.restore();
        return new Outage(atRestore - atCut, run.awaitRecovery(Duration.ofMinutes(3)));
    }

    private record Outage(long writtenMeanwhile, Duration recovery) {}

    @Test
    @Order(5)
    void sqsThrottlingHalfOfTheCalls() throws Exception {
        try (FaultRun run = new FaultRun(pipeline)) {
            long throttledBefore = sqsThrottling.throttled();
            sqsThrottling.throttleEvery(2);
            run.send(SyntheticLogins.generate(108, 2000, 0.03));
            Outcome outcome = run.finish(Duration.ofSeconds(180));
            assertThat(sqsThrottling.throttled() - throttledBefore)
                    .as("calls answered with ThrottlingException")
                    .isPositive();
            report(
                    "SQS throttling (every 2nd call, " + (sqsThrottling.throttled() - throttledBefore) + " throttled)",
                    Duration.ZERO,
                    outcome);
        } finally {
            sqsThrottling.throttleEvery(0);
        }
    }

    @Test
    @Order(6)
    void renamedDeadLetterTopicLeaksNoClearBody() throws Exception {
        String renamed = "login-rejects";
        pipeline.createTopic(renamed);
        // The dead-letter topic is the definition's: renamed there and applied, as an operator would, so the
        // connector policy (which reads the catalog) takes the renamed source.
        pipeline.database()
                .applyDataset(EditedDefinition.of(
                        pipeline.layout(),
                        RunDataset.USER_LOGINS,
                        pipeline.layout().runDir().resolve("renamed-dlq"),
                        "user-logins.dlq",
                        renamed));
        Map<String, String> source = new HashMap<>(sourceOverrides);
        source.put("dlq.topic", renamed);
        // Stopped while reconfigured: no task with the old topic is left to take a message.
        ConnectRest rest = pipeline.worker().rest();
        rest.stop(pipeline.primary().source());
        rest.awaitState(pipeline.primary().source(), 0, "STOPPED", Duration.ofSeconds(60));
        Map<String, String> sourceConfig = new HashMap<>(
                ConnectorConfigs.withTasks(pipeline.config(pipeline.primary().source()), 2));
        sourceConfig.putAll(source);
        rest.putConnectorConfig(pipeline.primary().source(), sourceConfig);
        pipeline.reconfigure(pipeline.primary().rejectedSink(), 1, Map.of("topics", renamed));
        rest.pause(pipeline.primary().source(), false);
        rest.awaitRunning(pipeline.primary().source(), 2, Duration.ofSeconds(60));
        assertThat(rest.taskConfigs(pipeline.primary().source()))
                .extracting(c -> c.get("dlq.topic"))
                .containsOnly(renamed);

        try (FaultRun run = new FaultRun(pipeline)) {
            run.send(SyntheticLogins.generate(109, 300, 0.3));
            Outcome outcome = run.finish(Duration.ofSeconds(180));
            report("dlq.topic renamed", null, outcome);

            List<String> invalidBodies = run.sent().stream()
                    .map(SentMessage::body)
                    .filter(b -> LoginContract.validLogin(b) == null && b.length() >= 12)
                    .toList();
            assertThat(invalidBodies).as("the case sends malformed messages").hasSizeGreaterThan(30);
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    TopicReader.readAll(pipeline.kafka().bootstrapServers(), renamed);
            assertThat(deadLetters).as("dead letters on the renamed topic").hasSize((int) outcome.rejected());
            StringBuilder topic = new StringBuilder();
            for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
                topic.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
                for (Header h : r.headers()) {
                    topic.append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8))
                            .append('\n');
                }
            }
            String tables = PipelineRows.dump(pipeline.database());
            StringBuilder logs = new StringBuilder();
            for (ConnectWorker w : pipeline.workers()) {
                logs.append(Files.readString(w.process().logFile()))
                        .append(Files.readString(Path.of(w.process().logFile() + ".out")));
            }
            for (String body : invalidBodies) {
                assertThat(topic).as("renamed dead-letter topic").doesNotContain(body);
                assertThat(tables).as("PostgreSQL").doesNotContain(body);
                assertThat(logs).as("worker log").doesNotContain(body);
            }
            PiiCipher rejectedBodies = PipelineRows.rejectedCipher();
            Map<String, Rejected> rejected = PipelineRows.rejected(pipeline.database());
            for (SentMessage m : run.sent()) {
                if (LoginContract.validLogin(m.body()) == null) {
                    assertThat(rejectedBodies.decrypt(
                                    "body", rejected.get(m.messageId()).encryptedBody()))
                            .isEqualTo(m.body());
                }
            }
        }
    }

    /** One line of the fault table, in the test output (target/failsafe-reports/*-output.txt). */
    static void report(String fault, Duration recovery, Outcome outcome) {
        System.out.printf(
                "FAULT | %s | survived | recovered in %s | %s%n",
                fault, recovery == null ? "n/a" : String.format("%.1f s", recovery.toMillis() / 1000.0), outcome);
    }
}
