package io.sqspii.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka cluster in KRaft mode (broker and controller in one process) on loopback: storage
 * formatted with Kafka's own storage tool, then {@code kafka.Kafka} in a child JVM.
 */
final class KafkaBroker implements AutoCloseable {

    /** Largest record batch the broker accepts by default; the pipeline's topics set the same. */
    static final int MESSAGE_MAX_BYTES = 3_145_728;

    private final PipelineLayout layout;
    private final Path config;
    private final String bootstrapServers;
    private ChildJvm process;

    private KafkaBroker(PipelineLayout layout, Path config, ChildJvm process, String bootstrapServers) {
        this.layout = layout;
        this.config = config;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static KafkaBroker start(PipelineLayout layout) {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        Path dir = layout.runDir().resolve("kafka");
        Path config = dir.resolve("server.properties");
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dir.resolve("data").toString());
        // One node: every internal topic has one replica.
        props.setProperty("default.replication.factor", "1");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("num.partitions", "1");
        // Room for the largest record a 1 MiB SQS body becomes (connect-config/README, "Record sizes").
        props.setProperty("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // Topics are created by Connect from the connector configs, never by a typo in a consumer.
        props.setProperty("auto.create.topics.enable", "false");
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(config)) {
                props.store(out, "single-node KRaft cluster of the local pipeline");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ChildJvm.runToCompletion(
                "kafka-storage-format",
                layout,
                "kafka.tools.StorageTool",
                List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()),
                dir.resolve("format.log"));
        KafkaBroker broker = new KafkaBroker(layout, config, launch(layout, config), "127.0.0.1:" + brokerPort);
        broker.awaitReady(Duration.ofSeconds(90));
        return broker;
    }

    private static ChildJvm launch(PipelineLayout layout, Path config) {
        return ChildJvm.start(
                "kafka",
                layout,
                List.of("-Xms256m", "-Xmx768m"),
                "kafka.Kafka",
                List.of(config.toString()),
                Map.of(),
                layout.runDir().resolve("kafka.log"));
    }

    /**
     * Stops the broker (SIGTERM, a controlled shutdown) and starts it again with the same config, ports and
     * data: what a rolling restart does to a one-node cluster. Clients reconnect by themselves.
     */
    void restart() {
        process.close();
        process = launch(layout, config);
        awaitReady(Duration.ofSeconds(90));
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            process.checkAlive();
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "Kafka did not start within " + timeout + "; see " + process.logFile());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
    }

    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10000));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    ChildJvm process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
