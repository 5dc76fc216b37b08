package io.sqspii.pipeline;

import io.sqspii.dataset.Datasets;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The whole pipeline on loopback for one or more datasets: ElasticMQ (one queue per dataset), a KRaft Kafka broker
 * and a distributed Connect worker (child JVMs), PostgreSQL with schema.sql, roles.sql and each dataset applied (its
 * tables, grants and PII catalog rows, as {@code dataset apply} does). Connectors are registered through Connect's
 * REST API from the configs each definition generates. More workers may join the same group (scale out, failover).
 * Closing stops the workers before the broker (the reverse order hangs their shutdown).
 */
final class Pipeline implements AutoCloseable {

    /** Partitions of every topic, as the source connectors' topic.creation settings declare. */
    static final int PARTITIONS = 6;

    private final PipelineLayout layout;
    private final PipelineDatabase database;
    private final List<RunDataset> datasets;
    private final EmbeddedElasticMq sqs;
    private final Map<String, String> queueUrls;
    private final KafkaBroker kafka;
    private final Map<String, String> workerEnvironment;
    private final List<ConnectWorker> workers = new ArrayList<>();
    private final FailedTaskRestarter restarter;

    private Pipeline(
            PipelineLayout layout,
            PipelineDatabase database,
            List<RunDataset> datasets,
            EmbeddedElasticMq sqs,
            Map<String, String> queueUrls,
            KafkaBroker kafka,
            Map<String, String> workerEnvironment) {
        this.layout = layout;
        this.database = database;
        this.datasets = new CopyOnWriteArrayList<>(datasets);
        this.sqs = sqs;
        this.queueUrls = Map.copyOf(queueUrls);
        this.kafka = kafka;
        this.workerEnvironment = workerEnvironment;
        List<String> names = new ArrayList<>();
        datasets.forEach(d -> names.addAll(d.connectors().keySet()));
        this.restarter = new FailedTaskRestarter(
                () -> worker().rest(),
                names,
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                notice -> System.err.println("[local-pipeline] " + notice));
    }

    /** Starts every component and the worker for the user_logins dataset; connectors are registered separately. */
    static Pipeline start(PipelineLayout layout, PipelineDatabase database, int visibilityTimeoutSeconds) {
        return start(layout, database, visibilityTimeoutSeconds, Map.of());
    }

    /**
     * As {@link #start(PipelineLayout, PipelineDatabase, int)}, with some of the workers' environment variables
     * replaced (e.g. JDBC_URL through a proxy).
     */
    static Pipeline start(
            PipelineLayout layout,
            PipelineDatabase database,
            int visibilityTimeoutSeconds,
            Map<String, String> environmentOverrides) {
        return start(
                layout,
                database,
                visibilityTimeoutSeconds,
                environmentOverrides,
                List.of(RunDataset.shipped(layout, RunDataset.USER_LOGINS)));
    }

    /** As above, serving {@code datasets} (a queue whose name ends in {@code .fifo} is a FIFO queue). */
    static Pipeline start(
            PipelineLayout layout,
            PipelineDatabase database,
            int visibilityTimeoutSeconds,
            Map<String, String> environmentOverrides,
            List<RunDataset> datasets) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no dataset to run");
        }
        database.createIfMissing();
        database.applySchema(layout.connectConfig("sql/schema.sql"), layout.connectConfig("sql/roles.sql"));
        datasets.forEach(database::applyDataset);
        String sinkPassword = database.prepareSinkLogin();
        writeSinkPassword(layout, sinkPassword);
        EmbeddedElasticMq sqs = EmbeddedElasticMq.start();
        KafkaBroker kafka = null;
        try {
            Map<String, String> queueUrls = new LinkedHashMap<>();
            for (RunDataset d : datasets) {
                queueUrls.put(d.name(), sqs.createQueue(d.queue(), visibilityTimeoutSeconds));
            }
            String first = queueUrls.values().iterator().next();
            kafka = KafkaBroker.start(layout);
            Map<String, String> env = new HashMap<>();
            // The generated source configs read ${env:SQS_QUEUE_URL_BASE}/<queue>: every queue shares the server's
            // base.
            env.put("SQS_QUEUE_URL_BASE", first.substring(0, first.lastIndexOf('/')));
            env.put("AWS_ACCESS_KEY_ID", EmbeddedElasticMq.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", EmbeddedElasticMq.SECRET_KEY);
            env.put("AWS_REGION", "us-east-1");
            DevKeysets.of(layout, datasets)
                    .forEach((name, file) ->
                            env.put(io.sqspii.dataset.DatasetConnectors.keysetEnvironment(name), file.toString()));
            env.put("JDBC_URL", database.sinkUrl());
            env.put("JDBC_USER", database.sinkLogin());
            env.putAll(environmentOverrides);
            Pipeline pipeline = new Pipeline(layout, database, datasets, sqs, queueUrls, kafka, Map.copyOf(env));
            pipeline.createTopics();
            pipeline.addWorker();
            pipeline.restarter.start();
            return pipeline;
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            sqs.close();
            throw e;
        }
    }

    /**
     * The sinks' password as the connector configs read it, {@code ${file:<secrets>/jdbc.properties:password}}:
     * a file only the run's user can read, in the one folder the worker's file config provider may read.
     */
    private static void writeSinkPassword(PipelineLayout layout, String password) {
        Path file = layout.secretsDir().resolve("jdbc.properties");
        Properties props = new Properties();
        props.setProperty("password", password);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file)) {
                props.store(out, "the JDBC sinks' password (local pipeline run)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The deployment creates the topics (the broker does not auto-create them), so the sinks find them
     * from their first poll. Same partitions as the sources' topic.creation settings.
     */
    private void createTopics() {
        for (RunDataset d : datasets) {
            createTopic(d.topic());
            createTopic(d.deadLetterTopic());
        }
    }

    /**
     * Creates a topic as the source's topic.creation settings would: same partitions, same max.message.bytes
     * (so the largest record the source can produce fits).
     */
    void createTopic(String name) {
        String maxMessageBytes = primary()
                .connectors()
                .get(primary().source())
                .get("topic.creation.default." + TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        NewTopic topic = new NewTopic(name, PARTITIONS, (short) 1);
        if (maxMessageBytes != null) {
            topic.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes));
        }
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(topic)).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** PUTs every dataset's connector configs through the REST API, then waits for every connector to run. */
    void registerConnectors(int sourceTasks, int sinkTasks) {
        registerConnectors(sourceTasks, sinkTasks, Map.of());
    }

    /** As {@link #registerConnectors(int, int)}, with some keys of every source connector's config replaced. */
    void registerConnectors(int sourceTasks, int sinkTasks, Map<String, String> sourceOverrides) {
        Map<String, Integer> tasks = new LinkedHashMap<>();
        for (RunDataset d : datasets) {
            for (String name : d.connectors().keySet()) {
                Map<String, String> config = new LinkedHashMap<>(config(name, sourceTasks, sinkTasks));
                if (name.equals(d.source())) {
                    config.putAll(sourceOverrides);
                }
                worker().rest().putConnectorConfig(name, config);
                tasks.put(name, Integer.parseInt(config.get("tasks.max")));
            }
        }
        tasks.forEach((name, n) -> worker().rest().awaitRunning(name, n, Duration.ofSeconds(90)));
    }

    /**
     * Applies a changed definition of a dataset this run serves, while it runs, as {@code dataset apply --connect-url}
     * does: DDL, grants and catalog in one transaction, then its connectors through the REST API (unchanged ones left
     * alone, sinks before the source, tasks.max kept); waits until they run. A refused change applies nothing.
     * Returns the plan and one line per connector.
     */
    String apply(RunDataset changed) throws Datasets.RefusedException, Datasets.RegistrationException {
        RunDataset current = datasets.stream()
                .filter(d -> d.name().equals(changed.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("this run serves no dataset " + changed.name()));
        Map<String, Integer> tasks = new LinkedHashMap<>();
        current.connectors()
                .keySet()
                .forEach(name ->
                        tasks.put(name, worker().rest().taskConfigs(name).size()));
        String plan = database.applyChange(changed);
        datasets.set(datasets.indexOf(current), changed);
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        changed.connectors().keySet().forEach(name -> configs.put(name, config(name)));
        List<String> done = Datasets.register(
                URI.create(worker().rest().baseUrl()), worker().rest().basicCredentials(), configs);
        tasks.forEach((name, n) -> worker().rest().awaitRunning(name, n, Duration.ofSeconds(90)));
        return plan + String.join("\n", done) + "\n";
    }

    /** PUTs one connector's generated config with some keys replaced, then waits until its tasks run. */
    void reconfigure(String name, int tasks, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(ConnectorConfigs.withTasks(config(name), tasks));
        config.putAll(overrides);
        worker().rest().putConnectorConfig(name, config);
        worker().rest().awaitRunning(name, tasks, Duration.ofSeconds(90));
    }

    /** A connector's generated config as this run registers it (its secrets folder), with the run's tasks.max. */
    Map<String, String> config(String name, int sourceTasks, int sinkTasks) {
        RunDataset d = datasetOf(name);
        int tasks = name.equals(d.source()) ? sourceTasks : name.equals(d.sink()) ? sinkTasks : 1;
        return ConnectorConfigs.withTasks(config(name), tasks);
    }

    /** A connector's generated config as this run registers it. */
    Map<String, String> config(String name) {
        return ConnectorConfigs.forRun(layout, datasetOf(name).connectors().get(name));
    }

    private RunDataset datasetOf(String connector) {
        return datasets.stream()
                .filter(d -> d.connectors().containsKey(connector))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no connector " + connector + " in this run"));
    }

    /** Names of every connector of the run, in registration order. */
    List<String> connectorNames() {
        List<String> out = new ArrayList<>();
        datasets.forEach(d -> out.addAll(d.connectors().keySet()));
        return out;
    }

    /** Kills the first worker JVM (SIGKILL): a crash mid-stream. */
    void killWorker() {
        workers.get(0).kill();
    }

    /** Starts a new first worker JVM with the same config; it resumes the connectors stored in Kafka. */
    void restartWorker() {
        ConnectWorker dead = workers.get(0);
        workers.set(
                0,
                ConnectWorker.start(
                        layout,
                        kafka.bootstrapServers(),
                        workerEnvironment,
                        dead.restPort(),
                        dead.process().name()));
    }

    /** Starts one more worker in the same group (same config and environment): Connect spreads the tasks. */
    ConnectWorker addWorker() {
        ConnectWorker worker = ConnectWorker.start(
                layout,
                kafka.bootstrapServers(),
                workerEnvironment,
                0,
                "connect" + (workers.isEmpty() ? "" : "-" + (workers.size() + 1)));
        workers.add(worker);
        return worker;
    }

    /** Stops the broker cleanly and starts it again on the same ports and data: workers reconnect. */
    void restartBroker() {
        kafka.restart();
    }

    PipelineLayout layout() {
        return layout;
    }

    PipelineDatabase database() {
        return database;
    }

    EmbeddedElasticMq sqs() {
        return sqs;
    }

    /** The datasets this run serves, in start order. */
    List<RunDataset> datasets() {
        return datasets;
    }

    /** The first dataset of the run (the one single-dataset runs serve). */
    RunDataset primary() {
        return datasets.get(0);
    }

    RunDataset dataset(String name) {
        return datasets.stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dataset " + name + " in this run"));
    }

    /** The first dataset's queue. */
    String queueUrl() {
        return queueUrl(primary());
    }

    String queueUrl(RunDataset dataset) {
        return queueUrls.get(dataset.name());
    }

    /** Messages in every queue of the run (visible, in flight or delayed). */
    long remaining() {
        return datasets.stream().mapToLong(d -> sqs.remaining(queueUrl(d))).sum();
    }

    /** Rows in the valid and rejected tables of every dataset of the run. */
    PipelineDatabase.Counts counts() {
        return database.counts(datasets);
    }

    KafkaBroker kafka() {
        return kafka;
    }

    /** The first worker still running (any member of the group serves the whole REST API). */
    ConnectWorker worker() {
        return workers.stream().filter(w -> w.process().isAlive()).findFirst().orElseGet(() -> workers.get(0));
    }

    /** Every worker started, in start order, killed ones included. */
    List<ConnectWorker> workers() {
        return List.copyOf(workers);
    }

    /** FAILED connectors and tasks restarted so far (Connect itself never restarts them). */
    long failedTaskRestarts() {
        return restarter.restarts();
    }

    @Override
    public void close() {
        restarter.close();
        try {
            for (ConnectWorker worker : workers) {
                worker.close();
            }
        } finally {
            try {
                kafka.close();
            } finally {
                sqs.close();
            }
        }
    }
}
