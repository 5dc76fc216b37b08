package io.sqspii.inspector.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@link Background} for the models' tests, on the test thread: runs each job (work, then its callback)
 * at once, or, when held, in submission order when told to, as DbTasks' single database thread would.
 */
final class QueuedBackground implements Background {

    private final Deque<Runnable> jobs = new ArrayDeque<>();
    private final List<String> submitted = new ArrayList<>();
    private boolean held;

    /** Runs every job as it is submitted. */
    static QueuedBackground immediate() {
        return new QueuedBackground();
    }

    /** Keeps jobs until {@link #runNext()} or {@link #runAll()}. */
    static QueuedBackground held() {
        QueuedBackground b = new QueuedBackground();
        b.held = true;
        return b;
    }

    @Override
    public <T> void run(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        submitted.add(what);
        Runnable job = () -> {
            T value;
            try {
                value = work.call();
            } catch (Exception e) {
                onFailure.accept(DbTasks.messageOf(e));
                return;
            }
            onSuccess.accept(value);
        };
        if (held) {
            jobs.add(job);
        } else {
            job.run();
        }
    }

    void runNext() {
        jobs.removeFirst().run();
    }

    void runAll() {
        while (!jobs.isEmpty()) {
            runNext();
        }
    }

    int pending() {
        return jobs.size();
    }

    /** What was submitted so far, as the status line names it. */
    List<String> submitted() {
        return submitted;
    }
}
