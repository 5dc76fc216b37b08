package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.OverviewRepository;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Charts over SQL aggregates of the stored rows, with the Logins tab's filters: logins over time, by
 * device type and by app version, rejected messages by kind over time, and the biggest duplicate
 * groups (click a bar to open the group's rows). Nothing is decrypted.
 */
final class OverviewView {

    static final String AUTO = "auto";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final OverviewRepository repo;
    private final DbTasks tasks;
    private final Supplier<Filter> filter;
    private final BiConsumer<String, String> openGroup;

    final Label logins = figure("overviewLogins");
    final Label users = figure("overviewUsers");
    final Label rejected = figure("overviewRejected");
    final Label filterText = new Label();
    final ChoiceBox<String> bucket = new ChoiceBox<>();
    final AreaChart<Number, Number> loginsOverTime;
    final BarChart<String, Number> byDevice;
    final BarChart<String, Number> byVersion;
    final LineChart<Number, Number> rejectedOverTime;
    final BarChart<Number, String> topGroups;
    private final VBox root;
    private Overview shown;

    OverviewView(OverviewRepository repo, DbTasks tasks, Supplier<Filter> filter, BiConsumer<String, String> openGroup) {
        this.repo = repo;
        this.tasks = tasks;
        this.filter = filter;
        this.openGroup = openGroup;

        loginsOverTime = new AreaChart<>(timeAxis(), new NumberAxis());
        loginsOverTime.setId("overviewLoginsOverTime");
        loginsOverTime.setTitle("Logins over time (UTC)");
        loginsOverTime.setLegendVisible(false);
        loginsOverTime.setCreateSymbols(false);
        byDevice = bars("overviewByDevice", "Logins by device type");
        byVersion = bars("overviewByVersion", "Logins by app version");
        rejectedOverTime = new LineChart<>(timeAxis(), new NumberAxis());
        rejectedOverTime.setId("overviewRejectedOverTime");
        rejectedOverTime.setTitle("Rejected messages by kind of error (UTC)");
        rejectedOverTime.setCreateSymbols(true);
        topGroups = new BarChart<>(new NumberAxis(), new CategoryAxis());
        topGroups.setId("overviewTopGroups");
        topGroups.setTitle("Biggest duplicate groups (rows; 2+ users) — click a bar to open it");
        topGroups.setLegendVisible(false);
        topGroups.setAnimated(false);
        for (XYChart<?, ?> c : List.of(loginsOverTime, byDevice, byVersion, rejectedOverTime, topGroups)) {
            c.setAnimated(false);
            c.setPrefHeight(250);
            c.setMinHeight(200);
        }

        bucket.setId("overviewBucket");
        bucket.getItems().addAll(AUTO, "hour", "day");
        bucket.setValue(AUTO);
        bucket.setTooltip(new Tooltip("Width of a time bucket: auto = per hour up to 3 days, per day beyond"));
        bucket.setOnAction(e -> refresh());
        Button refresh = new Button("Refresh");
        refresh.setId("overviewRefresh");
        refresh.setTooltip(new Tooltip("Recompute the figures (F5)"));
        refresh.setOnAction(e -> refresh());
        filterText.setId("overviewFilter");
        filterText.getStyleClass().add("hint");
        HBox figures = new HBox(24, labelled("logins", logins), labelled("distinct users", users),
                labelled("rejected", rejected));
        figures.setAlignment(Pos.CENTER_LEFT);
        HBox bar = new HBox(8, figures, new Label("per"), bucket, refresh, filterText);
        bar.setAlignment(Pos.CENTER_LEFT);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.add(loginsOverTime, 0, 0, 2, 1);
        grid.add(byDevice, 0, 1);
        grid.add(byVersion, 1, 1);
        grid.add(rejectedOverTime, 0, 2);
        grid.add(topGroups, 1, 2);
        for (Node n : grid.getChildren()) {
            GridPane.setHgrow(n, Priority.ALWAYS);
            GridPane.setVgrow(n, Priority.ALWAYS);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root = new VBox(6, bar, scroll);
        root.setPadding(new Insets(8));
        root.getStyleClass().add("overview");
        root.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.F5) {
                refresh();
                e.consume();
            }
        });
    }

    Node node() {
        return root;
    }

    Overview shown() {
        return shown;
    }

    /** Recomputes every figure for the Logins tab's current filter. */
    void refresh() {
        Filter f = filter.get();
        String unit = AUTO.equals(bucket.getValue()) ? null : bucket.getValue();
        filterText.setText(f.isEmpty() ? "all rows (filters: Logins tab, " + MainView.FILTER_KEY.getDisplayText() + ")"
                : "filtered as the Logins tab: " + describe(f));
        tasks.run("Computing the overview", () -> repo.load(f, unit), this::show);
    }

    private void show(Overview o) {
        shown = o;
        logins.setText(String.format("%,d", o.logins()));
        users.setText(String.format("%,d", o.users()));
        rejected.setText(String.format("%,d", o.rejected()));
        DateTimeFormatter fmt = "hour".equals(o.bucket()) ? HOUR : DAY;
        ((NumberAxis) loginsOverTime.getXAxis()).setTickLabelFormatter(epochLabels(fmt));
        ((NumberAxis) rejectedOverTime.getXAxis()).setTickLabelFormatter(epochLabels(fmt));
        loginsOverTime.setTitle("Logins per " + o.bucket() + " (UTC)");
        rejectedOverTime.setTitle("Rejected messages per " + o.bucket() + ", by kind of error (UTC)");

        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName("logins");
        for (Overview.Point p : o.loginsOverTime()) {
            series.getData().add(new XYChart.Data<>(p.start().getEpochSecond(), p.count()));
        }
        loginsOverTime.getData().setAll(List.of(series));
        byDevice.getData().setAll(List.of(slices(o.byDeviceType())));
        byVersion.getData().setAll(List.of(slices(o.byAppVersion())));
        rejectedOverTime.getData().clear();
        for (Map.Entry<String, List<Overview.Point>> e : o.rejectedOverTime().entrySet()) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(e.getKey());
            for (Overview.Point p : e.getValue()) {
                s.getData().add(new XYChart.Data<>(p.start().getEpochSecond(), p.count()));
            }
            rejectedOverTime.getData().add(s);
        }
        XYChart.Series<Number, String> groups = new XYChart.Series<>();
        List<DuplicateGroup> top = o.topDuplicateGroups();
        for (int i = top.size() - 1; i >= 0; i--) {
            DuplicateGroup g = top.get(i);
            XYChart.Data<Number, String> d = new XYChart.Data<>(g.rows(), label(g, i + 1));
            groups.getData().add(d);
        }
        topGroups.getData().setAll(List.of(groups));
        for (int i = 0; i < groups.getData().size(); i++) {
            DuplicateGroup g = top.get(top.size() - 1 - i);
            Node bar = groups.getData().get(i).getNode();
            if (bar != null) {
                Tooltip.install(bar, new Tooltip(String.format("%s shared by %,d rows of %,d users", g.column(), g.rows(),
                        g.distinctUsers())));
                bar.setOnMouseClicked(e -> openGroup.accept(g.column(), g.value()));
            }
        }
    }

    private static String label(DuplicateGroup g, int rank) {
        String what = g.column().equals("masked_ip") ? "IP" : "device";
        return "#" + rank + " " + what + " " + TableBrowser.display(g.value(), true);
    }

    private static XYChart.Series<String, Number> slices(List<Overview.Slice> slices) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        for (Overview.Slice sl : slices) {
            s.getData().add(new XYChart.Data<>(sl.label(), sl.count()));
        }
        return s;
    }

    private static String describe(Filter f) {
        StringBuilder sb = new StringBuilder();
        for (Filter.Condition c : f.conditions()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            Object v = c.value();
            String value = v instanceof java.time.OffsetDateTime t ? DAY.format(t.toInstant())
                    : c.column().startsWith("masked_") ? TableBrowser.display(v, true) : String.valueOf(v);
            sb.append(c.column()).append(switch (c.op()) {
                case GTE -> " ≥ ";
                case LT -> " < ";
                default -> " = ";
            }).append(value);
        }
        return sb.toString();
    }

    private static NumberAxis timeAxis() {
        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
        x.setTickLabelRotation(-30);
        return x;
    }

    private static StringConverter<Number> epochLabels(DateTimeFormatter fmt) {
        return new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return fmt.format(Instant.ofEpochSecond(n.longValue()));
            }

            @Override
            public Number fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static BarChart<String, Number> bars(String id, String title) {
        BarChart<String, Number> c = new BarChart<>(new CategoryAxis(), new NumberAxis());
        c.setId(id);
        c.setTitle(title);
        c.setLegendVisible(false);
        return c;
    }

    private static Label figure(String id) {
        Label l = new Label("–");
        l.setId(id);
        l.getStyleClass().add("figure");
        return l;
    }

    private static Node labelled(String what, Label figure) {
        Label caption = new Label(what);
        caption.getStyleClass().add("hint");
        return new VBox(0, figure, caption);
    }
}
