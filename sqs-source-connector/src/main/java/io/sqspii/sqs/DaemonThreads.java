package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The background threads of a task: daemons (they never hold a worker's JVM open), named after the task. */
final class DaemonThreads {

    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} threads named {@code name-0 … name-(count-1)}, each running {@code body}. */
    void start(int count, String name, Runnable body) {
        start(count, name, i -> body);
    }

    /** Starts {@code count} threads named {@code name-0 … name-(count-1)}, thread i running {@code body(i)}. */
    void start(int count, String name, java.util.function.IntFunction<Runnable> body) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(body.apply(i), name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Waits for every thread to end; false if one is still running at the deadline. */
    boolean join(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** {@code n} daemon threads for short calls, named {@code name-0 …}. */
    static ExecutorService pool(int n, String name) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name + "-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** One daemon thread for scheduled work. */
    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
