package io.sqspii.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole pipeline on loopback: ElasticMQ (queue {@code login-queue}), a KRaft Kafka broker and a
 * distributed Connect worker (child JVMs), PostgreSQL with the schema applied. Connectors are registered
 * through Connect's REST API from the files in connect-config/. Closing stops the worker before the
 * broker (the reverse order hangs the worker's shutdown).
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
  private ConnectWorker worker;

  private Pipeline(PipelineLayout layout, PipelineDatabase database, SqsServer sqs, String queueUrl,
      KafkaBroker kafka, Map<String, String> workerEnvironment) {
    this.layout = layout;
    this.database = database;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.kafka = kafka;
    this.workerEnvironment = workerEnvironment;
  }

  /** Starts every component and the worker; connectors are registered separately. */
  static Pipeline start(PipelineLayout layout, PipelineDatabase database, int visibilityTimeoutSeconds) {
    database.createIfMissing();
    database.applySchema(layout.connectConfig("sql/schema.sql"), layout.connectConfig("sql/roles.sql"));
    String sinkPassword = database.prepareSinkLogin();
    SqsServer sqs = SqsServer.start();
    KafkaBroker kafka = null;
    try {
      String queueUrl = sqs.createQueue(QUEUE, visibilityTimeoutSeconds);
      kafka = KafkaBroker.start(layout);
      createTopics(kafka);
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
      env.put("JDBC_PASSWORD", sinkPassword);
      Pipeline pipeline = new Pipeline(layout, database, sqs, queueUrl, kafka, Map.copyOf(env));
      pipeline.worker = ConnectWorker.start(layout, kafka.bootstrapServers(), pipeline.workerEnvironment, 0,
          "connect");
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
   * The deployment creates the topics (the broker does not auto-create them), so the sinks find them
   * from their first poll. Same partitions as the source's topic.creation settings.
   */
  private static void createTopics(KafkaBroker kafka) {
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1),
          new NewTopic(DLQ_TOPIC, PARTITIONS, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the pipeline's topics", e);
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
      worker.rest().putConnectorConfig(name, config);
    }
    for (String name : ConnectorConfigs.NAMES) {
      worker.rest().awaitRunning(name, tasks(name, sourceTasks, sinkTasks), Duration.ofSeconds(90));
    }
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

  /** Kills the worker JVM (SIGKILL): a crash mid-stream. */
  void killWorker() {
    worker.kill();
  }

  /** Starts a new worker JVM with the same config; it resumes the connectors stored in Kafka. */
  void restartWorker() {
    worker = ConnectWorker.start(layout, kafka.bootstrapServers(), workerEnvironment, worker.restPort(), "connect");
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

  ConnectWorker worker() {
    return worker;
  }

  @Override
  public void close() {
    try {
      if (worker != null) {
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
