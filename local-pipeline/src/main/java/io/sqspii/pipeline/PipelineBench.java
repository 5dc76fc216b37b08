package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.SqsRequestBill;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The pipeline benchmark (not a test). Both sides are warmed up first with the same untimed number of
 * messages, so that neither figure is JIT compilation or connector start-up. Then, on the same ElasticMQ:
 * <ul>
 *   <li>raw: one thread of SDK ReceiveMessage(10) + DeleteMessageBatch drains N (at most 200,000) queued
 *       messages, straight to ElasticMQ; then a sample through the latency proxy at 0 ms (the proxy's own
 *       cost) and, with {@code --sqs-latency-ms}, at that latency;
 *   <li>end to end: with the source connector paused (its tasks stop polling, the sinks keep running),
 *       N messages are queued; the clock runs from its resume until every message is a row in PostgreSQL.
 *       Twice: with the worker calling ElasticMQ straight (the ratio to the raw loop), then through the proxy
 *       at the injected latency (the request bill, and the ratio to the straight figure), both in one run;
 *   <li>trickle: a few messages a second, at the injected latency, billed: each one tends to wake a long poll
 *       of its own and be deleted alone, so this is the dearest bill per message;
 *   <li>idle: the queue stays empty for a while and its requests are billed (long polls that come back empty).
 * </ul>
 * The ratio end-to-end / raw says what Connect, Kafka, the SMTs and the sinks cost over SQS itself; the request
 * bill (per 1,000 messages, by type) is what a user pays AWS. The worker's and the broker's CPU time per 1,000
 * messages says what a change costs or saves far more steadily than msg/s on a shared machine. The worker's RSS
 * is printed every {@code --rss-every} messages. Prints one line per figure and writes
 * {@code local-pipeline/target/bench/pipeline-tasks<N>[-latency<L>ms].json}.
 */
final class PipelineBench {

    private static final Duration STALL = Duration.ofSeconds(120);
    /** Messages for the raw loop through the proxy: enough for a steady rate, few enough at 20 ms (~250 msg/s). */
    private static final int RAW_PROXY_SAMPLE = 20_000;
    /** The raw loop's rate is steady long before this; a 1,000,000-message run is about the worker's memory. */
    private static final int RAW_MAX = 200_000;

    private static final int RAW_LATENCY_SAMPLE = 5_000;

    private PipelineBench() {}

    /** One end-to-end run: rate, rows, the SQS requests and the CPU time (worker, broker) it took. */
    private record EndToEnd(
            long latencyMs,
            double msgsPerSec,
            double seconds,
            Counts counts,
            SqsRequestBill.Snapshot bill,
            long workerCpuMillis,
            long brokerCpuMillis,
            long harnessCpuMillis) {}

    /**
     * Runs every phase on the reference dataset (user_logins when the run serves it), then end to end on each other
     * dataset alone (its source resumed, the others' queues empty), each against the reference's figure.
     */
    static int run(
            PipelineLayout layout,
            PipelineDatabase database,
            RunOptions options,
            List<RunDataset> served,
            Map<RunDataset, List<String>> bodiesOf,
            PrintStream out)
            throws InterruptedException {
        RunDataset reference = served.stream()
                .filter(d -> d.name().equals(RunDataset.USER_LOGINS))
                .findFirst()
                .orElse(served.get(0));
        List<RunDataset> datasets = new ArrayList<>(List.of(reference));
        served.stream().filter(d -> d != reference).forEach(datasets::add);
        List<String> bodies = bodiesOf.get(reference);
        int n = bodies.size();
        RunOptions.BenchSqs sqs = options.benchSqs();
        List<String> warmup =
                LocalPipeline.synthetic(reference, options.seed() + 1, options.warmup(), options.malformedShare());
        out.printf(
                Locale.ROOT,
                "bench: %,d messages after a warm-up of %,d, source tasks.max=%d, sink tasks.max=%d,"
                        + " injected SQS latency %d ms ± %d ms; load average %s%n",
                n,
                warmup.size(),
                options.sourceTasks(),
                options.sinkTasks(),
                sqs.latencyMs(),
                sqs.jitterMs(),
                loadAverage());
        try (Pipeline pipeline =
                        Pipeline.start(layout, database, options.visibilityTimeoutSeconds(), Map.of(), datasets);
                SqsLatencyProxy proxy = SqsLatencyProxy.start(pipeline.sqs().endpoint());
                SqsClient viaProxy = client(proxy.endpoint())) {
            ObjectNode json = new ObjectMapper().createObjectNode();
            SqsClient direct = pipeline.sqs().client();
            List<String> rawBodies = bodies.subList(0, Math.min(n, RAW_MAX));
            double raw = rawReceiveDeleteRate(
                    direct, direct, pipeline.sqs().createQueue("bench-raw", 60), warmup, rawBodies);
            out.printf(
                    Locale.ROOT,
                    "raw SDK receive+delete (1 thread, straight to ElasticMQ, %,d messages): %,.0f msg/s%n",
                    rawBodies.size(),
                    raw);
            json.put("rawReceiveDeleteMsgsPerSec", Math.round(raw));

            List<String> sample = bodies.subList(0, Math.min(n, RAW_PROXY_SAMPLE));
            SqsRequestBill.Snapshot before = proxy.bill().snapshot();
            double rawProxy = rawReceiveDeleteRate(
                    direct, viaProxy, pipeline.sqs().createQueue("bench-raw-proxy", 60), List.of(), sample);
            SqsRequestBill.Snapshot rawBill = proxy.bill().snapshot().minus(before);
            out.printf(
                    Locale.ROOT,
                    "raw SDK receive+delete (1 thread, through the proxy at 0 ms, %,d messages): %,.0f msg/s"
                            + " | SQS requests %s%n",
                    sample.size(),
                    rawProxy,
                    rawBill.perThousand(sample.size()));
            json.put("rawThroughProxyMsgsPerSec", Math.round(rawProxy));
            json.set("rawThroughProxyBill", rawBill.toJson(sample.size()));
            if (sqs.latencyMs() > 0) {
                proxy.latency(sqs.latencyMs(), sqs.jitterMs());
                List<String> slow = bodies.subList(0, Math.min(n, RAW_LATENCY_SAMPLE));
                double rawSlow = rawReceiveDeleteRate(
                        direct, viaProxy, pipeline.sqs().createQueue("bench-raw-latency", 60), List.of(), slow);
                proxy.latency(0, 0);
                out.printf(
                        Locale.ROOT,
                        "raw SDK receive+delete (1 thread, at %d ms, %,d messages): %,.0f msg/s%n",
                        sqs.latencyMs(),
                        slow.size(),
                        rawSlow);
                json.put("rawAtLatencyMsgsPerSec", Math.round(rawSlow));
            }

            // First straight to ElasticMQ, as the raw loop: the proxy costs CPU on this machine too, so the ratio to
            // the
            // raw loop is measured without it. Then through the proxy, at the injected latency: the request bill.
            pipeline.registerConnectors(options.sourceTasks(), options.sinkTasks(), sqs.sourceConfig());
            if (!sqs.sourceConfig().isEmpty()) {
                out.println("source connector config set for this run: " + sqs.sourceConfig());
                json.putPOJO("sourceConfig", sqs.sourceConfig());
            }
            if (!warmup.isEmpty()) {
                Counts start = pipeline.counts();
                send(pipeline, reference, warmup);
                new ProgressMonitor(pipeline, start, new PrintStream(OutputStream.nullOutputStream()), STALL)
                        .awaitAccounted(warmup.size(), warmup::size);
                out.printf(Locale.ROOT, "warm-up: %,d messages through the pipeline%n", warmup.size());
            }
            EndToEnd straight = endToEnd(pipeline, reference, null, bodies, 0, options, out);
            json.set("endToEndStraight", toJson(straight));
            out.printf(
                    Locale.ROOT,
                    "ratio end-to-end / raw (both straight to ElasticMQ): %.2f%n",
                    straight.msgsPerSec() / raw);
            json.put("dataset", reference.name());
            json.put("endToEndMsgsPerSec", Math.round(straight.msgsPerSec()));
            json.put("ratio", round2(straight.msgsPerSec() / raw));
            json.put(
                    "topicBytesPerRecord",
                    TopicBytes.perRecord(pipeline.kafka().bootstrapServers(), reference.topic()));
            ObjectNode others = json.putObject("otherDatasets");
            for (RunDataset other : datasets.subList(1, datasets.size())) {
                List<String> otherBodies = bodiesOf.get(other);
                EndToEnd run = endToEnd(pipeline, other, null, otherBodies, 0, options, out);
                long bytes = TopicBytes.perRecord(pipeline.kafka().bootstrapServers(), other.topic());
                out.printf(
                        Locale.ROOT,
                        "%s end to end: %,.0f msg/s, %.2f of %s's, %.2f of raw; %,d bytes per record on "
                                + "topic %s (%s: %,d)%n",
                        other.name(),
                        run.msgsPerSec(),
                        run.msgsPerSec() / straight.msgsPerSec(),
                        reference.name(),
                        run.msgsPerSec() / raw,
                        bytes,
                        other.topic(),
                        reference.topic(),
                        json.get("topicBytesPerRecord").asLong());
                ObjectNode node = toJson(run);
                node.put("ratioToReference", round2(run.msgsPerSec() / straight.msgsPerSec()));
                node.put("ratioToRaw", round2(run.msgsPerSec() / raw));
                node.put("topicBytesPerRecord", bytes);
                others.set(other.name(), node);
            }

            ConnectRest rest = pipeline.worker().rest();
            Map<String, String> source = new LinkedHashMap<>(
                    pipeline.config(reference.source(), options.sourceTasks(), options.sinkTasks()));
            source.putAll(sqs.sourceConfig());
            source.put("sqs.endpoint.override", proxy.endpoint());
            rest.putConnectorConfig(reference.source(), source);
            rest.awaitRunning(reference.source(), options.sourceTasks(), Duration.ofSeconds(90));
            EndToEnd proxied = endToEnd(pipeline, reference, proxy, bodies, sqs.latencyMs(), options, out);
            json.set("endToEndThroughProxy", toJson(proxied));
            json.put(
                    "requestsPerMessage",
                    proxied.bill().toJson(proxied.counts().total()).get("requestsPerMessage"));
            if (sqs.latencyMs() > 0) {
                out.printf(
                        Locale.ROOT,
                        "ratio end-to-end at %d ms / at 0 ms (straight): %.2f%n",
                        sqs.latencyMs(),
                        proxied.msgsPerSec() / straight.msgsPerSec());
                json.put("ratioLatencyToZero", round2(proxied.msgsPerSec() / straight.msgsPerSec()));
            } else {
                out.printf(
                        Locale.ROOT,
                        "end to end through the proxy at 0 ms / straight: %.2f (the proxy's own cost)%n",
                        proxied.msgsPerSec() / straight.msgsPerSec());
            }
            if (sqs.trickleSeconds() > 0) {
                json.set("trickle", trickle(pipeline, reference, proxy, options, out));
            }
            if (sqs.idleSeconds() > 0) {
                json.set("idle", idle(proxy, sqs.idleSeconds(), out));
            }

            long harness = ProcessMemory.ownPeakRssBytes().orElse(-1L);
            long broker = pipeline.kafka().process().peakRssBytes().orElse(-1L);
            long worker = pipeline.worker().process().peakRssBytes().orElse(-1L);
            out.printf(
                    Locale.ROOT,
                    "peak RSS: harness+ElasticMQ %s, Kafka broker %s, Connect worker %s, total %s%n",
                    mib(harness),
                    mib(broker),
                    mib(worker),
                    mib(harness + broker + worker));
            out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());

            json.put("messages", n);
            json.put("warmupMessages", warmup.size());
            json.put("sourceTasks", options.sourceTasks());
            json.put("sinkTasks", options.sinkTasks());
            json.put("sqsLatencyMs", sqs.latencyMs());
            json.put("sqsJitterMs", sqs.jitterMs());
            json.put("rows", straight.counts().rows());
            json.put("rejected", straight.counts().rejected());
            json.put("peakRssHarnessBytes", harness);
            json.put("peakRssBrokerBytes", broker);
            json.put("peakRssWorkerBytes", worker);
            json.put("loadAverageAtEnd", loadAverage());
            write(
                    layout.projectDir()
                            .resolve("local-pipeline/target/bench/pipeline-tasks" + options.sourceTasks()
                                    + (sqs.latencyMs() > 0 ? "-latency" + sqs.latencyMs() + "ms" : "") + ".json"),
                    json);
        }
        return 0;
    }

    /**
     * Pauses the source, queues {@code bodies}, sets the proxy's latency, then times the resume to the last row.
     * Everything the worker asks SQS from the first send on is billed to this run. {@code proxy} is null when the
     * worker calls ElasticMQ straight: no bill, and the worker's RSS is then sampled by rows in PostgreSQL.
     */
    private static EndToEnd endToEnd(
            Pipeline pipeline,
            RunDataset dataset,
            SqsLatencyProxy proxy,
            List<String> bodies,
            long latencyMs,
            RunOptions options,
            PrintStream out)
            throws InterruptedException {
        int n = bodies.size();
        ConnectRest rest = pipeline.worker().rest();
        rest.pause(dataset.source(), true);
        rest.awaitState(dataset.source(), options.sourceTasks(), "PAUSED", Duration.ofSeconds(60));
        if (proxy != null) {
            proxy.latency(latencyMs, latencyMs == 0 ? 0 : options.benchSqs().jitterMs());
        }
        SqsRequestBill.Snapshot before = proxy == null ? null : proxy.bill().snapshot();
        send(pipeline, dataset, bodies);

        Counts baseline = pipeline.counts();
        LongSupplier done = proxy == null
                ? rowsSince(pipeline, baseline)
                : () -> proxy.bill().deleted() - before.deleted();
        Counts result;
        double seconds;
        long workerCpu = cpuMillis(pipeline.worker().process().pid());
        long brokerCpu = cpuMillis(pipeline.kafka().process().pid());
        long harnessCpu = cpuMillis(ProcessHandle.current().pid());
        Instant startedAt;
        try (WorkerMemoryLog memory = WorkerMemoryLog.start(
                pipeline.worker().process().pid(), options.benchSqs().rssEvery(), done, out)) {
            if (proxy != null) {
                proxy.takeMostOpenReceives();
            }
            startedAt = Instant.now();
            long start = System.nanoTime();
            rest.pause(dataset.source(), false);
            result = new ProgressMonitor(pipeline, baseline, out, STALL).awaitAccounted(n, () -> n);
            seconds = LocalPipeline.seconds(start);
            workerCpu = cpuMillis(pipeline.worker().process().pid()) - workerCpu;
            brokerCpu = cpuMillis(pipeline.kafka().process().pid()) - brokerCpu;
            harnessCpu = cpuMillis(ProcessHandle.current().pid()) - harnessCpu;
            if (memory.samples().size() >= 3) {
                out.println(memory.growthSummary());
            }
        }
        SqsRequestBill.Snapshot bill =
                proxy == null ? null : proxy.bill().snapshot().minus(before);
        int mostOpen = proxy == null ? -1 : proxy.takeMostOpenReceives();
        EndToEnd run = new EndToEnd(latencyMs, n / seconds, seconds, result, bill, workerCpu, brokerCpu, harnessCpu);
        // The wall-clock window lets a profile of the worker (LOCAL_PIPELINE_WORKER_JVM_OPTIONS) be cut to this run.
        out.printf(
                Locale.ROOT,
                "%s end to end %s (resume to last row, %s to %s UTC): %,.0f msg/s (%,d rows, %,d rejected,"
                        + " %.1f s) | CPU per 1,000 messages: worker %,.0f ms, broker %,.0f ms, harness (ElasticMQ, proxy) %,.0f ms%s%n",
                dataset.name(),
                proxy == null ? "straight to ElasticMQ" : "through the proxy at " + latencyMs + " ms",
                clock(startedAt),
                clock(Instant.now()),
                run.msgsPerSec(),
                result.rows(),
                result.rejected(),
                seconds,
                workerCpu * 1000.0 / n,
                brokerCpu * 1000.0 / n,
                harnessCpu * 1000.0 / n,
                bill == null
                        ? ""
                        : " | SQS requests " + bill.perThousand(n) + "; at most " + mostOpen
                                + " long polls open at once");
        return run;
    }

    private static String clock(Instant t) {
        return DateTimeFormatter.ofPattern("HH:mm:ss.S")
                .withZone(ZoneOffset.UTC)
                .format(t);
    }

    /** CPU time a process has used so far (user + system), or -1 where the platform does not say. */
    private static long cpuMillis(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toMillis)
                .orElse(-1L);
    }

    /**
     * Bills a trickle: {@code --trickle-rate} messages a second for {@code --trickle-seconds}, sent one by one at even
     * intervals while every SQS call of the worker waits the injected latency, until each is accounted for and
     * deleted. Long polls that came back empty meanwhile are part of the bill, as they are on AWS.
     */
    private static ObjectNode trickle(
            Pipeline pipeline, RunDataset dataset, SqsLatencyProxy proxy, RunOptions options, PrintStream out)
            throws InterruptedException {
        RunOptions.BenchSqs sqs = options.benchSqs();
        List<String> bodies = LocalPipeline.synthetic(
                dataset, options.seed() + 2, sqs.trickleSeconds() * sqs.trickleRate(), options.malformedShare());
        proxy.latency(sqs.latencyMs(), sqs.jitterMs());
        Thread.sleep(2000); // the last deletes of the run before settle
        Counts baseline = pipeline.counts();
        SqsRequestBill.Snapshot before = proxy.bill().snapshot();
        SqsClient client = pipeline.sqs().client();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / sqs.trickleRate();
        for (int i = 0; i < bodies.size(); i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String body = bodies.get(i);
            client.sendMessage(b -> b.queueUrl(pipeline.queueUrl(dataset)).messageBody(body));
        }
        new ProgressMonitor(pipeline, baseline, new PrintStream(OutputStream.nullOutputStream()), STALL)
                .awaitAccounted(bodies.size(), bodies::size);
        long deadline = System.nanoTime() + STALL.toNanos();
        while (proxy.bill().deleted() - before.deleted() < bodies.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        SqsRequestBill.Snapshot bill = proxy.bill().snapshot().minus(before);
        proxy.latency(0, 0);
        out.printf(
                Locale.ROOT,
                "trickle of %d msg/s for %d s at %d ms: %,d messages | SQS requests %s%n",
                sqs.trickleRate(),
                sqs.trickleSeconds(),
                sqs.latencyMs(),
                bodies.size(),
                bill.perThousand(bodies.size()));
        ObjectNode node = bill.toJson(bodies.size());
        node.put("ratePerSecond", sqs.trickleRate());
        node.put("seconds", sqs.trickleSeconds());
        return node;
    }

    /** Rows and rejected rows written since {@code baseline}, read at most once a second (it is a count query). */
    private static LongSupplier rowsSince(Pipeline pipeline, Counts baseline) {
        return () -> pipeline.counts().minus(baseline).total();
    }

    /**
     * Bills an empty queue for {@code seconds}. The long polls parked at the proxy are the pollers; each may come back
     * empty at most once per 20 s wait (the connector's sqs.wait.time.seconds).
     */
    private static ObjectNode idle(SqsLatencyProxy proxy, int seconds, PrintStream out) throws InterruptedException {
        proxy.latency(0, 0);
        Thread.sleep(2000); // the last deletes and the sinks' last commits settle
        proxy.takeMostOpenReceives();
        SqsRequestBill.Snapshot before = proxy.bill().snapshot();
        Thread.sleep(seconds * 1000L);
        SqsRequestBill.Snapshot bill = proxy.bill().snapshot().minus(before);
        int pollers = Math.max(1, proxy.takeMostOpenReceives());
        double perPollerPer20s = bill.emptyReceives() / (double) pollers / (seconds / 20.0);
        out.printf(
                Locale.ROOT,
                "idle queue for %d s: %,d requests (receive %,d of them empty %,d, delete %,d,"
                        + " visibility %,d, attributes %,d, other %,d); %d long polls open: %.2f empty receives per poller per 20 s%n",
                seconds,
                bill.requests(),
                bill.receives(),
                bill.emptyReceives(),
                bill.deletes(),
                bill.visibility(),
                bill.attributes(),
                bill.other(),
                pollers,
                perPollerPer20s);
        ObjectNode node = bill.toJson(0);
        node.remove(List.of("messages", "requestsPerMessage", "requestsPer1000Messages"));
        node.put("seconds", seconds);
        node.put("openLongPolls", pollers);
        node.put("emptyReceivesPerPollerPer20s", Math.round(perPollerPer20s * 100) / 100.0);
        return node;
    }

    private static ObjectNode toJson(EndToEnd run) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sqsLatencyMs", run.latencyMs());
        node.put("msgsPerSec", Math.round(run.msgsPerSec()));
        node.put("seconds", Math.round(run.seconds() * 10) / 10.0);
        node.put("rows", run.counts().rows());
        node.put("rejected", run.counts().rejected());
        if (run.bill() != null) {
            node.set("sqsRequests", run.bill().toJson(run.counts().total()));
        }
        long n = Math.max(1, run.counts().total());
        node.put("workerCpuMillisPer1000Messages", Math.round(run.workerCpuMillis() * 1000.0 / n));
        node.put("brokerCpuMillisPer1000Messages", Math.round(run.brokerCpuMillis() * 1000.0 / n));
        node.put("harnessCpuMillisPer1000Messages", Math.round(run.harnessCpuMillis() * 1000.0 / n));
        return node;
    }

    /** An SDK client of the local pipeline's credentials calling {@code endpoint} (ElasticMQ, or a proxy before it). */
    static SqsClient client(String endpoint) {
        return EmbeddedElasticMq.client(endpoint);
    }

    private static double round2(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /** The 1, 5 and 15 minute load averages: the machine is shared, so every figure says how busy it was. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void send(Pipeline pipeline, RunDataset dataset, List<String> bodies) {
        try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(dataset), 4)) {
            generator.send(bodies, sent -> {});
        }
    }

    /** Queues the warm-up and the timed bodies on {@code queue}, drains the first untimed, then times the rest. */
    private static double rawReceiveDeleteRate(
            SqsClient sender, SqsClient client, String queue, List<String> warmup, List<String> bodies) {
        try (LoadGenerator generator = new LoadGenerator(sender, queue, 4)) {
            generator.send(warmup, sent -> {});
            drain(client, queue, warmup.size());
            generator.send(bodies, sent -> {});
        }
        long start = System.nanoTime();
        drain(client, queue, bodies.size());
        return bodies.size() / LocalPipeline.seconds(start);
    }

    private static void drain(SqsClient client, String queue, int count) {
        long drained = 0;
        while (drained < count) {
            List<Message> messages = client.receiveMessage(
                            b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (messages.isEmpty()) {
                continue;
            }
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(messages.get(i).receiptHandle())
                        .build());
            }
            DeleteMessageBatchResponse response =
                    client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries));
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
