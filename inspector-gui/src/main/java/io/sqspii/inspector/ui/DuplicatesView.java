package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.model.DuplicateGroup;
import java.util.List;
import java.util.function.BiConsumer;
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
 * Groups of logins sharing a device id or an IP, computed by SQL equality on deterministic
 * ciphertext (nothing is decrypted). Double-click a group to browse its rows.
 */
final class DuplicatesView {

    static final String BOTH = "device id or IP";
    static final String DEVICE = "device id";
    static final String IP = "IP";
    static final int PAGE = 200;
    /** One person's repeated logins are no finding: by default a group must span two users. */
    static final int DEFAULT_MIN_USERS = 2;

    private final InspectorRepository repo;
    private final DbTasks tasks;
    private final TableView<DuplicateGroup> table = new TableView<>();
    private final ChoiceBox<String> kind = new ChoiceBox<>();
    private final Spinner<Integer> minUsers = new Spinner<>(1, 1000, DEFAULT_MIN_USERS);
    private final Label summary = new Label();
    private final Button prev = new Button("◀ Prev");
    private final Button next = new Button("Next ▶");
    private long offset;
    private List<String> columns = InspectorRepository.DUPLICATE_COLUMNS;
    private int users = DEFAULT_MIN_USERS;
    private final VBox root;

    DuplicatesView(InspectorRepository repo, DbTasks tasks, BiConsumer<String, String> openGroup) {
        this.repo = repo;
        this.tasks = tasks;
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
        table.getColumns().add(col("distinct users", DuplicateGroup::distinctUsers, 100));
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

        kind.getItems().addAll(BOTH, DEVICE, IP);
        kind.setValue(BOTH);
        kind.setId("duplicatesKind");
        minUsers.setEditable(true);
        minUsers.setPrefWidth(80);
        minUsers.setId("duplicatesMinUsers");
        Button refresh = new Button("Find duplicates");
        refresh.setId("duplicatesRefresh");
        refresh.setOnAction(e -> refresh());
        refresh.setDefaultButton(false);
        refresh.setTooltip(new Tooltip("List the groups (Enter in the number field)"));
        minUsers.getEditor().setOnAction(e -> refresh());
        summary.setId("duplicatesSummary");
        prev.setId("duplicatesPrev");
        next.setId("duplicatesNext");
        prev.setTooltip(new Tooltip("Previous " + PAGE + " groups"));
        next.setTooltip(new Tooltip("Next " + PAGE + " groups"));
        prev.setOnAction(e -> load(Math.max(0, offset - PAGE)));
        next.setOnAction(e -> load(offset + PAGE));
        prev.setDisable(true);
        next.setDisable(true);
        HBox bar = new HBox(6, new Label("Shared"), kind, new Label("by at least"), minUsers, new Label("distinct users"),
                refresh, prev, next, summary);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Found by equal ciphertext (deterministic encryption): nothing is decrypted."
                + " Double-click a group, or Enter on it, to see its rows (the Logins filters are cleared).");
        hint.getStyleClass().add("hint");
        root = new VBox(6, bar, table, hint);
        root.setPadding(new Insets(8));
    }

    Node node() {
        return root;
    }

    TableView<DuplicateGroup> table() {
        return table;
    }

    /** The first page of groups for the current choice. */
    void refresh() {
        columns = switch (kind.getValue()) {
            case DEVICE -> List.of("masked_device_id");
            case IP -> List.of("masked_ip");
            default -> InspectorRepository.DUPLICATE_COLUMNS;
        };
        users = minUsers.getValue();
        load(0);
    }

    /** One page of groups; one more than a page is read to know whether there is a next one. */
    private void load(long from) {
        List<String> cols = columns;
        int u = users;
        tasks.run("Finding duplicate groups", () -> repo.duplicates(cols, 2, u, PAGE + 1, from), groups -> {
            boolean more = groups.size() > PAGE;
            List<DuplicateGroup> shown = more ? groups.subList(0, PAGE) : groups;
            offset = from;
            table.getItems().setAll(shown);
            prev.setDisable(from == 0);
            next.setDisable(!more);
            summary.setText(shown.isEmpty() ? "no groups"
                    : String.format("groups %,d–%,d%s, largest first", from + 1, from + shown.size(), more ? " of more" : ""));
        });
    }

    private static TableColumn<DuplicateGroup, Object> col(String title, java.util.function.Function<DuplicateGroup, Object> f,
                                                          double width) {
        TableColumn<DuplicateGroup, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        c.setPrefWidth(width);
        c.setSortable(true);
        return c;
    }
}
