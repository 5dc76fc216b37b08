package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.TableSpec;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/**
 * The table columns of a {@link TableSpec}, in its order: header, width and how a value is drawn all come
 * from the {@link Column} (its {@link Column.Display}); the column is the header's user data.
 */
final class TableColumns {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");
    /** Characters of an abbreviated value shown before the ellipsis. */
    static final int ABBREVIATE = 14;

    static final String PII_CELL = "pii-cell";

    private TableColumns() {}

    static void install(TableView<Row> table, TableSpec spec) {
        for (Column c : spec.columns()) {
            table.getColumns().add(column(spec, c));
        }
    }

    /** The spec's column a table column shows. */
    static Column columnOf(TableColumn<?, ?> column) {
        return (Column) column.getUserData();
    }

    /** The spec's column at a selected position, or null for a position without one (a whole row). */
    static Column columnAt(TablePosition<?, ?> pos) {
        return pos.getRow() < 0 || pos.getTableColumn() == null ? null : columnOf(pos.getTableColumn());
    }

    private static TableColumn<Row, Object> column(TableSpec spec, Column c) {
        TableColumn<Row, Object> col = new TableColumn<>(c.name());
        col.setUserData(c);
        col.setId(spec.name() + "-col-" + c.name());
        col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue().get(c.name())));
        col.setCellFactory(tc -> new ValueCell(c));
        col.setPrefWidth(c.prefWidth());
        col.setSortable(c.sortable());
        return col;
    }

    /** A stored value as text: timestamps in UTC to the second, anything else as is; null as nothing. */
    static String display(Object value) {
        return display(value, false);
    }

    /** As {@link #display(Object)}, cut to {@value #ABBREVIATE} characters and an ellipsis when asked. */
    static String display(Object value, boolean abbreviate) {
        if (value == null) {
            return "";
        }
        if (value instanceof OffsetDateTime t) {
            return TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        String s = value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
        return abbreviate && s.length() > ABBREVIATE ? s.substring(0, ABBREVIATE) + "…" : s;
    }

    static final double JSON_TOOLTIP_WIDTH = 640;

    /**
     * A value as its column shows it; PII ciphertext is marked (monospace, readable when selected) and whole in the
     * tooltip, as is a JSON document.
     */
    private static final class ValueCell extends TableCell<Row, Object> {
        private final Column column;

        ValueCell(Column column) {
            this.column = column;
        }

        @Override
        protected void updateItem(Object item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setTooltip(null);
                getStyleClass().remove(PII_CELL);
                return;
            }
            setText(display(item, column.display().abbreviated));
            if (column.isPii()) {
                if (!getStyleClass().contains(PII_CELL)) {
                    getStyleClass().add(PII_CELL);
                }
            }
            setTooltip(
                    column.display().abbreviated || column.display() == Column.Display.JSON
                            ? tooltip(item.toString())
                            : null);
        }

        /** The whole value: a JSON document wider than its column is wrapped to be read (its PII leaves still ciphertext). */
        private Tooltip tooltip(String whole) {
            Tooltip t = new Tooltip(whole);
            if (column.display() == Column.Display.JSON) {
                t.setWrapText(true);
                t.setMaxWidth(JSON_TOOLTIP_WIDTH);
            }
            return t;
        }
    }
}
