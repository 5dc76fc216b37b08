package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.OverviewRepository;
import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.model.TableSpec;
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
 * Charts over SQL aggregates of the chosen dataset's stored rows, with the Rows tab's filters: rows over a time
 * column, rejected messages by kind over time, the biggest duplicate groups (click a bar to open the group's
 * rows), and a chart per plain column chosen from its type and number of values: bars for text or yes/no of few
 * values, a histogram for numbers. Nothing is decrypted.
 */
final class OverviewView {

    static final String AUTO = "auto";
    /** Kinds of error drawn one by one; the rest are summed as "other". */
    static final int KINDS = 5;

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final OverviewRepository repo;
    private final DbTasks tasks;
    private final Supplier<Dataset> dataset;
    private final Supplier<Filter> filter;
    private final BiConsumer<String, String> openGroup;

    final Label rows = figure("overviewRows");
    final Label rejected = figure("overviewRejected");
    final Label filterText = new Label();
    final ChoiceBox<String> bucket = new ChoiceBox<>();
    final AreaChart<Number, Number> rowsOverTime;
    /** The time column rows are counted over. */
    final ChoiceBox<String> timeColumn = new ChoiceBox<>();
    /** The table whose time columns the choice lists. */
    private TableSpec choicesFor;
    /** The charts of the columns, by column name, in column order (bars or histogram). */
    final Map<String, BarChart<String, Number>> columnCharts = new java.util.LinkedHashMap<>();

    private final GridPane grid = new GridPane();
    final LineChart<Number, Number> rejectedOverTime;
    final BarChart<Number, String> topGroups;
    private final VBox root;
    private Overview shown;

    OverviewView(
            OverviewRepository repo,
            DbTasks tasks,
            Supplier<Dataset> dataset,
            Supplier<Filter> filter,
            BiConsumer<String, String> openGroup) {
        this.repo = repo;
        this.tasks = tasks;
        this.dataset = dataset;
        this.filter = filter;
        this.openGroup = openGroup;

        rowsOverTime = new AreaChart<>(timeAxis(), new NumberAxis());
        rowsOverTime.setId("overviewRowsOverTime");
        rowsOverTime.setTitle("Rows over time (UTC)");
        rowsOverTime.setLegendVisible(false);
        rowsOverTime.setCreateSymbols(false);
        timeColumn.setId("overviewTimeColumn");
        timeColumn.setTooltip(new Tooltip("The time column rows are counted over (the first: the time a row arrived)"));
        timeColumn.setOnAction(e -> {
            if (choicesFor != null) {
                refresh();
            }
        });
        rejectedOverTime = new LineChart<>(timeAxis(), new NumberAxis());
        rejectedOverTime.setId("overviewRejectedOverTime");
        rejectedOverTime.setTitle("Rejected messages by kind of error (UTC)");
        rejectedOverTime.setCreateSymbols(true);
        rejectedOverTime.setLegendSide(javafx.geometry.Side.RIGHT);
        topGroups = new BarChart<>(new NumberAxis(), new CategoryAxis());
        topGroups.setId("overviewTopGroups");
        topGroups.setTitle("Biggest duplicate groups (rows) — click a bar to open it");
        topGroups.setLegendVisible(false);
        topGroups.setAnimated(false);
        for (XYChart<?, ?> c : List.of(rowsOverTime, rejectedOverTime, topGroups)) {
            c.setAnimated(false);
            c.setPrefHeight(180);
            c.setMinHeight(170);
        }
        // ten labelled bars and a legend need the room
        for (XYChart<?, ?> c : List.of(rejectedOverTime, topGroups)) {
            c.setPrefHeight(240);
            c.setMinHeight(230);
        }

        bucket.setId("overviewBucket");
        bucket.getItems().add(AUTO);
        bucket.getItems().addAll(OverviewRepository.BUCKETS);
        bucket.setValue(AUTO);
        bucket.setTooltip(new Tooltip("Width of a time bucket: auto = the widest that gives at least "
                + OverviewRepository.MIN_BUCKETS + " buckets (days for weeks of data, seconds for a burst)"));
        bucket.setOnAction(e -> refresh());
        Button refresh = new Button("Refresh");
        refresh.setId("overviewRefresh");
        refresh.setTooltip(new Tooltip("Recompute the figures (F5)"));
        refresh.setOnAction(e -> refresh());
        filterText.setId("overviewFilter");
        filterText.getStyleClass().add("hint");
        HBox figures = new HBox(24, labelled("rows", rows), labelled("rejected", rejected));
        figures.setAlignment(Pos.CENTER_LEFT);
        HBox bar = new HBox(8, figures, new Label("per"), bucket, new Label("of"), timeColumn, refresh, filterText);
        bar.setAlignment(Pos.CENTER_LEFT);

        grid.setHgap(8);
        grid.setVgap(8);
        grid.add(rowsOverTime, 0, 0, 2, 1);
        grid.add(rejectedOverTime, 0, 1);
        grid.add(topGroups, 1, 1);
        javafx.scene.layout.ColumnConstraints half = new javafx.scene.layout.ColumnConstraints();
        half.setPercentWidth(50);
        grid.getColumnConstraints().addAll(half, half);
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

    /** Recomputes every figure for the chosen dataset and the Rows tab's current filter. */
    void refresh() {
        Dataset d = dataset.get();
        if (d == null || d.table() == null || !d.readable()) {
            filterText.setText(d == null ? "no dataset" : "this login may not read " + d.name());
            return;
        }
        if (!d.table().equals(choicesFor)) {
            offerTimeColumns(d.table());
        }
        Filter f = filter.get();
        String unit = AUTO.equals(bucket.getValue()) ? null : bucket.getValue();
        String time = timeColumn.getValue();
        filterText.setText(
                f.isEmpty()
                        ? "all rows of " + d.name() + " (filters: Rows tab, " + MainView.FILTER_KEY.getDisplayText()
                                + ")"
                        : "filtered as the Rows tab: " + describe(d.table(), f));
        tasks.run("Computing the overview", () -> repo.load(d, f, unit, time), this::show);
    }

    /** The table's time columns to count rows over; its own time first and chosen. */
    private void offerTimeColumns(TableSpec table) {
        choicesFor = null;
        List<String> names =
                OverviewRepository.timeColumns(table).stream().map(Column::name).toList();
        timeColumn.getItems().setAll(names);
        timeColumn.setValue(names.isEmpty() ? null : names.get(0));
        timeColumn.setDisable(names.size() < 2);
        choicesFor = table;
    }

    private void show(Overview o) {
        shown = o;
        rows.setText(String.format("%,d", o.rows()));
        rejected.setText(String.format("%,d", o.rejected()));
        DateTimeFormatter fmt = switch (o.bucket()) {
            case "day" -> DAY;
            case "second" -> SECOND;
            default -> MINUTE;
        };
        long width = switch (o.bucket()) {
            case "second" -> 1;
            case "minute" -> 60;
            case "hour" -> 3600;
            default -> 86_400;
        };
        List<Instant> times = new java.util.ArrayList<>();
        o.rowsOverTime().forEach(p -> times.add(p.start()));
        o.rejectedOverTime().values().forEach(l -> l.forEach(p -> times.add(p.start())));
        fitTimeAxis((NumberAxis) rowsOverTime.getXAxis(), times, width, fmt);
        fitTimeAxis((NumberAxis) rejectedOverTime.getXAxis(), times, width, fmt);
        rowsOverTime.setCreateSymbols(o.rowsOverTime().size() <= 60);
        rowsOverTime.setTitle(
                o.timeColumn() == null
                        ? "No time column"
                        : "Rows per " + o.bucket() + " of " + o.timeColumn() + " (UTC)");
        rejectedOverTime.setTitle("Rejected messages per " + o.bucket() + ", by kind of error (UTC)");

        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName("rows");
        for (Overview.Point p : o.rowsOverTime()) {
            series.getData().add(new XYChart.Data<>(p.start().getEpochSecond(), p.count()));
        }
        rowsOverTime.getData().setAll(List.of(series));
        showColumnCharts(o);
        rejectedOverTime.getData().clear();
        for (Map.Entry<String, List<Overview.Point>> e :
                topKinds(o.rejectedOverTime()).entrySet()) {
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
                Tooltip.install(bar, new Tooltip(String.format("%s shared by %,d rows", g.column(), g.rows())));
                bar.setOnMouseClicked(e -> openGroup.accept(g.column(), g.value()));
            }
        }
    }

    /**
     * A chart per charted column, two a row below the fixed charts, in the table's column order: bars of its
     * values, or its histogram (adjacent bars, ranges as labels).
     */
    private void showColumnCharts(Overview o) {
        grid.getChildren().removeAll(columnCharts.values());
        columnCharts.clear();
        Map<String, XYChart.Series<String, Number>> series = new java.util.HashMap<>();
        o.breakdowns().forEach((column, values) -> series.put(column, slices(values)));
        o.histograms().forEach((column, bins) -> series.put(column, bins(bins)));
        TableSpec table = dataset.get() == null ? null : dataset.get().table();
        List<String> order = table == null
                ? List.copyOf(series.keySet())
                : table.columns().stream()
                        .map(Column::name)
                        .filter(series::containsKey)
                        .toList();
        for (String column : order) {
            boolean histogram = o.histograms().containsKey(column);
            BarChart<String, Number> c = bars(
                    "overview-" + (histogram ? "histogram-" : "bars-") + column,
                    histogram ? "Rows by " + column + " (ranges)" : "Rows by " + column);
            c.setAnimated(false);
            c.setPrefHeight(200);
            c.setMinHeight(180);
            if (histogram) {
                c.setCategoryGap(0);
                c.setBarGap(0);
            }
            c.getData().setAll(List.of(series.get(column)));
            int i = columnCharts.size();
            grid.add(c, i % 2, 2 + i / 2);
            GridPane.setHgrow(c, Priority.ALWAYS);
            columnCharts.put(column, c);
        }
    }

    /** The bins of a histogram as bars labelled with their ranges ("0–3.6"; one whole number alone: "5"). */
    private static XYChart.Series<String, Number> bins(List<Overview.Bin> bins) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        for (Overview.Bin b : bins) {
            s.getData().add(new XYChart.Data<>(binLabel(b), b.count()));
        }
        return s;
    }

    static String binLabel(Overview.Bin b) {
        boolean oneWhole = b.from().scale() <= 0 && b.to().subtract(b.from()).compareTo(java.math.BigDecimal.ONE) == 0;
        return oneWhole || b.from().compareTo(b.to()) == 0
                ? b.from().toPlainString()
                : b.from().toPlainString() + "–" + b.to().toPlainString();
    }

    /** The {@link #KINDS} most frequent kinds of error as they are, the rest summed per bucket as "other". */
    static Map<String, List<Overview.Point>> topKinds(Map<String, List<Overview.Point>> byKind) {
        List<String> kinds = new java.util.ArrayList<>(byKind.keySet());
        kinds.sort(java.util.Comparator.comparingLong((String k) ->
                        -byKind.get(k).stream().mapToLong(Overview.Point::count).sum())
                .thenComparing(k -> k));
        Map<String, List<Overview.Point>> out = new java.util.LinkedHashMap<>();
        java.util.TreeMap<Instant, Long> other = new java.util.TreeMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (i < KINDS || kinds.size() == KINDS + 1) {
                out.put(kinds.get(i), byKind.get(kinds.get(i)));
            } else {
                byKind.get(kinds.get(i)).forEach(p -> other.merge(p.start(), p.count(), Long::sum));
            }
        }
        if (!other.isEmpty()) {
            out.put(
                    "other",
                    other.entrySet().stream()
                            .map(e -> new Overview.Point(e.getKey(), e.getValue()))
                            .toList());
        }
        return out;
    }

    private static String label(DuplicateGroup g, int rank) {
        return "#" + rank + " " + g.column() + " " + TableColumns.display(g.value(), true);
    }

    private static XYChart.Series<String, Number> slices(List<Overview.Slice> slices) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        for (Overview.Slice sl : slices) {
            s.getData().add(new XYChart.Data<>(sl.label(), sl.count()));
        }
        return s;
    }

    private static String describe(TableSpec table, Filter f) {
        StringBuilder sb = new StringBuilder();
        for (Filter.Condition c : f.conditions()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            Object v = c.value();
            String value = v instanceof java.time.OffsetDateTime t
                    ? DAY.format(t.toInstant())
                    : table.column(c.column()).filter(Column::isPii).isPresent()
                            ? TableColumns.display(v, true)
                            : String.valueOf(v);
            sb.append(c.column())
                    .append(
                            switch (c.op()) {
                                case GTE -> " ≥ ";
                                case LT -> " < ";
                                case LTE -> " ≤ ";
                                case CONTAINS -> " contains ";
                                default -> " = ";
                            })
                    .append(value);
        }
        return sb.toString();
    }

    /**
     * Both time charts share one range, from the first bucket to the end of the last, with ticks on
     * whole buckets (an auto-ranged axis pads one bucket out to months).
     */
    private static void fitTimeAxis(NumberAxis axis, List<Instant> times, long width, DateTimeFormatter fmt) {
        axis.setTickLabelFormatter(epochLabels(fmt));
        if (times.isEmpty()) {
            axis.setAutoRanging(true);
            return;
        }
        long lo = times.stream().mapToLong(Instant::getEpochSecond).min().orElseThrow();
        long hi = times.stream().mapToLong(Instant::getEpochSecond).max().orElseThrow() + width;
        long buckets = Math.max(1, (hi - lo) / width);
        axis.setAutoRanging(false);
        axis.setLowerBound(lo);
        axis.setUpperBound(hi);
        axis.setTickUnit(width * Math.max(1, (long) Math.ceil(buckets / 12.0)));
        axis.setMinorTickVisible(false);
    }

    private static NumberAxis timeAxis() {
        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
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
