package io.sqspii.inspector;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Filter bar of the Logins tab: user_id, device_type, locale, app_version (exact match) and a
 * create_date range in UTC days, plus an optional duplicate-group condition set from the Duplicates tab.
 */
final class LoginsFilterPane {

    final TextField userId = field("user_id", "userIdFilter", 180);
    final TextField deviceType = field("device_type", "deviceTypeFilter", 100);
    final TextField locale = field("locale", "localeFilter", 70);
    final TextField appVersion = field("app_version", "appVersionFilter", 90);
    final DatePicker from = new DatePicker();
    final DatePicker to = new DatePicker();
    final Button apply = new Button("Filter");
    final Button clear = new Button("Clear");
    private final Label groupLabel = new Label();
    private final Button clearGroup = new Button("✕");
    private final HBox groupBox = new HBox(4, groupLabel, clearGroup);
    private final VBox root;
    private String groupColumn;
    private String groupValue;

    LoginsFilterPane(Consumer<Filter> onApply) {
        from.setId("fromFilter");
        to.setId("toFilter");
        from.setPromptText("from (UTC)");
        to.setPromptText("to (UTC, incl.)");
        from.setPrefWidth(130);
        to.setPrefWidth(130);
        apply.setId("applyFilter");
        apply.setDefaultButton(true);
        clear.setId("clearFilter");
        apply.setOnAction(e -> onApply.accept(filter()));
        clear.setOnAction(e -> {
            userId.clear();
            deviceType.clear();
            locale.clear();
            appVersion.clear();
            from.setValue(null);
            to.setValue(null);
            clearGroupFilter();
            onApply.accept(filter());
        });
        groupLabel.setId("groupFilter");
        groupBox.getStyleClass().add("chip");
        groupBox.setAlignment(Pos.CENTER_LEFT);
        clearGroup.setOnAction(e -> {
            clearGroupFilter();
            onApply.accept(filter());
        });
        groupBox.setVisible(false);
        groupBox.setManaged(false);
        FlowPane fields = new FlowPane(6, 6, userId, deviceType, locale, appVersion, from, to, apply, clear);
        fields.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(4, fields, groupBox);
    }

    VBox node() {
        return root;
    }

    /** Restricts the view to one duplicate group (rows sharing a masked value). */
    void setGroupFilter(String column, String value) {
        groupColumn = column;
        groupValue = value;
        groupLabel.setText("Duplicate group: " + column + " = " + TableBrowser.display(value, true));
        groupBox.setVisible(true);
        groupBox.setManaged(true);
    }

    private void clearGroupFilter() {
        groupColumn = null;
        groupValue = null;
        groupBox.setVisible(false);
        groupBox.setManaged(false);
    }

    Filter filter() {
        Filter.Builder b = Filter.builder()
                .eq("user_id", userId.getText())
                .eq("device_type", deviceType.getText())
                .eq("locale", locale.getText())
                .eq("app_version", appVersion.getText())
                .from("create_date", startOf(from.getValue()))
                .until("create_date", startOf(to.getValue() == null ? null : to.getValue().plusDays(1)));
        if (groupColumn != null) {
            b.eq(groupColumn, groupValue);
        }
        return b.build();
    }

    private static OffsetDateTime startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static TextField field(String prompt, String id, double width) {
        TextField f = new TextField();
        f.setPromptText(prompt);
        f.setId(id);
        f.setPrefWidth(width);
        return f;
    }
}
