package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Groups of rows of the chosen dataset sharing a value of one of its deterministic columns, computed by SQL
 * equality on deterministic ciphertext (nothing is decrypted). Double-click a group to browse its rows. A group of a
 * column whose key domain other datasets share says in how many rows of each dataset its value appears.
 */
final class DuplicatesView {

    static final String ANY = "any deterministic column";
    static final int PAGE = 200;

    private final InspectorRepository repo;
    private final DbTasks tasks;
    private final TableView<DuplicateGroup> table = new TableView<>();
    private final ChoiceBox<String> kind = new ChoiceBox<>();
    private final Spinner<Integer> minRows = new Spinner<>(2, 1_000_000, 2);
    private final Label summary = new Label();
    /** Where the selected group's value appears across the datasets of its key domain. */
    private final Label across = new Label();

    private final Supplier<List<Dataset>> datasets;
    private final Button prev = new Button("◀ Prev");
    private final Button next = new Button("Next ▶");
    private long offset;
    private TableSpec spec;
    private List<String> columns = List.of();
    private int rows = 2;
    private final VBox root;

    /** @param datasets the catalog's datasets as last read (for the datasets sharing a key domain) */
    DuplicatesView(
            InspectorRepository repo,
            DbTasks tasks,
            Supplier<List<Dataset>> datasets,
            BiConsumer<String, String> openGroup) {
        this.repo = repo;
        this.tasks = tasks;
        this.datasets = datasets;
        table.setId("duplicates-table");
        table.setPlaceholder(new Label("No duplicate groups."));
        table.getColumns().add(col("shared column", g -> g.column(), 130));
        TableColumn<DuplicateGroup, Object> value = col("value (ciphertext)", DuplicateGroup::value, 220);
        value.setCellFactory(tc -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : TableColumns.display(item, true));
                setTooltip(empty || item == null ? null : new Tooltip(item.toString()));
            }
        });
        table.getColumns().add(value);
        table.getColumns().add(col("rows", DuplicateGroup::rows, 70));
        table.getColumns().add(col("first seen", g -> TableColumns.display(g.firstSeen(), false), 160));
        table.getColumns().add(col("last seen", g -> TableColumns.display(g.lastSeen(), false), 160));
        table.setRowFactory(tv -> {
            TableRow<DuplicateGroup> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openGroup.accept(row.getItem().column(), row.getItem().value());
                }
            });
            return row;
        });
        // a filter, so the table's own key handling cannot swallow Enter first
        table.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            DuplicateGroup g = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && g != null) {
                openGroup.accept(g.column(), g.value());
                e.consume();
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        across.setId("duplicatesAcross");
        across.setWrapText(true);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, g) -> showAcross(g));

        kind.setId("duplicatesKind");
        minRows.setEditable(true);
        minRows.setPrefWidth(90);
        minRows.setId("duplicatesMinRows");
        Button refresh = new Button("Find duplicates");
        refresh.setId("duplicatesRefresh");
        refresh.setOnAction(e -> refresh());
        refresh.setDefaultButton(false);
        refresh.setTooltip(new Tooltip("List the groups (Enter in the number field)"));
        minRows.getEditor().setOnAction(e -> refresh());
        summary.setId("duplicatesSummary");
        prev.setId("duplicatesPrev");
        next.setId("duplicatesNext");
        prev.setTooltip(new Tooltip("Previous " + PAGE + " groups"));
        next.setTooltip(new Tooltip("Next " + PAGE + " groups"));
        prev.setOnAction(e -> load(Math.max(0, offset - PAGE)));
        next.setOnAction(e -> load(offset + PAGE));
        prev.setDisable(true);
        next.setDisable(true);
        HBox bar = new HBox(
                6,
                new Label("Shared in"),
                kind,
                new Label("by at least"),
                minRows,
                new Label("rows"),
                refresh,
                prev,
                next,
                summary);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Found by equal ciphertext (deterministic encryption): nothing is decrypted."
                + " Double-click a group, or Enter on it, to see its rows (the Rows filters are cleared).");
        hint.getStyleClass().add("hint");
        root = new VBox(6, bar, table, across, hint);
        root.setPadding(new Insets(8));
    }

    Node node() {
        return root;
    }

    TableView<DuplicateGroup> table() {
        return table;
    }

    /** Shows the groups of another table (its deterministic columns to choose from); nothing is loaded yet. */
    void setTable(TableSpec spec) {
        this.spec = spec;
        kind.getItems().setAll(ANY);
        if (spec != null) {
            spec.deterministicColumns().forEach(c -> kind.getItems().add(c.name()));
        }
        kind.setValue(ANY);
        table.getItems().clear();
        across.setText("");
        summary.setText(
                spec == null
                        ? "no dataset"
                        : spec.deterministicColumns().isEmpty() ? spec.name() + " has no deterministic column" : "");
        prev.setDisable(true);
        next.setDisable(true);
    }

    /** The first page of groups for the current choice. */
    void refresh() {
        if (spec == null) {
            return;
        }
        columns = ANY.equals(kind.getValue())
                ? spec.deterministicColumns().stream().map(c -> c.name()).toList()
                : List.of(kind.getValue());
        rows = minRows.getValue();
        load(0);
    }

    /** One page of groups; one more than a page is read to know whether there is a next one. */
    private void load(long from) {
        List<String> cols = columns;
        int n = rows;
        TableSpec t = spec;
        tasks.run("Finding duplicate groups", () -> repo.duplicates(t, cols, n, PAGE + 1, from), groups -> {
            boolean more = groups.size() > PAGE;
            List<DuplicateGroup> shown = more ? groups.subList(0, PAGE) : groups;
            offset = from;
            table.getItems().setAll(shown);
            prev.setDisable(from == 0);
            next.setDisable(!more);
            summary.setText(
                    shown.isEmpty()
                            ? "no groups"
                            : String.format(
                                    "groups %,d–%,d%s, largest first",
                                    from + 1, from + shown.size(), more ? " of more" : ""));
        });
    }

    /**
     * For a group whose column's key domain other datasets share: the rows holding its ciphertext in each of
     * them ("this value appears in 3 orders and 2 tickets"), counted by SQL equality.
     */
    private void showAcross(DuplicateGroup g) {
        across.setText("");
        TableSpec t = spec;
        String domain = g == null || t == null
                ? null
                : t.column(g.column()).map(Column::keyDomain).orElse(null);
        List<Dataset> all = datasets.get();
        if (domain == null || !Dataset.sharedDomains(all).contains(domain)) {
            return;
        }
        tasks.run(
                "Counting the value in the datasets of key domain " + domain,
                () -> repo.rowsPerDatasetInDomain(all, domain, g.value()),
                counts -> {
                    // the selection may have moved on meanwhile
                    if (g.equals(table.getSelectionModel().getSelectedItem())) {
                        across.setText("This value appears in " + describe(counts) + " (key domain " + domain
                                + ": equal ciphertext, nothing decrypted).");
                    }
                });
    }

    /** "3 orders and 2 tickets", most first. */
    static String describe(Map<String, Long> rowsPerDataset) {
        List<String> parts = new ArrayList<>();
        rowsPerDataset.forEach((dataset, n) -> parts.add(String.format("%,d %s", n, dataset)));
        if (parts.size() < 2) {
            return parts.isEmpty() ? "no dataset" : parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static TableColumn<DuplicateGroup, Object> col(
            String title, java.util.function.Function<DuplicateGroup, Object> f, double width) {
        TableColumn<DuplicateGroup, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        c.setPrefWidth(width);
        c.setSortable(true);
        return c;
    }
}
