package io.sqspii.sqs;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.Latency;
import io.sqspii.testsupport.sqs.RequestLog;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import io.sqspii.testsupport.sqs.SqsRequestBill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Benchmark (not a test), source side only: messages/s and the SQS request bill through a delay proxy in front of
 * an embedded ElasticMQ that adds a chosen latency (± jitter) to every SQS call, as a real network would. In one
 * run: the raw SDK loop (ReceiveMessage 10 + DeleteMessageBatch) with 1 thread and with N threads, the connector
 * with 1 task at {@code sqs.receive.concurrency} 1 and at the default (each task driven like a worker: poll(),
 * then commitRecord() for every record, as Kafka's ack would), then the connector on a trickle (~5 msg/s) and on
 * an idle queue. Requests are counted by type at the proxy (empty receives included). Writes
 * target/bench/sqs-source.json.
 *
 * <pre>./mvnw -B -q -pl sqs-source-connector test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sqspii.sqs.SqsSourceBench -Dexec.args="--sqs-latency-ms 20"</pre>
 *
 * <p>Options: {@code --sqs-latency-ms N} (0), {@code --jitter-ms J} (N/4), {@code --messages M} per full-queue
 * run (20,000), {@code --max-seconds S} per full-queue run (30), {@code --trickle-seconds T} (30),
 * {@code --idle-seconds I} (40).
 */
public final class SqsSourceBench {

    private static final String[] OPS = {
        "ReceiveMessage", "DeleteMessageBatch", "ChangeMessageVisibilityBatch", "GetQueueAttributes"
    };

    private final String endpoint;
    private final SqsClient direct;
    private final long latencyMs;
    private final long jitterMs;
    private final int messages;
    private final long maxSeconds;

    /** One line of the result: a rate and the requests it cost. */
    record Run(String name, long delivered, double seconds, Map<String, Integer> requests, int emptyReceives) {
        double rate() {
            return delivered / seconds;
        }

        double perThousand(int n) {
            return delivered == 0 ? 0 : n * 1000.0 / delivered;
        }

        int total() {
            return requests.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private SqsSourceBench(
            String endpoint, SqsClient direct, long latencyMs, long jitterMs, int messages, long maxSeconds) {
        this.endpoint = endpoint;
        this.direct = direct;
        this.latencyMs = latencyMs;
        this.jitterMs = jitterMs;
        this.messages = messages;
        this.maxSeconds = maxSeconds;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        long latency = Long.parseLong(opts.getOrDefault("--sqs-latency-ms", "0"));
        long jitter = Long.parseLong(opts.getOrDefault("--jitter-ms", Long.toString(latency / 4)));
        int messages = Integer.parseInt(opts.getOrDefault("--messages", "20000"));
        long maxSeconds = Long.parseLong(opts.getOrDefault("--max-seconds", "30"));
        long trickleSeconds = Long.parseLong(opts.getOrDefault("--trickle-seconds", "30"));
        long idleSeconds = Long.parseLong(opts.getOrDefault("--idle-seconds", "40"));
        int defaultConcurrency =
                (Integer) SqsSourceConfig.CONFIG_DEF.configKeys().get(SqsSourceConfig.RECEIVE_CONCURRENCY).defaultValue;

        List<Run> runs = new ArrayList<>();
        try (EmbeddedElasticMq sqs = EmbeddedElasticMq.start()) {
            SqsClient direct = sqs.client();
            System.out.printf(
                    Locale.ROOT,
                    "ElasticMQ on 127.0.0.1:%d behind a delay proxy: %d ms ± %d ms per SQS call; "
                            + "up to %,d messages or %d s per full-queue run; %d cores, Java %s%n",
                    sqs.port(),
                    latency,
                    jitter,
                    messages,
                    maxSeconds,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            // Warm-up (JIT), not reported.
            new SqsSourceBench(sqs.endpoint(), direct, 0, 0, 3_000, 20).raw(4);
            new SqsSourceBench(sqs.endpoint(), direct, 0, 0, 3_000, 20).connector(defaultConcurrency);

            SqsSourceBench bench = new SqsSourceBench(sqs.endpoint(), direct, latency, jitter, messages, maxSeconds);
            report(runs, bench.raw(1));
            report(runs, bench.raw(defaultConcurrency));
            report(runs, bench.connector(1));
            report(runs, bench.connector(defaultConcurrency));
            report(runs, bench.trickle(defaultConcurrency, trickleSeconds));
            runs.add(bench.idle(defaultConcurrency, idleSeconds)); // prints its own line: it delivers nothing
            Run one = runs.get(2);
            Run dflt = runs.get(3);
            System.out.printf(
                    Locale.ROOT,
                    "connector at concurrency %d / concurrency 1 = %.2f; / raw loop with %d threads "
                            + "= %.2f; single-receiver bound at this latency: %,.0f msg/s%n",
                    defaultConcurrency,
                    dflt.rate() / one.rate(),
                    defaultConcurrency,
                    dflt.rate() / runs.get(1).rate(),
                    latency == 0 ? Double.NaN : 10 * 1000.0 / latency);
            write(runs, latency, jitter);
        }
        System.exit(0);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opts.put(args[i], args[i + 1]);
        }
        return opts;
    }

    private static void report(List<Run> runs, Run r) {
        runs.add(r);
        Map<String, Integer> q = r.requests();
        System.out.printf(
                Locale.ROOT,
                "%-48s %,8.0f msg/s (%,d msgs in %.1f s) | SQS requests per 1,000 msgs: "
                        + "%,.0f (receive %,.0f of which empty %,.0f, delete %,.0f, visibility %,.0f, attributes %,.0f)%n",
                r.name(),
                r.rate(),
                r.delivered(),
                r.seconds(),
                r.perThousand(r.total()),
                r.perThousand(q.get("ReceiveMessage")),
                r.perThousand(r.emptyReceives()),
                r.perThousand(q.get("DeleteMessageBatch")),
                r.perThousand(q.get("ChangeMessageVisibilityBatch")),
                r.perThousand(q.get("GetQueueAttributes")));
    }

    /** The delay proxy before ElasticMQ, counting the calls by type and the empty receives. */
    private record Proxy(SqsForwardingProxy forwarding, RequestLog log, SqsRequestBill bill) implements AutoCloseable {
        String endpoint() {
            return forwarding.endpoint();
        }

        @Override
        public void close() {
            forwarding.close();
        }
    }

    private Proxy proxy() {
        Latency latency = new Latency();
        latency.set(latencyMs, jitterMs);
        RequestLog log = RequestLog.countingOnly();
        SqsRequestBill bill = new SqsRequestBill();
        return new Proxy(SqsForwardingProxy.start(endpoint, log, latency, bill), log, bill);
    }

    private static Run finish(String name, long delivered, long startNanos, Proxy proxy) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Integer> requests = new LinkedHashMap<>();
        for (String op : OPS) {
            requests.put(op, proxy.log().calls(op));
        }
        return new Run(name, delivered, seconds, requests, (int)
                proxy.bill().snapshot().emptyReceives());
    }

    /** {@code threads} threads, each: ReceiveMessage(10) then DeleteMessageBatch of what came back. */
    Run raw(int threads) throws Exception {
        String queue = preload(messages);
        try (Proxy proxy = proxy();
                SqsClient client = EmbeddedElasticMq.client(proxy.endpoint())) {
            AtomicLong deleted = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (deleted.get() < messages && System.nanoTime() < deadline) {
                        List<Message> batch = client.receiveMessage(b -> b.queueUrl(queue)
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds(1))
                                .messages();
                        if (batch.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
                        for (int i = 0; i < batch.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder()
                                    .id(Integer.toString(i))
                                    .receiptHandle(batch.get(i).receiptHandle())
                                    .build());
                        }
                        deleted.addAndGet(
                                client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries))
                                        .successful()
                                        .size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            Run r = finish(
                    "raw SDK loop, " + threads + (threads == 1 ? " thread" : " threads"), deleted.get(), start, proxy);
            pool.shutdown();
            return r;
        }
    }

    /** What one task is put through; returns how many messages it delivered. */
    private interface Workload {
        long run(Driven task, String queue, long startNanos) throws Exception;
    }

    /** One task at {@code concurrency} on a queue preloaded with {@code preloaded} messages, through its own proxy. */
    private Run onOneTask(String name, int preloaded, int concurrency, Workload workload) throws Exception {
        String queue = preload(preloaded);
        try (Proxy proxy = proxy()) {
            Driven task = Driven.start(queue, proxy, concurrency);
            long start = System.nanoTime();
            long delivered = workload.run(task, queue, start);
            Run r = finish(name, delivered, start, proxy);
            task.stop();
            return r;
        }
    }

    /** One task at {@code concurrency}, draining a full queue. */
    Run connector(int concurrency) throws Exception {
        return onOneTask(
                "connector, 1 task, sqs.receive.concurrency=" + concurrency,
                messages,
                concurrency,
                (task, queue, start) -> {
                    long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
                    while (task.deleted() < messages && System.nanoTime() < deadline) {
                        Thread.sleep(2);
                    }
                    return task.deleted();
                });
    }

    /** One task at {@code concurrency} while about 5 messages a second arrive. */
    Run trickle(int concurrency, long seconds) throws Exception {
        return onOneTask("trickle ~5 msg/s, concurrency=" + concurrency, 0, concurrency, (task, queue, start) -> {
            int sent = 0;
            for (long next = start;
                    next < start + TimeUnit.SECONDS.toNanos(seconds);
                    next += TimeUnit.MILLISECONDS.toNanos(200)) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int n = sent++;
                direct.sendMessage(b -> b.queueUrl(queue).messageBody(SqsSourceTaskTest.login(n)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (task.deleted() < sent && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return task.deleted();
        });
    }

    /** One task at {@code concurrency} on an empty queue: the cost of waiting. */
    Run idle(int concurrency, long seconds) throws Exception {
        Run r = onOneTask(
                "idle " + seconds + " s, concurrency=" + concurrency, 0, concurrency, (task, queue, start) -> {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                    return 0;
                });
        System.out.printf(
                Locale.ROOT,
                "%-48s %d ReceiveMessage calls (%d empty) by %d pollers in %d s = %.2f per "
                        + "poller per 20 s; %d other requests%n",
                r.name(),
                r.requests().get("ReceiveMessage"),
                r.emptyReceives(),
                concurrency,
                seconds,
                r.requests().get("ReceiveMessage") * 20.0 / concurrency / seconds,
                r.total() - r.requests().get("ReceiveMessage"));
        return r;
    }

    /** A task driven like a worker: poll(), then commitRecord() for each record (the ack Kafka would give). */
    private record Driven(SqsSourceTask task, Thread driver, AtomicBoolean stopping) {
        static Driven start(String queue, Proxy proxy, int concurrency) {
            Map<String, String> props = SourceProps.of(queue);
            props.put("name", "bench-" + concurrency + "-" + System.nanoTime());
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            props.put(SqsSourceConfig.RECEIVE_CONCURRENCY, Integer.toString(concurrency));
            props.put(SqsSourceConfig.WAIT_TIME_SECONDS, "20");
            props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "60");
            props.put(SqsSourceConfig.SHUTDOWN_GRACE_MS, "1000");
            SqsSourceTask task = TestTasks.start(props);
            AtomicBoolean stop = new AtomicBoolean();
            Thread driver = new Thread(
                    () -> {
                        TopicPartition tp = new TopicPartition("user-logins", 0);
                        long offset = 0;
                        try {
                            while (!stop.get()) {
                                List<SourceRecord> records = task.poll();
                                if (records != null) {
                                    for (SourceRecord r : records) {
                                        task.commitRecord(
                                                r, new RecordMetadata(tp, offset++, 0, r.timestamp(), 36, 170));
                                    }
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "bench-worker");
            driver.start();
            return new Driven(task, driver, stop);
        }

        long deleted() {
            return task.metrics().deleted.get();
        }

        /** Stops the task and waits until it closed (its last long polls returned), so no call outlives the run. */
        void stop() throws InterruptedException {
            stopping.set(true);
            driver.join(5000);
            task.stop();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!task.isClosed() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }
    }

    /** Creates a queue holding {@code n} login messages (sent directly, 4 threads of SendMessageBatch). */
    private String preload(int n) throws Exception {
        String queue = direct.createQueue(b -> b.queueName("bench-" + System.nanoTime())
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
                .queueUrl();
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
                        entries.add(SendMessageBatchRequestEntry.builder()
                                .id(Integer.toString(j - i))
                                .messageBody(SqsSourceTaskTest.login(j))
                                .build());
                    }
                    direct.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return queue;
    }

    private static void write(List<Run> runs, long latency, long jitter) throws Exception {
        StringBuilder json = new StringBuilder(String.format(
                Locale.ROOT,
                "{%n  \"sqs_latency_ms\": %d,%n"
                        + "  \"jitter_ms\": %d,%n  \"cores\": %d,%n  \"java\": \"%s\",%n  \"runs\": [%n",
                latency,
                jitter,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            json.append(String.format(
                    Locale.ROOT,
                    "    {\"name\": \"%s\", \"messages\": %d, \"seconds\": %.2f, "
                            + "\"msgs_per_s\": %.1f, \"requests_per_1000\": %.1f, \"receive\": %d, \"empty_receive\": %d, "
                            + "\"delete\": %d, \"visibility\": %d, \"attributes\": %d}%s%n",
                    r.name(),
                    r.delivered(),
                    r.seconds(),
                    r.rate(),
                    r.perThousand(r.total()),
                    r.requests().get("ReceiveMessage"),
                    r.emptyReceives(),
                    r.requests().get("DeleteMessageBatch"),
                    r.requests().get("ChangeMessageVisibilityBatch"),
                    r.requests().get("GetQueueAttributes"),
                    i + 1 < runs.size() ? "," : ""));
        }
        json.append("  ]\n}\n");
        // <module>/target/bench, wherever Maven was started from (test-classes lives in target/).
        Path target = Path.of(SqsSourceBench.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .getParent();
        Path out = target.resolve("bench").resolve("sqs-source.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
