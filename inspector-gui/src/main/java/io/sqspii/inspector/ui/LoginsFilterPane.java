package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Filter bar of the Logins tab: user_id, device_type, locale, app_version (exact match) and a
 * create_date range in UTC days, plus an optional duplicate-group condition set from the Duplicates
 * tab. Enter in any field applies; a date that does not parse, or a "from" after "to", is told, not
 * dropped.
 */
final class LoginsFilterPane {

    final TextField userId = field("user_id", "userIdFilter", 180);
    final TextField deviceType = field("device_type", "deviceTypeFilter", 100);
    final TextField locale = field("locale", "localeFilter", 70);
    final TextField appVersion = field("app_version", "appVersionFilter", 90);
    final DatePicker from = DateFields.picker("fromFilter", "from (UTC, yyyy-mm-dd)");
    final DatePicker to = DateFields.picker("toFilter", "to (UTC, incl.)");
    final Button apply = new Button("Filter");
    final Button clear = new Button("Clear");
    final Label error = new Label();
    private final Label groupLabel = new Label();
    private final Button clearGroup = new Button("✕");
    private final HBox groupBox = new HBox(4, groupLabel, clearGroup);
    private final VBox root;
    private final Consumer<Filter> onApply;
    private String groupColumn;
    private String groupValue;
    private Filter applied = Filter.NONE;

    LoginsFilterPane(Consumer<Filter> onApply) {
        this.onApply = onApply;
        apply.setId("applyFilter");
        apply.setTooltip(new Tooltip("Apply the filters (Enter in any field; " + MainView.FILTER_KEY.getDisplayText()
                + " jumps here)"));
        clear.setId("clearFilter");
        clear.setTooltip(new Tooltip("Clear every filter (Esc in a field)"));
        apply.setOnAction(e -> applyNow());
        clear.setOnAction(e -> {
            clearFields();
            clearGroupFilter();
            applyNow();
        });
        for (TextField f : new TextField[] {userId, deviceType, locale, appVersion}) {
            f.addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        }
        // a filter on the pickers: their skin commits (and consumes) Enter before the editor would see it
        from.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        to.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        error.setId("filterError");
        error.getStyleClass().add("error");
        groupLabel.setId("groupFilter");
        groupBox.getStyleClass().add("chip");
        groupBox.setAlignment(Pos.CENTER_LEFT);
        clearGroup.setTooltip(new Tooltip("Show all rows again"));
        clearGroup.setOnAction(e -> {
            clearGroupFilter();
            applyNow();
        });
        groupBox.setVisible(false);
        groupBox.setManaged(false);
        FlowPane fields = new FlowPane(6, 6, userId, deviceType, locale, appVersion, from, to, apply, clear, error);
        fields.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(4, fields, groupBox);
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
            default -> {
            }
        }
    }

    VBox node() {
        return root;
    }

    /** The filter last applied to the Logins tab (the Overview uses the same). */
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
        clearFields();
        groupColumn = column;
        groupValue = value;
        groupLabel.setText("Duplicate group: " + column + " = " + TableColumns.display(value, true));
        groupBox.setVisible(true);
        groupBox.setManaged(true);
    }

    private void clearFields() {
        userId.clear();
        deviceType.clear();
        locale.clear();
        appVersion.clear();
        from.setValue(null);
        from.getEditor().clear();
        to.setValue(null);
        to.getEditor().clear();
        error.setText("");
    }

    private void clearGroupFilter() {
        groupColumn = null;
        groupValue = null;
        groupBox.setVisible(false);
        groupBox.setManaged(false);
    }

    /** The filter the fields describe; {@link InspectorException} for a bad date or an empty range. */
    Filter filter() {
        DateFields.Range range = DateFields.range(from, to);
        Filter.Builder b = Filter.builder()
                .eq("user_id", userId.getText())
                .eq("device_type", deviceType.getText())
                .eq("locale", locale.getText())
                .eq("app_version", appVersion.getText())
                .from("create_date", range.from())
                .until("create_date", range.until());
        if (groupColumn != null) {
            b.eq(groupColumn, groupValue);
        }
        return b.build();
    }


    private static TextField field(String prompt, String id, double width) {
        TextField f = new TextField();
        f.setPromptText(prompt);
        f.setId(id);
        f.setPrefWidth(width);
        return f;
    }
}
