package io.sqspii.pipeline;

import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS of the local pipeline: ElasticMQ, which speaks the SQS protocol, in this JVM on a free loopback
 * port. Queues are created like on AWS, through the API.
 */
final class SqsServer implements AutoCloseable {

  /** ElasticMQ's fixed account id in queue URLs. */
  static final String ACCOUNT = "000000000000";
  /** Any key pair is accepted by ElasticMQ; the Connect worker gets it through AWS_* variables. */
  static final String ACCESS_KEY = "local";
  static final String SECRET_KEY = "local";

  private final SQSRestServer server;
  private final String endpoint;
  private final SqsClient client;

  private SqsServer(SQSRestServer server, int port) {
    this.server = server;
    this.endpoint = "http://127.0.0.1:" + port;
    this.client = SqsClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32))
        .build();
  }

  static SqsServer start() {
    SQSRestServer server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
    return new SqsServer(server, server.waitUntilStarted().localAddress().getPort());
  }

  /**
   * Creates (or finds) a queue with the given visibility timeout; returns its URL. A name ending in
   * {@code .fifo} makes a FIFO queue, as on AWS, with content-based deduplication.
   */
  String createQueue(String name, int visibilityTimeoutSeconds) {
    Map<QueueAttributeName, String> attributes = new java.util.EnumMap<>(QueueAttributeName.class);
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds));
    if (name.endsWith(".fifo")) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
    }
    return client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
  }

  /** Messages still in the queue, visible or in flight (received, not deleted). */
  long remaining(String queueUrl) {
    Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return a.values().stream().mapToLong(Long::parseLong).sum();
  }

  String endpoint() {
    return endpoint;
  }

  SqsClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}
