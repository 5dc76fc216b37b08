package io.sqspii.testsupport.sqs;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
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

/**
 * ElasticMQ, which speaks the SQS protocol, in this JVM on a free loopback port, and an SDK client for it. Queues
 * are created like on AWS, through the API. Either one per JVM ({@link #shared()}) or one of the caller's own
 * ({@link #start()}, stopped by {@link #close()}).
 */
public final class EmbeddedElasticMq implements AutoCloseable {

    /** ElasticMQ's fixed account id in queue URLs. */
    public static final String ACCOUNT = "000000000000";
    /** Any key pair is accepted by ElasticMQ; this is the one its clients sign with. */
    public static final String ACCESS_KEY = "local";

    public static final String SECRET_KEY = "local";

    private static EmbeddedElasticMq shared;

    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;

    private EmbeddedElasticMq(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = client(endpoint());
    }

    /** A server of the caller's own. */
    public static EmbeddedElasticMq start() {
        SQSRestServer server = SQSRestServerBuilder.withDynamicPort()
                .withInterface("127.0.0.1")
                .start();
        return new EmbeddedElasticMq(
                server, server.waitUntilStarted().localAddress().getPort());
    }

    /** One server for the whole JVM, started on first use and stopped when the JVM exits; do not close it. */
    public static synchronized EmbeddedElasticMq shared() {
        if (shared == null) {
            EmbeddedElasticMq started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started.server::stopAndWait));
            shared = started;
        }
        return shared;
    }

    /** An SDK client with this server's credentials calling {@code endpoint} (the server, or a proxy before it). */
    public static SqsClient client(String endpoint) {
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32))
                .build();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public SqsClient client() {
        return client;
    }

    /**
     * Creates (or finds) a queue with the given visibility timeout; returns its URL. A name ending in
     * {@code .fifo} makes a FIFO queue, as on AWS, with content-based deduplication.
     */
    public String createQueue(String name, int visibilityTimeoutSeconds) {
        Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds));
        if (name.endsWith(".fifo")) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
        }
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    /** A new standard queue of a random name. */
    public String createQueue(int visibilityTimeoutSeconds) {
        return createQueue("q-" + UUID.randomUUID(), visibilityTimeoutSeconds);
    }

    /** A new FIFO queue of a random name without content-based deduplication: senders give each a deduplication id. */
    public String createFifoQueue(int visibilityTimeoutSeconds) {
        return client.createQueue(b -> b.queueName("q-" + UUID.randomUUID() + ".fifo")
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Integer.toString(visibilityTimeoutSeconds),
                                QueueAttributeName.FIFO_QUEUE,
                                "true",
                                QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                                "false")))
                .queueUrl();
    }

    /** Sends the bodies in batches of 10; returns the message ids in order. */
    public List<String> send(String queueUrl, List<String> bodies) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i - from))
                        .messageBody(bodies.get(i))
                        .build());
            }
            SendMessageBatchResponse r =
                    client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!r.failed().isEmpty()) {
                throw new IllegalStateException("send failed: " + r.failed());
            }
            String[] batchIds = new String[entries.size()];
            r.successful().forEach(s -> batchIds[Integer.parseInt(s.id())] = s.messageId());
            ids.addAll(List.of(batchIds));
        }
        return ids;
    }

    /** Messages still in the queue, visible, in flight (received, not deleted) or delayed. */
    public long remaining(String queueUrl) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
