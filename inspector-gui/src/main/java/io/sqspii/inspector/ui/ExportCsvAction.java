package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.CsvExport;
import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import java.io.File;
import java.util.function.BiFunction;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.stage.Window;

/** Export CSV…: every row of the pager's filtered, sorted view (all pages), PII as stored ciphertext. */
final class ExportCsvAction {

    private final TableSpec spec;
    private final InspectorRepository repo;
    private final KeysetPager pager;
    private final DbTasks tasks;
    private final BiFunction<Window, String, File> chooseTarget;
    private final Node owner;

    /**
     * @param chooseTarget asks where to write, given the owner window and a suggested file name (null = cancelled)
     * @param owner        a node of the window the file dialog belongs to
     */
    ExportCsvAction(
            TableSpec spec,
            InspectorRepository repo,
            KeysetPager pager,
            DbTasks tasks,
            BiFunction<Window, String, File> chooseTarget,
            Node owner) {
        this.spec = spec;
        this.repo = repo;
        this.pager = pager;
        this.tasks = tasks;
        this.chooseTarget = chooseTarget;
        this.owner = owner;
    }

    /** Asks where, then writes. */
    void execute() {
        File target = chooseTarget.apply(
                owner.getScene() == null ? null : owner.getScene().getWindow(), spec.name() + ".csv");
        if (target != null) {
            exportTo(target);
        }
    }

    /** Writes the view as it is now to {@code target}; the status line names the full path. */
    void exportTo(File target) {
        Filter f = pager.filter();
        Sort s = pager.sort();
        File absolute = target.getAbsoluteFile();
        final Task<?>[] self = new Task<?>[1];
        self[0] = tasks.run(
                "Exporting to " + absolute,
                () -> CsvExport.export(
                        repo, spec, f, s, absolute.toPath(), () -> self[0] != null && self[0].isCancelled()),
                n -> tasks.statusLabel().setText(String.format("Exported %,d rows to %s", n, absolute)));
    }
}
