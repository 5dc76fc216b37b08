package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.TableSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The filter bar of a browsed table, generated from its columns: text (and other values) contain or equal what
 * is typed, a day range in UTC on timestamptz and date columns, a number range on numeric ones, yes/no on
 * booleans; PII ciphertext and JSON get none (a duplicate group is the way to rows sharing a ciphertext).
 * Enter in any field applies, Esc clears; a value that does not parse is told, not dropped. Every value is
 * bound as a parameter, every column comes from the spec.
 */
final class FilterPane {

    static final String CONTAINS = "contains";
    static final String EQUALS = "equals";
    static final String ANY = "any";

    private final TableSpec spec;
    private final Consumer<Filter> onApply;
    final ChoiceBox<String> textMatch = new ChoiceBox<>();
    private final Map<String, TextField> texts = new LinkedHashMap<>();
    private final Map<String, DatePicker[]> days = new LinkedHashMap<>();
    private final Map<String, TextField[]> numbers = new LinkedHashMap<>();
    private final Map<String, ChoiceBox<String>> booleans = new LinkedHashMap<>();
    final Button apply = new Button("Filter");
    final Button clear = new Button("Clear");
    final Label error = new Label();
    private final Label groupLabel = new Label();
    private final Button clearGroup = new Button("✕");
    private final HBox groupBox = new HBox(4, groupLabel, clearGroup);
    private final VBox root;
    private String groupColumn;
    private String groupValue;
    private Filter applied = Filter.NONE;

    FilterPane(TableSpec spec, Consumer<Filter> onApply) {
        this.spec = spec;
        this.onApply = onApply;
        String id = spec.name();
        FlowPane fields = new FlowPane(6, 6);
        fields.setAlignment(Pos.CENTER_LEFT);
        textMatch.getItems().addAll(CONTAINS, EQUALS);
        textMatch.setValue(CONTAINS);
        textMatch.setId(id + "-textMatch");
        textMatch.setTooltip(new Tooltip("How the text fields match: the value contains the text, or equals it"));
        for (Column c : spec.columns()) {
            if (c.isPii() || c.type() == ColumnType.JSON) {
                continue;
            }
            switch (c.type()) {
                case TIMESTAMP, DATE -> {
                    DatePicker from = DateFields.picker(fieldId(c, "from"), c.name() + " from (UTC, yyyy-mm-dd)");
                    DatePicker to = DateFields.picker(fieldId(c, "to"), c.name() + " to (incl.)");
                    for (DatePicker p : new DatePicker[] {from, to}) {
                        // a filter on the pickers: their skin commits (and consumes) Enter before the editor would see
                        // it
                        p.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
                    }
                    days.put(c.name(), new DatePicker[] {from, to});
                    fields.getChildren().addAll(from, to);
                }
                case BIGINT, NUMERIC -> {
                    TextField min = field(fieldId(c, "min"), c.name() + " ≥", 90);
                    TextField max = field(fieldId(c, "max"), c.name() + " ≤", 90);
                    numbers.put(c.name(), new TextField[] {min, max});
                    fields.getChildren().addAll(min, max);
                }
                case BOOLEAN -> {
                    ChoiceBox<String> b = new ChoiceBox<>();
                    b.getItems().addAll(ANY, "true", "false");
                    b.setValue(ANY);
                    b.setId(fieldId(c, "is"));
                    b.setTooltip(new Tooltip(c.name()));
                    b.setOnAction(e -> applyNow());
                    booleans.put(c.name(), b);
                    fields.getChildren().addAll(new Label(c.name()), b);
                }
                default -> {
                    TextField f = field(fieldId(c, "text"), c.name(), c.prefWidth());
                    texts.put(c.name(), f);
                    fields.getChildren().add(f);
                }
            }
        }
        if (!texts.isEmpty()) {
            fields.getChildren().add(0, textMatch);
        }
        apply.setId(id + "-applyFilter");
        apply.setTooltip(new Tooltip(
                "Apply the filters (Enter in any field; " + MainView.FILTER_KEY.getDisplayText() + " jumps here)"));
        clear.setId(id + "-clearFilter");
        clear.setTooltip(new Tooltip("Clear every filter (Esc in a field)"));
        apply.setOnAction(e -> applyNow());
        clear.setOnAction(e -> {
            clearFields();
            clearGroupFilter();
            applyNow();
        });
        error.setId(id + "-filterError");
        error.getStyleClass().add("error");
        fields.getChildren().addAll(apply, clear, error);
        groupLabel.setId(id + "-groupFilter");
        groupBox.getStyleClass().add("chip");
        groupBox.setAlignment(Pos.CENTER_LEFT);
        clearGroup.setTooltip(new Tooltip("Show all rows again"));
        clearGroup.setOnAction(e -> {
            clearGroupFilter();
            applyNow();
        });
        groupBox.setVisible(false);
        groupBox.setManaged(false);
        root = new VBox(4, fields, groupBox);
    }

    private String fieldId(Column c, String what) {
        return spec.name() + "-filter-" + c.name() + "-" + what;
    }

    private TextField field(String id, String prompt, double width) {
        TextField f = new TextField();
        f.setPromptText(prompt);
        f.setId(id);
        f.setPrefWidth(Math.max(80, Math.min(width, 200)));
        f.addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        return f;
    }

    /** Enter applies, Esc clears every filter. */
    private void onKey(KeyEvent e) {
        switch (e.getCode()) {
            case ENTER -> {
                applyNow();
                e.consume();
            }
            case ESCAPE -> {
                clear.fire();
                e.consume();
            }
            default -> {}
        }
    }

    Node node() {
        return root;
    }

    /** The first field (Ctrl+F focuses it), or null when the table has nothing to filter by. */
    Node firstField() {
        return texts.values().stream()
                .findFirst()
                .map(Node.class::cast)
                .orElse(days.values().stream().findFirst().map(p -> (Node) p[0]).orElse(null));
    }

    /** The text field of a column (null when it has none). */
    TextField text(String column) {
        return texts.get(column);
    }

    /** The day range pickers of a timestamptz or date column: from, to. */
    DatePicker from(String column) {
        return days.get(column)[0];
    }

    DatePicker to(String column) {
        return days.get(column)[1];
    }

    /** The filter last applied (the Overview uses the same). */
    Filter appliedFilter() {
        return applied;
    }

    /** Applies the fields, or shows why they cannot be applied. */
    void applyNow() {
        try {
            Filter f = filter();
            error.setText("");
            applied = f;
            onApply.accept(f);
        } catch (InspectorException e) {
            error.setText(e.getMessage());
        }
    }

    /**
     * Restricts the view to one duplicate group (rows sharing a masked value), clearing the other
     * filters: kept, they could hide the group's rows.
     */
    void showGroupOnly(String column, String value) {
        spec.requireColumn(column);
        clearFields();
        groupColumn = column;
        groupValue = value;
        groupLabel.setText("Duplicate group: " + column + " = " + TableColumns.display(value, true));
        groupBox.setVisible(true);
        groupBox.setManaged(true);
    }

    private void clearFields() {
        texts.values().forEach(TextField::clear);
        numbers.values().forEach(f -> {
            f[0].clear();
            f[1].clear();
        });
        days.values().forEach(p -> {
            for (DatePicker d : p) {
                d.setValue(null);
                d.getEditor().clear();
            }
        });
        booleans.values().forEach(b -> b.setValue(ANY));
        error.setText("");
    }

    private void clearGroupFilter() {
        groupColumn = null;
        groupValue = null;
        groupBox.setVisible(false);
        groupBox.setManaged(false);
    }

    /** The filter the fields describe; {@link InspectorException} for a bad date, number or an empty range. */
    Filter filter() {
        Filter.Builder b = Filter.builder();
        boolean equals = EQUALS.equals(textMatch.getValue());
        texts.forEach((column, f) -> {
            if (equals) {
                b.eq(column, f.getText());
            } else {
                b.contains(column, f.getText());
            }
        });
        for (Map.Entry<String, DatePicker[]> e : days.entrySet()) {
            DateFields.Range range = DateFields.range(e.getValue()[0], e.getValue()[1]);
            if (spec.requireColumn(e.getKey()).type() == ColumnType.DATE) {
                b.add(
                        e.getKey(),
                        Filter.Op.GTE,
                        range.from() == null ? null : range.from().toLocalDate());
                b.add(
                        e.getKey(),
                        Filter.Op.LT,
                        range.until() == null ? null : range.until().toLocalDate());
            } else {
                b.from(e.getKey(), range.from()).until(e.getKey(), range.until());
            }
        }
        for (Map.Entry<String, TextField[]> e : numbers.entrySet()) {
            BigDecimal min = number(e.getKey(), e.getValue()[0].getText());
            BigDecimal max = number(e.getKey(), e.getValue()[1].getText());
            if (min != null && max != null && min.compareTo(max) > 0) {
                throw new InspectorException(e.getKey() + ": the lower bound is above the upper one.");
            }
            ColumnType type = spec.requireColumn(e.getKey()).type();
            b.add(e.getKey(), Filter.Op.GTE, type == ColumnType.BIGINT && min != null ? (Object) min.longValue() : min);
            b.add(e.getKey(), Filter.Op.LTE, type == ColumnType.BIGINT && max != null ? (Object) max.longValue() : max);
        }
        booleans.forEach((column, c) ->
                b.add(column, Filter.Op.EQ, ANY.equals(c.getValue()) ? null : Boolean.valueOf(c.getValue())));
        if (groupColumn != null) {
            b.eq(groupColumn, groupValue);
        }
        return b.build();
    }

    private static BigDecimal number(String column, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new InspectorException(column + ": not a number: " + text.strip());
        }
    }
}
