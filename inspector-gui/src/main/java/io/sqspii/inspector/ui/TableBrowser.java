package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.RevealClient;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * A server-paged, server-sorted view of one table: its filter pane, the table, the pager with Export,
 * and for a table with PII columns the {@link RevealPanel}. Paging is the {@link KeysetPager}'s, the
 * columns are {@link TableColumns}', each user action its own class; this class lays them out and binds
 * them. Sorting a column header re-queries the database; the visible page is all the client holds.
 */
final class TableBrowser {

    private final KeysetPager pager;
    private final TableView<Row> table = new TableView<>();
    private final CopySelectionAction copy;
    private final ExportCsvAction export;
    /** Null for a table without PII. */
    private final RevealPanel reveal;

    private final RevealFlow flow;
    private final VBox root = new VBox(6);

    /**
     * @param dataset        the dataset the table belongs to (its purposes allow its columns); null for the audit log
     * @param onRequestGrant opens the grant request after a reveal refused for want of a grant (null: not offered)
     */
    TableBrowser(
            TableSpec spec,
            String dataset,
            Sort initialSort,
            InspectorRepository repo,
            DbTasks tasks,
            Session session,
            RevealClient revealClient,
            UiSettings settings,
            Node filterPane,
            Consumer<RevealFlow.GrantNeed> onRequestGrant) {
        String id = spec.name();
        pager = new KeysetPager(PageSource.of(repo, spec), tasks::run, settings.pageSize(), spec.name(), initialSort);

        table.setId(id + "-table");
        table.getSelectionModel().setCellSelectionEnabled(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label("No rows."));
        TableColumns.install(table, spec);
        table.setItems(pager.rows());
        pager.rows().addListener((ListChangeListener<Row>) c -> {
            table.getSelectionModel().clearSelection();
            table.scrollTo(0);
        });
        table.setSortPolicy(tv -> {
            if (!tv.getSortOrder().isEmpty()) {
                TableColumn<Row, ?> c = tv.getSortOrder().get(0);
                Sort s = new Sort(TableColumns.columnOf(c).name(), c.getSortType() == TableColumn.SortType.ASCENDING);
                Platform.runLater(() -> pager.sortBy(s));
            }
            return true;
        });
        TableColumn<Row, ?> sortCol = table.getColumns().get(spec.indexOf(initialSort.column()));
        sortCol.setSortType(initialSort.ascending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
        table.getSortOrder().add(sortCol);
        VBox.setVgrow(table, Priority.ALWAYS);
        table.setOnKeyPressed(e -> {
            int focused = table.getFocusModel().getFocusedIndex();
            switch (e.getCode()) {
                case PAGE_DOWN -> {
                    if (e.isShortcutDown() || focused >= table.getItems().size() - 1) {
                        pager.next();
                        e.consume();
                    }
                }
                case PAGE_UP -> {
                    if (e.isShortcutDown() || focused <= 0) {
                        pager.previous();
                        e.consume();
                    }
                }
                default -> {}
            }
        });

        copy = new CopySelectionAction(table, tasks.statusLabel()::setText);
        export = new ExportCsvAction(spec, repo, pager, tasks, settings.exportTarget(), root);
        Button exportButton = new Button("Export CSV…");
        exportButton.setId(id + "-export");
        exportButton.setTooltip(
                new Tooltip("Write every row of this filtered, sorted view to CSV (PII stays ciphertext)"));
        exportButton.setOnAction(e -> export.execute());

        if (filterPane != null) {
            root.getChildren().add(filterPane);
        }
        root.getChildren().addAll(table, new PagerBar(id, pager, table, exportButton).node());
        if (spec.hasPii()) {
            flow = new RevealFlow(
                    session.revealRight(),
                    session.currentUser(),
                    dataset,
                    settings.revealTimeout(),
                    c -> repo.rowsSharingValue(spec, c.key(), c.column()),
                    revealClient::reveal,
                    tasks::run,
                    new RevealPanel.SystemClipboard(),
                    tasks.statusLabel()::setText);
            flow.busyProperty().bind(tasks.runningProperty().greaterThan(0));
            flow.setPurposes(session.purposes());
            reveal = new RevealPanel(id, spec, table, flow, onRequestGrant);
            root.getChildren().addAll(reveal.nodes());
        } else {
            flow = null;
            reveal = null;
        }
        root.setPadding(new Insets(8));
    }

    Node node() {
        return root;
    }

    TableView<Row> table() {
        return table;
    }

    /** The reason field of the reveal panel; null for a table without PII. */
    TextField reasonField() {
        return reveal == null ? null : reveal.reasonField();
    }

    /** Applies a new filter and shows its first page. */
    void setFilter(Filter f) {
        pager.setFilter(f);
    }

    /** First page and row count for the current filter and sort. */
    void reload() {
        pager.reload();
    }

    /** Ctrl+R: reveal the selection, or ask for a reason first (nothing on a table without PII). */
    void revealShortcut() {
        if (reveal != null) {
            reveal.revealShortcut();
        }
    }

    /** Ctrl+C. */
    void copySelection() {
        copy.execute();
    }

    /** The purposes read again (⟳). */
    void setPurposes(List<Purpose> purposes) {
        if (flow != null) {
            flow.setPurposes(purposes);
        }
    }

    /** The reveal rules of this table; null for a table without PII. */
    RevealFlow revealFlow() {
        return flow;
    }

    /** Hides revealed text (and takes it off the clipboard); on Disconnect. */
    void hideRevealed() {
        if (reveal != null) {
            reveal.hide();
        }
    }
}
