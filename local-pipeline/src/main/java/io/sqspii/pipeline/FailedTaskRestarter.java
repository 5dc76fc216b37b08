package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Restarts FAILED connectors and tasks through the REST API, with backoff, as Strimzi's {@code autoRestart}
 * does: Kafka Connect never restarts a failed task itself. The sinks retry a lost database on their own, but
 * the Debezium JDBC sink treats a connection lost during a COMMIT as fatal; its records were not committed to
 * Kafka, so a restarted task writes them again (upserts: no duplicates). Only the connector and task ids are
 * reported, never a task's trace (it may quote record values).
 */
final class FailedTaskRestarter implements AutoCloseable {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** A connector that has not failed for this long starts again from the first backoff. */
    private static final Duration QUIET_RESET = Duration.ofMinutes(10);

    private final Supplier<ConnectRest> rest;
    private final List<String> connectors;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Consumer<String> notices;
    private final Map<String, Backoff> backoffs = new HashMap<>();
    private final AtomicLong restarts = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "failed-task-restarter");
        t.setDaemon(true);
        return t;
    });

    FailedTaskRestarter(
            Supplier<ConnectRest> rest,
            List<String> connectors,
            Duration firstBackoff,
            Duration maxBackoff,
            Consumer<String> notices) {
        this.rest = rest;
        this.connectors = List.copyOf(connectors);
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.notices = notices;
    }

    void start() {
        timer.scheduleWithFixedDelay(
                this::checkQuietly, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Restarts requested so far. */
    long restarts() {
        return restarts.get();
    }

    private void checkQuietly() {
        try {
            check(System.nanoTime());
        } catch (RuntimeException e) {
            // REST unavailable (a worker rejoining its group, shutting down): next round
        }
    }

    void check(long now) {
        for (String name : connectors) {
            List<String> failed = failedIds(name, rest.get().status(name));
            Backoff b = backoffs.computeIfAbsent(name, n -> new Backoff());
            if (failed.isEmpty()) {
                b.due = 0;
                if (now - b.lastFailure > QUIET_RESET.toNanos()) {
                    b.attempts = 0;
                }
                continue;
            }
            b.lastFailure = now;
            if (b.due == 0) {
                b.due = now + backoff(b.attempts);
            } else if (now >= b.due) {
                rest.get().restartFailed(name);
                restarts.incrementAndGet();
                b.attempts++;
                b.due = 0;
                notices.accept("restarted FAILED " + String.join(", ", failed) + " (restart " + b.attempts + " of "
                        + name + ")");
            }
        }
    }

    private long backoff(int attempts) {
        return Math.min(maxBackoff.toNanos(), firstBackoff.toNanos() << Math.min(attempts, 20));
    }

    /** "connector" and "connector/task-id" of what the status shows FAILED; empty for an unknown connector. */
    static List<String> failedIds(String name, JsonNode status) {
        if (status == null) {
            return List.of();
        }
        List<String> failed = new ArrayList<>();
        if ("FAILED".equals(status.at("/connector/state").asText())) {
            failed.add(name);
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                failed.add(name + "/" + task.path("id").asText());
            }
        }
        return failed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static final class Backoff {
        /** Restarts since the connector was last quiet. */
        int attempts;
        /** When to restart what is FAILED now (System.nanoTime), 0 when nothing is. */
        long due;

        long lastFailure;
    }
}
