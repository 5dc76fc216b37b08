package io.sqspii.pipeline;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticLogins;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The no-Docker run: starts the pipeline on loopback, registers connect-config/*.json through Connect's
 * REST API, sends the messages, shows progress, and exits 0 once every message is a row in user_logins or
 * user_logins_rejected (or keeps running with --follow). See {@link RunOptions#USAGE}.
 */
public final class LocalPipeline {

  private LocalPipeline() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, PipelineDatabase::fromEnvironment);
  }

  static int run(String[] args, PrintStream out, PrintStream err, Supplier<PipelineDatabase> database) {
    RunOptions options;
    try {
      options = RunOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(RunOptions.USAGE);
      return 2;
    }
    try {
      List<String> bodies = bodies(options);
      PipelineLayout layout = PipelineLayout.fromSystemProperties();
      if (options.bench()) {
        return PipelineBench.run(layout, database.get(), options, bodies, out);
      }
      PipelineDatabase db = database.get();
      if (options.follow()) {
        db = FollowDatabase.choose(db, PipelineDatabase.urlFromEnvironment(), out);
      }
      return runOnce(layout, db, options, bodies, out);
    } catch (RuntimeException | IOException e) {
      err.println("local-pipeline failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("local-pipeline interrupted");
      return 1;
    }
  }

  static List<String> bodies(RunOptions options) throws IOException {
    if (options.synthetic()) {
      return SyntheticLogins.generate(options.seed(), options.messages(), options.malformedShare());
    }
    Path file = options.file() != null ? options.file()
        : Path.of(System.getProperty("pipeline.project.dir", "."), "connect-config/sample/login-messages.jsonl");
    return LoadGenerator.bodiesOf(file);
  }

  private static int runOnce(PipelineLayout layout, PipelineDatabase database, RunOptions options,
      List<String> bodies, PrintStream out) throws InterruptedException {
    long t0 = System.nanoTime();
    out.println("starting ElasticMQ, Kafka (KRaft) and a Connect worker; logs in " + layout.runDir());
    try (Pipeline pipeline = Pipeline.start(layout, database, options.visibilityTimeoutSeconds())) {
      Thread hook = new Thread(pipeline::close, "local-pipeline-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf(Locale.ROOT, "started in %.1f s: SQS %s, Kafka %s, Connect %s, PostgreSQL %s%n", seconds(t0),
          pipeline.queueUrl(), pipeline.kafka().bootstrapServers(), pipeline.worker().rest().baseUrl(),
          pipeline.database().url());
      pipeline.registerConnectors(options.sourceTasks(), options.sinkTasks());
      out.println("registered " + ConnectorConfigs.NAMES + " through " + pipeline.worker().rest().baseUrl());
      out.println("Connect REST login: user " + RestCredentials.USER + ", password in "
          + RestCredentials.forRun(layout.runDir()).credentialsFile() + "; worker metrics (Prometheus) at "
          + pipeline.worker().metricsUri());

      Counts baseline = pipeline.database().counts();
      AtomicLong sent = new AtomicLong();
      long sendStart = System.nanoTime();
      Counts result;
      try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 4)) {
        CompletableFuture<List<SentMessage>> sending =
            CompletableFuture.supplyAsync(() -> generator.send(bodies, sent::set));
        result = new ProgressMonitor(pipeline, baseline, out, Duration.ofSeconds(120)).awaitAccounted(bodies.size(),
            () -> sending.isCompletedExceptionally() ? failSending(sending) : sent.get());
      }
      double elapsed = seconds(sendStart);
      out.printf(Locale.ROOT, "done: %,d messages sent, %,d rows in user_logins, %,d in user_logins_rejected, "
          + "nothing left in %s; %.1f s, %,.0f msg/s end to end%n", bodies.size(), result.rows(), result.rejected(),
          Pipeline.QUEUE, elapsed, bodies.size() / elapsed);
      if (options.follow()) {
        follow(layout, pipeline, out);
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    out.printf(Locale.ROOT, "stopped cleanly after %.1f s%n", seconds(t0));
    return 0;
  }

  /** Keeps the pipeline running, with the demo logins and the reveal service for the inspector, until Ctrl+C. */
  private static void follow(PipelineLayout layout, Pipeline pipeline, PrintStream out) throws InterruptedException {
    try (LocalRevealService reveal = LocalRevealService.start(layout, pipeline.database())) {
      out.println("following: Connect REST " + pipeline.worker().rest().baseUrl() + ", PostgreSQL "
          + pipeline.database().url() + ", reveal service " + reveal.uri() + " (dev keysets of connect-config/dev/keys)");
      out.println("inspector: ./mvnw -pl inspector-gui javafx:run, database URL " + pipeline.database().urlWithoutCredentials()
          + ", reveal service URL " + reveal.uri()
          + "; logins demo_analyst (browse), demo_reader (reveal), demo_auditor (audit log), passwords in "
          + reveal.loginsFile() + ". Ctrl+C stops.");
      new CountDownLatch(1).await();
    }
  }

  private static long failSending(CompletableFuture<?> sending) {
    try {
      sending.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("sending to SQS failed: " + cause.getMessage(), cause);
    }
    return 0;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
