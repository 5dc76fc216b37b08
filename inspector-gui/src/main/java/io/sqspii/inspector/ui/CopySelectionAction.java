package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * Ctrl+C: the selected cells' stored values (ciphertext for PII, never revealed text), tab-separated,
 * one line per row, in table order.
 */
final class CopySelectionAction {

    private final TableView<Row> table;
    private final Consumer<String> status;

    CopySelectionAction(TableView<Row> table, Consumer<String> status) {
        this.table = table;
        this.status = status;
    }

    void execute() {
        List<TablePosition<?, ?>> cells = new ArrayList<>();
        for (TablePosition<?, ?> pos : table.getSelectionModel().getSelectedCells()) {
            cells.add(pos);
        }
        cells.sort(Comparator.<TablePosition<?, ?>>comparingInt(TablePosition::getRow)
                .thenComparingInt(TablePosition::getColumn));
        Map<Integer, List<String>> byRow = new LinkedHashMap<>();
        for (TablePosition<?, ?> pos : cells) {
            Column c = TableColumns.columnAt(pos);
            if (c != null) {
                Object v = table.getItems().get(pos.getRow()).get(c.name());
                byRow.computeIfAbsent(pos.getRow(), r -> new ArrayList<>()).add(TableColumns.display(v));
            }
        }
        if (byRow.isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(String.join(
                "\n", byRow.values().stream().map(l -> String.join("\t", l)).toList()));
        Clipboard.getSystemClipboard().setContent(content);
        status.accept("Copied " + cells.size() + " cell(s).");
    }
}
