package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SyntheticLogins;
import java.io.IOException;
import java.io.OutputStream;
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
 * The pipeline benchmark (not a test). Both sides are warmed up first with the same untimed number of
 * messages, so that neither figure is JIT compilation or connector start-up. Then, on the same ElasticMQ:
 * <ul>
 *   <li>raw: one thread of SDK ReceiveMessage(10) + DeleteMessageBatch drains N queued messages;
 *   <li>end to end: with the source connector paused (its tasks stop polling, the sinks keep running),
 *       N messages are queued; the clock runs from its resume until every message is a row in PostgreSQL.
 * </ul>
 * The ratio end-to-end / raw says what Connect, Kafka, the SMTs and the sinks cost over SQS itself.
 * Prints one line per figure and writes {@code local-pipeline/target/bench/pipeline-tasks<N>.json}.
 */
final class PipelineBench {

  private static final Duration STALL = Duration.ofSeconds(120);

  private PipelineBench() {
  }

  static int run(PipelineLayout layout, PipelineDatabase database, RunOptions options, List<String> bodies,
      PrintStream out) throws InterruptedException {
    int n = bodies.size();
    List<String> warmup = SyntheticLogins.generate(options.seed() + 1, options.warmup(), options.malformedShare());
    out.printf(Locale.ROOT, "bench: %,d messages after a warm-up of %,d, source tasks.max=%d, sink tasks.max=%d%n",
        n, warmup.size(), options.sourceTasks(), options.sinkTasks());
    try (Pipeline pipeline = Pipeline.start(layout, database, options.visibilityTimeoutSeconds())) {
      double raw = rawReceiveDeleteRate(pipeline, warmup, bodies);
      out.printf(Locale.ROOT, "raw SDK receive+delete (1 thread): %,.0f msg/s%n", raw);

      ConnectRest rest = pipeline.worker().rest();
      pipeline.registerConnectors(options.sourceTasks(), options.sinkTasks());
      if (!warmup.isEmpty()) {
        Counts before = pipeline.database().counts();
        send(pipeline, warmup);
        new ProgressMonitor(pipeline, before, new PrintStream(OutputStream.nullOutputStream()), STALL)
            .awaitAccounted(warmup.size(), warmup::size);
        out.printf(Locale.ROOT, "warm-up: %,d messages through the pipeline%n", warmup.size());
      }
      rest.pause(ConnectorConfigs.SOURCE, true);
      rest.awaitState(ConnectorConfigs.SOURCE, options.sourceTasks(), "PAUSED", Duration.ofSeconds(60));
      send(pipeline, bodies);

      Counts baseline = pipeline.database().counts();
      long start = System.nanoTime();
      rest.pause(ConnectorConfigs.SOURCE, false);
      Counts result = new ProgressMonitor(pipeline, baseline, out, STALL).awaitAccounted(n, () -> n);
      double seconds = LocalPipeline.seconds(start);
      double endToEnd = n / seconds;
      out.printf(Locale.ROOT, "end to end (resume to last row): %,.0f msg/s (%,d rows, %,d rejected, %.1f s)%n",
          endToEnd, result.rows(), result.rejected(), seconds);
      out.printf(Locale.ROOT, "ratio end-to-end / raw: %.2f%n", endToEnd / raw);

      long harness = ProcessMemory.ownPeakRssBytes().orElse(-1L);
      long broker = pipeline.kafka().process().peakRssBytes().orElse(-1L);
      long worker = pipeline.worker().process().peakRssBytes().orElse(-1L);
      out.printf(Locale.ROOT, "peak RSS: harness+ElasticMQ %s, Kafka broker %s, Connect worker %s, total %s%n",
          mib(harness), mib(broker), mib(worker), mib(harness + broker + worker));

      ObjectNode json = new ObjectMapper().createObjectNode();
      json.put("messages", n);
      json.put("warmupMessages", warmup.size());
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

  private static void send(Pipeline pipeline, List<String> bodies) {
    try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 4)) {
      generator.send(bodies, sent -> { });
    }
  }

  /** Queues the warm-up and the timed bodies on a separate queue, drains the first untimed, then times the rest. */
  private static double rawReceiveDeleteRate(Pipeline pipeline, List<String> warmup, List<String> bodies) {
    SqsClient client = pipeline.sqs().client();
    String queue = pipeline.sqs().createQueue("bench-raw", 60);
    try (LoadGenerator generator = new LoadGenerator(client, queue, 4)) {
      generator.send(warmup, sent -> { });
      drain(client, queue, warmup.size());
      generator.send(bodies, sent -> { });
    }
    long start = System.nanoTime();
    drain(client, queue, bodies.size());
    return bodies.size() / LocalPipeline.seconds(start);
  }

  private static void drain(SqsClient client, String queue, int count) {
    long drained = 0;
    while (drained < count) {
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
