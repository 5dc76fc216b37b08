package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The pipeline benchmark (not a test): N messages are queued first, then the connectors are registered and
 * the clock runs until every message is a row in PostgreSQL. In the same run, on the same ElasticMQ, a raw
 * SDK loop (ReceiveMessage of 10 + DeleteMessageBatch, one thread) drains the same N messages from another
 * queue: the ratio end-to-end / raw says what Connect, Kafka, the SMTs and the sink cost over SQS itself.
 * Prints one line per figure and writes {@code local-pipeline/target/bench/pipeline-tasks<N>.json}.
 */
final class PipelineBench {

  private PipelineBench() {
  }

  static int run(PipelineLayout layout, PipelineDatabase database, RunOptions options, List<String> bodies,
      PrintStream out) throws InterruptedException {
    int n = bodies.size();
    out.printf(Locale.ROOT, "bench: %,d messages, source tasks.max=%d, sink tasks.max=%d%n", n,
        options.sourceTasks(), options.sinkTasks());
    try (Pipeline pipeline = Pipeline.start(layout, database, options.visibilityTimeoutSeconds())) {
      double raw = rawReceiveDeleteRate(pipeline, bodies);
      out.printf(Locale.ROOT, "raw SDK receive+delete (1 thread): %,.0f msg/s%n", raw);

      try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 4)) {
        generator.send(bodies, sent -> { });
      }
      Counts baseline = pipeline.database().counts();
      long start = System.nanoTime();
      pipeline.registerConnectors(options.sourceTasks(), options.sinkTasks());
      Counts result = new ProgressMonitor(pipeline, baseline, out, Duration.ofSeconds(120))
          .awaitAccounted(n, () -> n);
      double seconds = LocalPipeline.seconds(start);
      double endToEnd = n / seconds;
      out.printf(Locale.ROOT, "end to end (registration to last row): %,.0f msg/s (%,d rows, %,d rejected, %.1f s)%n",
          endToEnd, result.rows(), result.rejected(), seconds);
      out.printf(Locale.ROOT, "ratio end-to-end / raw: %.2f%n", endToEnd / raw);

      long harness = ProcessMemory.ownPeakRssBytes().orElse(-1L);
      long broker = pipeline.kafka().process().peakRssBytes().orElse(-1L);
      long worker = pipeline.worker().process().peakRssBytes().orElse(-1L);
      out.printf(Locale.ROOT, "peak RSS: harness+ElasticMQ %s, Kafka broker %s, Connect worker %s, total %s%n",
          mib(harness), mib(broker), mib(worker), mib(harness + broker + worker));

      ObjectNode json = new ObjectMapper().createObjectNode();
      json.put("messages", n);
      json.put("sourceTasks", options.sourceTasks());
      json.put("sinkTasks", options.sinkTasks());
      json.put("rawReceiveDeleteMsgsPerSec", Math.round(raw));
      json.put("endToEndMsgsPerSec", Math.round(endToEnd));
      json.put("ratio", Math.round(endToEnd / raw * 100) / 100.0);
      json.put("rows", result.rows());
      json.put("rejected", result.rejected());
      json.put("peakRssHarnessBytes", harness);
      json.put("peakRssBrokerBytes", broker);
      json.put("peakRssWorkerBytes", worker);
      write(layout.projectDir().resolve("local-pipeline/target/bench/pipeline-tasks" + options.sourceTasks()
          + ".json"), json);
    }
    return 0;
  }

  /** Queues the same bodies on a separate queue, then times one SDK thread draining it. */
  private static double rawReceiveDeleteRate(Pipeline pipeline, List<String> bodies) {
    SqsClient client = pipeline.sqs().client();
    String queue = pipeline.sqs().createQueue("bench-raw", 60);
    try (LoadGenerator generator = new LoadGenerator(client, queue, 4)) {
      generator.send(bodies, sent -> { });
    }
    long start = System.nanoTime();
    long drained = 0;
    while (drained < bodies.size()) {
      List<Message> messages = client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      if (messages.isEmpty()) {
        continue;
      }
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(messages.get(i).receiptHandle()).build());
      }
      DeleteMessageBatchResponse response = client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new IllegalStateException("raw loop: " + response.failed().size() + " deletes failed");
      }
      drained += messages.size();
    }
    return drained / LocalPipeline.seconds(start);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
  }

  private static void write(Path file, ObjectNode json) {
    try {
      Files.createDirectories(file.getParent());
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
