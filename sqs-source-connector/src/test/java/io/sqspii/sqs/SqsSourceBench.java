package io.sqspii.sqs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Benchmark (not a test): records/s through {@code poll()} + {@code commitRecord()} + DeleteMessageBatch with 1 and
 * 2 tasks, against the raw SDK loop (ReceiveMessage 10 + DeleteMessageBatch) on the same embedded ElasticMQ, each
 * draining a queue pre-loaded with the same number of messages. Writes target/bench/sqs-source.json.
 *
 * <pre>./mvnw -B -q -pl sqs-source-connector test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sqspii.sqs.SqsSourceBench [-Dbench.messages=100000]</pre>
 */
public final class SqsSourceBench {

  private SqsSourceBench() {
  }

  public static void main(String[] args) throws Exception {
    int messages = Integer.getInteger("bench.messages", 100_000);
    int warmup = Integer.getInteger("bench.warmup", 10_000);
    SQSRestServer server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
    int port = server.waitUntilStarted().localAddress().getPort();
    try (SqsClient client = EmbeddedSqs.client(port)) {
      System.out.printf(Locale.ROOT, "ElasticMQ on 127.0.0.1:%d, %d messages per run, %d cores, Java %s%n", port,
          messages, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

      // Warm-up (JIT) on small queues, not measured.
      raw(client, preload(client, port, warmup), warmup);
      connector(port, preload(client, port, warmup), warmup, 1);

      String rawQueue = preload(client, port, messages);
      double raw = raw(client, rawQueue, messages);
      System.out.printf(Locale.ROOT, "raw SDK loop (receive 10 + DeleteMessageBatch): %,.0f msg/s%n", raw);
      String oneQueue = preload(client, port, messages);
      double one = connector(port, oneQueue, messages, 1);
      System.out.printf(Locale.ROOT, "connector, 1 task (poll + commitRecord + delete): %,.0f records/s%n", one);
      String twoQueue = preload(client, port, messages);
      double two = connector(port, twoQueue, messages, 2);
      System.out.printf(Locale.ROOT, "connector, 2 tasks: %,.0f records/s%n", two);
      System.out.printf(Locale.ROOT, "ratio 1 task / raw = %.2f (goal >= 0.8); 2 tasks / 1 task = %.2f%n",
          one / raw, two / one);

      // <module>/target/bench, wherever Maven was started from (test-classes lives in target/).
      Path target = Path.of(SqsSourceBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
      Path out = target.resolve("bench").resolve("sqs-source.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, String.format(Locale.ROOT, "{%n"
          + "  \"messages\": %d,%n"
          + "  \"cores\": %d,%n"
          + "  \"java\": \"%s\",%n"
          + "  \"raw_sdk_msgs_per_s\": %.1f,%n"
          + "  \"connector_1_task_records_per_s\": %.1f,%n"
          + "  \"connector_2_tasks_records_per_s\": %.1f,%n"
          + "  \"ratio_1_task_to_raw\": %.3f,%n"
          + "  \"ratio_2_tasks_to_1_task\": %.3f%n"
          + "}%n", messages, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          raw, one, two, one / raw, two / one));
      System.out.println("wrote " + out.toAbsolutePath());
    } finally {
      server.stopAndWait();
    }
    System.exit(0);
  }

  /** Creates a queue holding {@code n} login messages (sent with 4 threads of SendMessageBatch). */
  static String preload(SqsClient client, int port, int n) throws Exception {
    String queue = client.createQueue(b -> b.queueName("bench-" + System.nanoTime())
        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    int perThread = (n + 3) / 4;
    for (int t = 0; t < 4; t++) {
      int from = t * perThread;
      int to = Math.min(n, from + perThread);
      done.add(pool.submit(() -> {
        for (int i = from; i < to; i += 10) {
          List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
          for (int j = i; j < Math.min(to, i + 10); j++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j - i))
                .messageBody(SqsSourceTaskTest.login(j)).build());
          }
          client.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return queue;
  }

  /** One consumer: ReceiveMessage(10) then DeleteMessageBatch of what came back, until n are deleted. */
  static double raw(SqsClient client, String queue, int n) {
    long start = System.nanoTime();
    int deleted = 0;
    while (deleted < n) {
      List<Message> batch = client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
          .messages();
      if (batch.isEmpty()) {
        continue;
      }
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(batch.get(i).receiptHandle()).build());
      }
      deleted += client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries)).successful().size();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * {@code tasks} tasks, each driven like a worker: poll() then commitRecord() for each record (the ack Kafka would
   * give); the clock stops when SQS confirmed the delete of the n-th message.
   */
  static double connector(int port, String queue, int n, int tasks) throws Exception {
    Map<String, String> props = EmbeddedSqs.props(queue);
    props.put("name", "bench-" + tasks);
    props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "60");
    props.put(SqsSourceConfig.SHUTDOWN_GRACE_MS, "1000");
    List<SqsSourceTask> started = new ArrayList<>();
    List<Thread> drivers = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    long start = System.nanoTime();
    for (int t = 0; t < tasks; t++) {
      Map<String, String> p = new java.util.HashMap<>(props);
      p.put(SqsSourceConfig.TASK_INDEX, Integer.toString(t));
      SqsSourceTask task = TestTasks.start(p);
      started.add(task);
      Thread driver = new Thread(() -> {
        TopicPartition tp = new TopicPartition("user-logins", 0);
        long offset = 0;
        try {
          while (!stop.get()) {
            List<SourceRecord> records = task.poll();
            if (records != null) {
              for (SourceRecord r : records) {
                task.commitRecord(r, new RecordMetadata(tp, offset++, 0, r.timestamp(), 36, 170));
              }
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-worker-" + t);
      driver.start();
      drivers.add(driver);
    }
    long deleted;
    do {
      Thread.sleep(2);
      deleted = started.stream().mapToLong(t -> t.metrics().deleted.get()).sum();
    } while (deleted < n);
    double rate = n / ((System.nanoTime() - start) / 1e9);
    stop.set(true);
    for (Thread d : drivers) {
      d.join(5000);
    }
    started.forEach(SqsSourceTask::stop);
    for (SqsSourceTask t : started) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!t.isClosed() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
    }
    return rate;
  }
}
