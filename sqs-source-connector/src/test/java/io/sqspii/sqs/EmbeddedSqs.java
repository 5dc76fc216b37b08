package io.sqspii.sqs;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** One ElasticMQ server on a random loopback port for the whole test JVM, and a plain SDK client for it. */
final class EmbeddedSqs {

  private static EmbeddedSqs instance;

  final SQSRestServer server;
  final int port;
  final SqsClient client;

  private EmbeddedSqs(SQSRestServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = client(port);
  }

  static synchronized EmbeddedSqs get() {
    if (instance == null) {
      SQSRestServer server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
      int port = server.waitUntilStarted().localAddress().getPort();
      instance = new EmbeddedSqs(server, port);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait));
    }
    return instance;
  }

  static SqsClient client(int port) {
    return SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(16))
        .build();
  }

  String createQueue(int visibilitySeconds) {
    return client.createQueue(b -> b.queueName("q-" + UUID.randomUUID())
        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds))))
        .queueUrl();
  }

  String createFifoQueue(int visibilitySeconds) {
    return client.createQueue(b -> b.queueName("q-" + UUID.randomUUID() + ".fifo")
        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
            QueueAttributeName.FIFO_QUEUE, "true",
            QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")))
        .queueUrl();
  }

  /** Sends the bodies in batches of 10; returns the message ids in order. */
  List<String> send(String queueUrl, List<String> bodies) {
    List<String> ids = new java.util.ArrayList<>();
    for (int from = 0; from < bodies.size(); from += 10) {
      List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
      for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from))
            .messageBody(bodies.get(i)).build());
      }
      SendMessageBatchResponse r = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (!r.failed().isEmpty()) {
        throw new IllegalStateException("send failed: " + r.failed());
      }
      String[] batchIds = new String[entries.size()];
      r.successful().forEach(s -> batchIds[Integer.parseInt(s.id())] = s.messageId());
      ids.addAll(List.of(batchIds));
    }
    return ids;
  }

  /** Visible + in flight, as SQS reports them. */
  long remaining(String queueUrl) {
    Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** The user_logins dataset's event schema (datasets/user_logins/event.schema.json, PII annotated). */
  static String schemaFile() {
    Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("datasets/user_logins/event.schema.json");
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IllegalStateException("no " + file + ": run the tests from the sqs-source-connector module");
    }
    return file.toString();
  }

  /** A working task/connector config for {@code queueUrl}, tuned for quick tests. */
  static Map<String, String> props(String queueUrl) {
    Map<String, String> p = new HashMap<>();
    p.put("name", "sqs-test-" + UUID.randomUUID().toString().substring(0, 8));
    p.put(SqsSourceConfig.QUEUE_URL, queueUrl);
    p.put(SqsSourceConfig.REGION, "us-east-1");
    p.put(SqsSourceConfig.ACCESS_KEY_ID, "x");
    p.put(SqsSourceConfig.SECRET_ACCESS_KEY, "x");
    p.put(SqsSourceConfig.TOPIC, "user-logins");
    p.put(SqsSourceConfig.DLQ_TOPIC, "user-logins.dlq");
    p.put(SqsSourceConfig.VALUE_SCHEMA_FILE, schemaFile());
    p.put(SqsSourceConfig.WAIT_TIME_SECONDS, "1");
    p.put(SqsSourceConfig.SHUTDOWN_GRACE_MS, "500");
    p.put(SqsSourceConfig.RETRY_BACKOFF_MS, "50");
    p.put(SqsSourceConfig.RETRY_BACKOFF_MAX_MS, "500");
    return p;
  }
}
