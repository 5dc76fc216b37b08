package io.sqspii.pipeline;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The no-Docker run: starts the pipeline on loopback for the datasets of datasets/ (or those --dataset names),
 * applies each definition to PostgreSQL, registers the connectors each generates through Connect's REST API, sends
 * the messages to each dataset's queue, shows progress, and exits 0 once every message is a row in its dataset's
 * table or rejected table (or keeps running with --follow). See {@link RunOptions#USAGE}.
 */
public final class LocalPipeline {

    private LocalPipeline() {}

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
            PipelineLayout layout = PipelineLayout.fromSystemProperties();
            List<RunDataset> datasets = datasets(layout, options);
            Map<RunDataset, List<String>> bodies = bodies(datasets, options);
            if (options.bench()) {
                return PipelineBench.run(layout, database.get(), options, datasets, bodies, out);
            }
            PipelineDatabase db = database.get();
            if (options.follow()) {
                db = FollowDatabase.choose(db, PipelineDatabase.urlFromEnvironment(), out);
            }
            return runOnce(layout, db, options, datasets, bodies, out);
        } catch (RuntimeException | IOException e) {
            err.println("local-pipeline failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("local-pipeline interrupted");
            return 1;
        }
    }

    /** The datasets --dataset names, or every definition of datasets/. */
    static List<RunDataset> datasets(PipelineLayout layout, RunOptions options) {
        if (options.datasets().isEmpty()) {
            return RunDataset.all(layout);
        }
        return options.datasets().stream()
                .map(name -> RunDataset.shipped(layout, name))
                .toList();
    }

    /**
     * What each dataset's queue gets: synthetic events (--messages), the file --file gives it, or its sample.jsonl
     * (none if it has no sample).
     */
    static Map<RunDataset, List<String>> bodies(List<RunDataset> datasets, RunOptions options) throws IOException {
        Map<RunDataset, List<String>> out = new LinkedHashMap<>();
        for (RunDataset d : datasets) {
            if (options.synthetic()) {
                out.put(d, synthetic(d, options.seed(), options.messages(), options.malformedShare()));
                continue;
            }
            Path file = options.files().getOrDefault(d.name(), options.files().get(RunOptions.ONLY_DATASET));
            if (file == null && Files.isRegularFile(d.sample())) {
                file = d.sample();
            }
            out.put(d, file == null ? List.of() : LoadGenerator.bodiesOf(file));
        }
        return out;
    }

    /** Synthetic bodies of a dataset, made from its event schema. */
    static List<String> synthetic(RunDataset d, long seed, int count, double malformedShare) {
        return SyntheticEvents.generate(d.definition(), seed, count, malformedShare);
    }

    private static int runOnce(
            PipelineLayout layout,
            PipelineDatabase database,
            RunOptions options,
            List<RunDataset> datasets,
            Map<RunDataset, List<String>> bodies,
            PrintStream out)
            throws InterruptedException {
        long t0 = System.nanoTime();
        out.println("starting ElasticMQ, Kafka (KRaft) and a Connect worker for " + names(datasets) + "; logs in "
                + layout.runDir());
        try (Pipeline pipeline =
                Pipeline.start(layout, database, options.visibilityTimeoutSeconds(), Map.of(), datasets)) {
            Thread hook = new Thread(pipeline::close, "local-pipeline-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf(
                    Locale.ROOT,
                    "started in %.1f s: SQS %s, Kafka %s, Connect %s, PostgreSQL %s%n",
                    seconds(t0),
                    pipeline.queueUrl().substring(0, pipeline.queueUrl().lastIndexOf('/')),
                    pipeline.kafka().bootstrapServers(),
                    pipeline.worker().rest().baseUrl(),
                    pipeline.database().url());
            out.println("applied " + names(datasets) + " (tables, grants, PII catalog) from " + layout.datasetsDir());
            pipeline.registerConnectors(options.sourceTasks(), options.sinkTasks());
            out.println("registered " + pipeline.connectorNames() + " through "
                    + pipeline.worker().rest().baseUrl());
            out.println("Connect REST login: user " + RestCredentials.USER + ", password in "
                    + RestCredentials.forRun(layout.runDir()).credentialsFile() + "; worker metrics (Prometheus) at "
                    + pipeline.worker().metricsUri());

            Counts baseline = pipeline.counts();
            Map<String, Counts> baselines = new LinkedHashMap<>();
            datasets.forEach(d -> baselines.put(d.name(), pipeline.database().counts(List.of(d))));
            int total = bodies.values().stream().mapToInt(List::size).sum();
            AtomicLong sent = new AtomicLong();
            long sendStart = System.nanoTime();
            List<LoadGenerator> generators = new ArrayList<>();
            try {
                List<CompletableFuture<List<SentMessage>>> sending = new ArrayList<>();
                for (RunDataset d : datasets) {
                    LoadGenerator g = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(d), 4);
                    generators.add(g);
                    AtomicLong mine = new AtomicLong();
                    sending.add(CompletableFuture.supplyAsync(
                            () -> g.send(bodies.get(d), n -> sent.addAndGet(n - mine.getAndSet(n)))));
                }
                new ProgressMonitor(pipeline, baseline, out, Duration.ofSeconds(120))
                        .awaitAccounted(total, () -> failed(sending) ? failSending(sending) : sent.get());
            } finally {
                generators.forEach(LoadGenerator::close);
            }
            double elapsed = seconds(sendStart);
            for (RunDataset d : datasets) {
                Counts c = pipeline.database().counts(List.of(d)).minus(baselines.get(d.name()));
                out.printf(
                        Locale.ROOT,
                        "%s: %,d messages sent, %,d rows in %s, %,d in %s%n",
                        d.name(),
                        bodies.get(d).size(),
                        c.rows(),
                        d.table(),
                        c.rejected(),
                        d.rejectedTable());
            }
            out.printf(
                    Locale.ROOT,
                    "done: %,d messages, nothing left in the queues; %.1f s, %,.0f msg/s end to end%n",
                    total,
                    elapsed,
                    total / elapsed);
            if (options.follow()) {
                follow(layout, pipeline, out);
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        out.printf(Locale.ROOT, "stopped cleanly after %.1f s%n", seconds(t0));
        return 0;
    }

    private static String names(List<RunDataset> datasets) {
        return String.join(", ", datasets.stream().map(RunDataset::name).toList());
    }

    private static boolean failed(List<CompletableFuture<List<SentMessage>>> sending) {
        return sending.stream().anyMatch(CompletableFuture::isCompletedExceptionally);
    }

    /** Keeps the pipeline running, with the demo logins and the reveal service for the inspector, until Ctrl+C. */
    private static void follow(PipelineLayout layout, Pipeline pipeline, PrintStream out) throws InterruptedException {
        try (LocalRevealService reveal = LocalRevealService.start(layout, pipeline.database(), pipeline.datasets())) {
            out.println("following: Connect REST " + pipeline.worker().rest().baseUrl() + ", PostgreSQL "
                    + pipeline.database().url() + ", reveal service " + reveal.uri()
                    + " (dev keysets of connect-config/dev/keys)");
            out.println(
                    "inspector: ./mvnw -q -pl inspector-gui -am install -DskipTests once, then ./mvnw -pl inspector-gui javafx:run, "
                            + "database URL " + pipeline.database().urlWithoutCredentials()
                            + ", reveal service URL " + reveal.uri()
                            + "; logins demo_analyst (browse), demo_reader (requests grants, reveals), demo_approver (decides grants), "
                            + "demo_auditor (audit), demo_eraser (erasure), passwords in "
                            + reveal.loginsFile() + ". Ctrl+C stops.");
            new CountDownLatch(1).await();
        }
    }

    private static long failSending(List<CompletableFuture<List<SentMessage>>> sending) {
        for (CompletableFuture<List<SentMessage>> s : sending) {
            try {
                s.getNow(null);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("sending to SQS failed: " + cause.getMessage(), cause);
            }
        }
        return 0;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
