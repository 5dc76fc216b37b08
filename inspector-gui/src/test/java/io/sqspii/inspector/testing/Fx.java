package io.sqspii.inspector.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.testfx.util.WaitForAsyncUtils;

/** Reads UI state on the FX thread and waits for conditions there (tests only). */
public final class Fx {
    private Fx() {}

    public static <T> T call(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void run(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    /** Waits (up to 20 s) until the condition, evaluated on the FX thread, holds. */
    public static void await(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> call(condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what, e);
        }
    }

    /** The column of a browsed table showing database column {@code name} (its id ends in -col-NAME). */
    public static <S> javafx.scene.control.TableColumn<S, ?> column(
            javafx.scene.control.TableView<S> table, String name) {
        return table.getColumns().stream()
                .filter(c -> c.getId() != null && c.getId().endsWith("-col-" + name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no column " + name));
    }
}
