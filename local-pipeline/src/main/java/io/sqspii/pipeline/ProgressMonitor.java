package io.sqspii.pipeline;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Watches a run until every message sent is accounted for — a row in its dataset's table or rejected table,
 * and nothing left in the queues — printing sent / in Postgres / rejected / msgs/s
 * once a second. Gives up when nothing moves for {@code stallTimeout}.
 */
final class ProgressMonitor {

    private final Pipeline pipeline;
    private final Counts baseline;
    private final PrintStream out;
    private final boolean sameLine;
    private final Duration stallTimeout;

    ProgressMonitor(Pipeline pipeline, Counts baseline, PrintStream out, Duration stallTimeout) {
        this.pipeline = pipeline;
        this.baseline = baseline;
        this.out = out;
        this.sameLine = System.console() != null;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Blocks until {@code expected} messages are in the tables and the queue is empty; {@code sent} tells
     * how many the load generator has sent so far. Returns the final counts of this run.
     */
    Counts awaitAccounted(long expected, LongSupplier sent) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long lastTotal = -1;
        long lastSent = -1;
        long lastTick = start;
        long lastTickTotal = 0;
        while (true) {
            pipeline.worker().process().checkAlive();
            Counts now = pipeline.counts().minus(baseline);
            long sentNow = sent.getAsLong();
            long t = System.nanoTime();
            double rate = (now.total() - lastTickTotal) / Math.max(1e-9, (t - lastTick) / 1e9);
            lastTick = t;
            lastTickTotal = now.total();
            print(
                    String.format(
                            Locale.ROOT,
                            "sent %,d/%,d | in Postgres %,d | rejected %,d | %,.0f msg/s",
                            sentNow,
                            expected,
                            now.rows(),
                            now.rejected(),
                            rate),
                    false);
            if (now.total() != lastTotal || sentNow != lastSent) {
                lastChange = t;
                lastTotal = now.total();
                lastSent = sentNow;
            }
            if (sentNow >= expected && now.total() >= expected && pipeline.remaining() == 0) {
                print("", true);
                return now;
            }
            if (Duration.ofNanos(t - lastChange).compareTo(stallTimeout) > 0) {
                print("", true);
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "no progress for %s: %,d of %,d messages accounted for, %,d still in the queues; see %s",
                        stallTimeout,
                        now.total(),
                        expected,
                        pipeline.remaining(),
                        pipeline.worker().process().logFile()));
            }
            Thread.sleep(1000);
        }
    }

    private void print(String line, boolean end) {
        if (sameLine) {
            out.print(end ? System.lineSeparator() : "\r" + line + "   ");
        } else if (!end) {
            out.println(line);
        }
        out.flush();
    }
}
