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
    static final int LIMIT = 500;

    private final InspectorRepository repo;
    private final DbTasks tasks;
    private final TableView<DuplicateGroup> table = new TableView<>();
    private final ChoiceBox<String> kind = new ChoiceBox<>();
    private final Spinner<Integer> minUsers = new Spinner<>(1, 1000, 1);
    private final Label summary = new Label();
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
                setText(empty || item == null ? null : TableBrowser.display(item, true));
                setTooltip(empty || item == null ? null : new Tooltip(item.toString()));
            }
        });
        table.getColumns().add(value);
        table.getColumns().add(col("rows", DuplicateGroup::rows, 70));
        table.getColumns().add(col("distinct users", DuplicateGroup::distinctUsers, 100));
        table.getColumns().add(col("first seen", g -> TableBrowser.display(g.firstSeen(), false), 160));
        table.getColumns().add(col("last seen", g -> TableBrowser.display(g.lastSeen(), false), 160));
        table.setRowFactory(tv -> {
            TableRow<DuplicateGroup> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openGroup.accept(row.getItem().column(), row.getItem().value());
                }
            });
            return row;
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
        summary.setId("duplicatesSummary");
        HBox bar = new HBox(6, new Label("Shared"), kind, new Label("by at least"), minUsers, new Label("distinct users"),
                refresh, summary);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Found by equal ciphertext (deterministic encryption): nothing is decrypted. Double-click a group to see its rows.");
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

    void refresh() {
        List<String> columns = switch (kind.getValue()) {
            case DEVICE -> List.of("masked_device_id");
            case IP -> List.of("masked_ip");
            default -> InspectorRepository.DUPLICATE_COLUMNS;
        };
        int users = minUsers.getValue();
        tasks.run("Finding duplicate groups", () -> repo.duplicates(columns, 2, users, LIMIT), groups -> {
            table.getItems().setAll(groups);
            summary.setText(groups.size() + (groups.size() == LIMIT ? "+ groups (largest first)" : " groups"));
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
