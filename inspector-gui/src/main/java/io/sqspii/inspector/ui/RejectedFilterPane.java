package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;

/** Filter bar of the Rejected tab: the error's kind (text before its first ':') and a create_date range in UTC days. */
final class RejectedFilterPane {

    static final String ANY = "any error";

    final ComboBox<String> kind = new ComboBox<>();
    final DatePicker from = DateFields.picker("rejectedFromFilter", "from (UTC, yyyy-mm-dd)");
    final DatePicker to = DateFields.picker("rejectedToFilter", "to (UTC, incl.)");
    final Button apply = new Button("Filter");
    final Label error = new Label();
    private final FlowPane root;
    private final Consumer<Filter> onApply;

    RejectedFilterPane(Consumer<Filter> onApply) {
        this.onApply = onApply;
        kind.setId("rejectedKindFilter");
        kind.getItems().setAll(ANY);
        kind.setValue(ANY);
        kind.setPrefWidth(260);
        kind.setTooltip(new Tooltip("Kind of error: the text before its first ':'"));
        kind.setOnAction(e -> applyNow());
        apply.setId("rejectedApplyFilter");
        apply.setTooltip(new Tooltip("Apply the filters (Enter in a date field)"));
        apply.setOnAction(e -> applyNow());
        for (DatePicker p : List.of(from, to)) {
            // a filter: the picker's skin commits (and consumes) Enter before the editor would see it
            p.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                    applyNow();
                    e.consume();
                }
            });
        }
        error.setId("rejectedFilterError");
        error.getStyleClass().add("error");
        root = new FlowPane(6, 6, new Label("Error"), kind, from, to, apply, error);
        root.setAlignment(Pos.CENTER_LEFT);
    }

    FlowPane node() {
        return root;
    }

    /** Offers the kinds found in the table (keeps the current choice). */
    void setKinds(List<String> kinds) {
        String current = kind.getValue();
        kind.getItems().setAll(ANY);
        kind.getItems().addAll(kinds);
        kind.setValue(current == null || !kind.getItems().contains(current) ? ANY : current);
    }

    void applyNow() {
        try {
            Filter f = filter();
            error.setText("");
            onApply.accept(f);
        } catch (InspectorException e) {
            error.setText(e.getMessage());
        }
    }

    Filter filter() {
        DateFields.Range range = DateFields.range(from, to);
        String k = kind.getValue();
        return Filter.builder()
                .kind("error", ANY.equals(k) ? null : k)
                .from("create_date", range.from())
                .until("create_date", range.until())
                .build();
    }
}
