package io.sqspii.pipeline.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Puts bodies on an SQS queue with SendMessageBatch from a few threads, resending entries SQS reports as failed.
 * Never logs or prints a body: they hold PII. The client stays the caller's; {@link #close()} stops the threads.
 *
 * <p>Also the command line of docker compose's {@code loader} service (see {@link LoadOptions#USAGE}).
 */
public final class LoadGenerator implements AutoCloseable {

    private final BatchSender sender;
    private final int threads;
    private final ExecutorService executor;

    public LoadGenerator(SqsClient client, String queueUrl, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.sender = new BatchSender(client, queueUrl);
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sqs-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A message file's bodies: each non-blank line, as is, is one message body. */
    public static List<String> bodiesOf(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
    }

    /**
     * Sends every body once and returns them with their MessageIds, in input order. {@code sentSoFar} gets the
     * running total after each batch (one call at a time, increasing). Bodies are checked before anything is sent:
     * an empty body or one over 1 MiB is an {@link IllegalArgumentException}; SQS refusing or repeatedly failing an
     * entry is a {@link SendFailedException}, after which some bodies may have been sent.
     */
    public List<SentMessage> send(List<String> bodies, LongConsumer sentSoFar) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("the load generator is closed");
        }
        Objects.requireNonNull(sentSoFar, "sentSoFar");
        List<Batches.Range> batches = Batches.split(bodies);
        String[] ids = new String[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Progress progress = new Progress(sentSoFar);
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0, n = Math.min(threads, batches.size()); w < n; w++) {
            workers.add(executor.submit(() -> {
                for (int b; !failed.get() && (b = next.getAndIncrement()) < batches.size(); ) {
                    Batches.Range batch = batches.get(b);
                    try {
                        sender.send(bodies, batch, ids);
                    } catch (RuntimeException | InterruptedException e) {
                        failed.set(true); // the other workers stop after their current batch
                        throw e;
                    }
                    progress.add(batch.to() - batch.from());
                }
                return null;
            }));
        }
        await(workers);
        List<SentMessage> sent = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            sent.add(new SentMessage(ids[i], bodies.get(i)));
        }
        return sent;
    }

    private static void await(List<Future<Void>> workers) {
        Throwable first = null;
        for (Future<Void> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (InterruptedException e) {
                workers.forEach(w -> w.cancel(true));
                Thread.currentThread().interrupt();
                throw new SendFailedException("interrupted while sending");
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new SendFailedException("sending was interrupted", first);
        }
    }

    /** Stops the sending threads (interrupting a send in progress); the SQS client is left open. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * An SQS client on the apache5 HTTP client. With an endpoint that is not AWS's own (ElasticMQ, LocalStack), the
     * region defaults to us-east-1 and, when the default credential chain finds nothing, a dummy key pair is used.
     */
    public static SqsClient client(String endpointOrNull, String regionOrNull) {
        return LoaderClient.create(endpointOrNull, regionOrNull);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line; returns the exit status (0 sent, 1 failed, 2 bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("LoadGenerator: " + e.getMessage());
            err.println(LoadOptions.USAGE);
            return 2;
        }
        if (options == null) {
            out.println(LoadOptions.USAGE);
            return 0;
        }
        List<LoadOptions.Target> targets;
        try {
            targets = options.targets();
        } catch (IOException e) {
            Path read = options.file() != null
                    ? options.file()
                    : options.datasets() != null ? options.datasets() : options.dataset();
            err.println("LoadGenerator: cannot read " + read + ": " + e.getMessage());
            return 1;
        }
        try (SqsClient client = client(options.endpoint(), options.region())) {
            for (LoadOptions.Target target : targets) {
                try (LoadGenerator generator = new LoadGenerator(client, target.queueUrl(), options.threads())) {
                    long start = System.nanoTime();
                    int sent = generator.send(target.bodies(), n -> {}).size();
                    double seconds = Math.max(System.nanoTime() - start, 1) / 1e9;
                    out.printf(
                            Locale.ROOT,
                            "sent %d messages to %s in %.2f s (%.0f msg/s)%n",
                            sent,
                            target.queueUrl(),
                            seconds,
                            sent / seconds);
                }
            }
            return 0;
        } catch (RuntimeException e) {
            // Our messages never quote a body; the SDK's name the request, not its content.
            err.println("LoadGenerator: sending failed: " + e.getMessage());
            return 1;
        }
    }

    /** The running total, reported under a lock so that the callback sees increasing values one at a time. */
    private static final class Progress {
        private final LongConsumer callback;
        private long total;

        Progress(LongConsumer callback) {
            this.callback = callback;
        }

        synchronized void add(int n) {
            total += n;
            callback.accept(total);
        }
    }
}
