package io.sqspii.sqs;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The first permanent failure any of a task's threads ran into. {@code poll()} rethrows it, which is how a
 * background thread fails the task in Connect (the worker then shows the task FAILED with this message).
 */
final class TaskFailure {

    private final AtomicReference<ConnectException> first = new AtomicReference<>();

    void fail(ConnectException e) {
        first.compareAndSet(null, e);
    }

    boolean failed() {
        return first.get() != null;
    }

    void throwIfFailed() {
        ConnectException e = first.get();
        if (e != null) {
            throw e;
        }
    }
}
