package io.sqspii.inspector.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the FX thread and reports back on it: {@link DbTasks#run} in the app ({@code tasks::run}),
 * a plain queue in tests, so the models built on it run without a toolkit.
 */
@FunctionalInterface
interface Background {

    /**
     * Runs {@code work}; then {@code onSuccess} with its result, or {@code onFailure} with a sentence for the
     * analyst (never a value) when it failed or was cancelled.
     */
    <T> void run(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure);
}
