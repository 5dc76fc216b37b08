package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.InspectorException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * Runs every database call off the FX thread, one at a time (one JDBC connection), and shows it in a
 * status bar: a progress indicator and a Cancel button while something runs, the outcome after.
 * Cancel cancels the task and the SQL statement on the server.
 */
final class DbTasks implements AutoCloseable {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inspector-db");
        t.setDaemon(true);
        return t;
    });
    private final Runnable cancelStatement;
    private final IntegerProperty running = new SimpleIntegerProperty();
    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label status = new Label("Ready.");
    private final Button cancel = new Button("Cancel");
    private final HBox bar;
    /** Submitted and not yet finished, oldest first. */
    private final java.util.List<Task<?>> active = new java.util.ArrayList<>();

    DbTasks(Runnable cancelStatement) {
        this.cancelStatement = cancelStatement;
        progress.setId("progress");
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(running.greaterThan(0));
        status.setId("statusLabel");
        status.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(status, Priority.ALWAYS);
        cancel.setId("cancelButton");
        cancel.disableProperty().bind(running.isEqualTo(0));
        cancel.setOnAction(e -> cancelCurrent());
        cancel.setTooltip(new javafx.scene.control.Tooltip("Stop what is running, on the server too (Esc)"));
        bar = new HBox(8, progress, status, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add("status-bar");
    }

    HBox statusBar() {
        return bar;
    }

    Label statusLabel() {
        return status;
    }

    IntegerProperty runningProperty() {
        return running;
    }

    /**
     * Runs {@code work} on the database thread; {@code onSuccess} and {@code onFailure} run on the FX
     * thread. Must be called on the FX thread.
     */
    <T> Task<T> run(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        running.set(running.get() + 1);
        active.add(task);
        status.setText(what + "…");
        task.setOnSucceeded(e -> {
            done(task);
            status.setText("Ready.");
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            done(task);
            String msg = messageOf(task.getException());
            status.setText(msg);
            if (onFailure != null) {
                onFailure.accept(msg);
            }
        });
        task.setOnCancelled(e -> {
            done(task);
            status.setText(what + ": cancelled.");
            if (onFailure != null) {
                onFailure.accept("Cancelled.");
            }
        });
        executor.submit(task);
        return task;
    }

    <T> Task<T> run(String what, Callable<T> work, Consumer<T> onSuccess) {
        return run(what, work, onSuccess, null);
    }

    /** Cancels everything queued or running, including the statement executing on the server. */
    void cancelCurrent() {
        for (Task<?> t : java.util.List.copyOf(active)) {
            t.cancel(false);
        }
        cancelStatement.run();
    }

    private void done(Task<?> task) {
        running.set(running.get() - 1);
        active.remove(task);
    }

    /** Analyst-facing message: ours as is, anything else by type only (it may not hold values). */
    static String messageOf(Throwable t) {
        if (t instanceof InspectorException) {
            return t.getMessage();
        }
        if (t instanceof java.io.IOException) {
            return "File error: " + t.getMessage();
        }
        return "Unexpected error (" + (t == null ? "unknown" : t.getClass().getSimpleName()) + ").";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
