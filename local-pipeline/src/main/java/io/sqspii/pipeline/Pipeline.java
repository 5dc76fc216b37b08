package io.sqspii.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The whole pipeline on loopback: ElasticMQ (queue {@code login-queue}), a KRaft Kafka broker and a
 * distributed Connect worker (child JVMs), PostgreSQL with the schema applied. Connectors are registered
 * through Connect's REST API from the files in connect-config/. More workers may join the same group (scale
 * out, failover). Closing stops the workers before the broker (the reverse order hangs their shutdown).
 */
final class Pipeline implements AutoCloseable {

  static final String QUEUE = "login-queue";
  static final String TOPIC = "user-logins";
  static final String DLQ_TOPIC = "user-logins.dlq";
  /** Partitions of the two topics, as the source connector's topic.creation settings declare. */
  static final int PARTITIONS = 6;

  private final PipelineLayout layout;
  private final PipelineDatabase database;
  private final SqsServer sqs;
  private final String queueUrl;
  private final KafkaBroker kafka;
  private final Map<String, String> workerEnvironment;
  private final List<ConnectWorker> workers = new ArrayList<>();
  private final FailedTaskRestarter restarter;

  private Pipeline(PipelineLayout layout, PipelineDatabase database, SqsServer sqs, String queueUrl,
      KafkaBroker kafka, Map<String, String> workerEnvironment) {
    this.layout = layout;
    this.database = database;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.kafka = kafka;
    this.workerEnvironment = workerEnvironment;
    this.restarter = new FailedTaskRestarter(() -> worker().rest(), ConnectorConfigs.NAMES, Duration.ofSeconds(5),
        Duration.ofMinutes(1), notice -> System.err.println("[local-pipeline] " + notice));
  }

  /** Starts every component and the worker; connectors are registered separately. */
  static Pipeline start(PipelineLayout layout, PipelineDatabase database, int visibilityTimeoutSeconds) {
    return start(layout, database, visibilityTimeoutSeconds, Map.of());
  }

  /**
   * As {@link #start(PipelineLayout, PipelineDatabase, int)}, with some of the workers' environment variables
   * replaced (e.g. JDBC_URL through a proxy).
   */
  static Pipeline start(PipelineLayout layout, PipelineDatabase database, int visibilityTimeoutSeconds,
      Map<String, String> environmentOverrides) {
    return start(layout, database, visibilityTimeoutSeconds, environmentOverrides, QUEUE);
  }

  /** As above, reading the queue {@code queueName} (a FIFO queue when it ends in {@code .fifo}). */
  static Pipeline start(PipelineLayout layout, PipelineDatabase database, int visibilityTimeoutSeconds,
      Map<String, String> environmentOverrides, String queueName) {
    database.createIfMissing();
    database.applySchema(layout.connectConfig("sql/schema.sql"), layout.connectConfig("sql/roles.sql"));
    String sinkPassword = database.prepareSinkLogin();
    writeSinkPassword(layout, sinkPassword);
    SqsServer sqs = SqsServer.start();
    KafkaBroker kafka = null;
    try {
      String queueUrl = sqs.createQueue(queueName, visibilityTimeoutSeconds);
      kafka = KafkaBroker.start(layout);
      Map<String, String> env = new HashMap<>();
      env.put("SQS_QUEUE_URL", queueUrl);
      env.put("AWS_ACCESS_KEY_ID", SqsServer.ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", SqsServer.SECRET_KEY);
      env.put("AWS_REGION", "us-east-1");
      env.put("VALUE_SCHEMA_FILE", layout.connectConfig("schemas/user-login.schema.json").toString());
      env.put("PII_DETERMINISTIC_KEYSET", layout.connectConfig("dev/keys/pii-deterministic.json").toString());
      env.put("PII_RANDOMIZED_KEYSET", layout.connectConfig("dev/keys/pii-randomized.json").toString());
      env.put("JDBC_URL", database.sinkUrl());
      env.put("JDBC_USER", PipelineDatabase.SINK_LOGIN);
      env.putAll(environmentOverrides);
      Pipeline pipeline = new Pipeline(layout, database, sqs, queueUrl, kafka, Map.copyOf(env));
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
   * from their first poll. Same partitions as the source's topic.creation settings.
   */
  private void createTopics() {
    createTopic(TOPIC);
    createTopic(DLQ_TOPIC);
  }

  /**
   * Creates a topic as the source's topic.creation settings would: same partitions, same max.message.bytes
   * (so the largest record the source can produce fits).
   */
  void createTopic(String name) {
    String maxMessageBytes = ConnectorConfigs.load(layout, ConnectorConfigs.SOURCE)
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

  /** PUTs each connect-config JSON through the REST API, then waits for every connector to run. */
  void registerConnectors(int sourceTasks, int sinkTasks) {
    registerConnectors(sourceTasks, sinkTasks, Map.of());
  }

  /** As {@link #registerConnectors(int, int)}, with some keys of the source connector's config replaced. */
  void registerConnectors(int sourceTasks, int sinkTasks, Map<String, String> sourceOverrides) {
    for (String name : ConnectorConfigs.NAMES) {
      Map<String, String> config = new LinkedHashMap<>(config(name, sourceTasks, sinkTasks));
      if (name.equals(ConnectorConfigs.SOURCE)) {
        config.putAll(sourceOverrides);
      }
      worker().rest().putConnectorConfig(name, config);
    }
    for (String name : ConnectorConfigs.NAMES) {
      worker().rest().awaitRunning(name, tasks(name, sourceTasks, sinkTasks), Duration.ofSeconds(90));
    }
  }

  /** PUTs one connector's committed config with some keys replaced, then waits until its tasks run. */
  void reconfigure(String name, int tasks, Map<String, String> overrides) {
    Map<String, String> config = new LinkedHashMap<>(ConnectorConfigs.withTasks(ConnectorConfigs.load(layout, name),
        tasks));
    config.putAll(overrides);
    worker().rest().putConnectorConfig(name, config);
    worker().rest().awaitRunning(name, tasks, Duration.ofSeconds(90));
  }

  Map<String, String> config(String name, int sourceTasks, int sinkTasks) {
    return ConnectorConfigs.withTasks(ConnectorConfigs.load(layout, name), tasks(name, sourceTasks, sinkTasks));
  }

  private static int tasks(String name, int sourceTasks, int sinkTasks) {
    return switch (name) {
      case ConnectorConfigs.SOURCE -> sourceTasks;
      case ConnectorConfigs.SINK -> sinkTasks;
      default -> 1;
    };
  }

  /** Kills the first worker JVM (SIGKILL): a crash mid-stream. */
  void killWorker() {
    workers.get(0).kill();
  }

  /** Starts a new first worker JVM with the same config; it resumes the connectors stored in Kafka. */
  void restartWorker() {
    ConnectWorker dead = workers.get(0);
    workers.set(0, ConnectWorker.start(layout, kafka.bootstrapServers(), workerEnvironment, dead.restPort(),
        dead.process().name()));
  }

  /** Starts one more worker in the same group (same config and environment): Connect spreads the tasks. */
  ConnectWorker addWorker() {
    ConnectWorker worker = ConnectWorker.start(layout, kafka.bootstrapServers(), workerEnvironment, 0,
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

  SqsServer sqs() {
    return sqs;
  }

  String queueUrl() {
    return queueUrl;
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
