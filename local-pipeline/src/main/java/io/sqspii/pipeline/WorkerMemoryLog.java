package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Bench only: the Connect worker's resident set size each time another {@code every} messages are done (deleted
 * from SQS), so that a long run shows whether the worker's memory settles or keeps growing.
 */
final class WorkerMemoryLog implements AutoCloseable {

    record Sample(long messages, long rssBytes, long peakRssBytes) {}

    private final long pid;
    private final long every;
    private final LongSupplier done;
    private final PrintStream out;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private WorkerMemoryLog(long pid, long every, LongSupplier done, PrintStream out) {
        this.pid = pid;
        this.every = every;
        this.done = done;
        this.out = out;
        this.thread = new Thread(this::watch, "worker-memory-log");
        thread.setDaemon(true);
    }

    /** Starts sampling worker {@code pid}; {@code done} counts messages finished since the run began. */
    static WorkerMemoryLog start(long pid, long every, LongSupplier done, PrintStream out) {
        WorkerMemoryLog log = new WorkerMemoryLog(pid, every, done, out);
        log.thread.start();
        return log;
    }

    private void watch() {
        long next = every;
        while (running) {
            long now = done.getAsLong();
            if (now >= next) {
                Sample s = new Sample(
                        now,
                        ProcessMemory.rssBytes(pid).orElse(-1L),
                        ProcessMemory.peakRssBytes(pid).orElse(-1L));
                samples.add(s);
                out.printf(
                        Locale.ROOT,
                        "worker RSS at %,d messages: %,d MiB (peak so far %,d MiB)%n",
                        s.messages(),
                        s.rssBytes() >> 20,
                        s.peakRssBytes() >> 20);
                next = (now / every + 1) * every;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Growth of the resident set from the second sample to the last, in MiB: the first interval includes the heap
     * reaching its working size, later ones should not grow. Empty with fewer than three samples.
     */
    String growthSummary() {
        List<Sample> s = samples();
        if (s.size() < 3) {
            return "too few samples for a growth check";
        }
        Sample from = s.get(1);
        Sample to = s.get(s.size() - 1);
        long min = s.stream().skip(1).mapToLong(Sample::rssBytes).min().orElse(0);
        long max = s.stream().skip(1).mapToLong(Sample::rssBytes).max().orElse(0);
        return String.format(
                Locale.ROOT,
                "worker RSS from %,d to %,d messages: %,d → %,d MiB (range %,d–%,d MiB)",
                from.messages(),
                to.messages(),
                from.rssBytes() >> 20,
                to.rssBytes() >> 20,
                min >> 20,
                max >> 20);
    }

    ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Sample s : samples()) {
            array.addObject()
                    .put("messages", s.messages())
                    .put("rssBytes", s.rssBytes())
                    .put("peakRssBytes", s.peakRssBytes());
        }
        return array;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
