package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javafx.scene.chart.XYChart;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * The Overview's figures on a generated data set, checked against the same figures computed in Java
 * from the generated rows: totals, logins per day, by device type and app version, rejected by kind
 * per day, biggest duplicate groups; then again under a Logins filter.
 */
class OverviewUiTest {

    record Gen(String id, String user, String device, String ip, String dev, String version, OffsetDateTime at) {}

    record Rej(String id, String error, OffsetDateTime at) {}

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    static TestDb db;
    static String analyst;
    static final List<Gen> logins = new ArrayList<>();
    static final List<Rej> rejected = new ArrayList<>();

    @RegisterExtension
    final InspectorUi window = InspectorUi.as(db, analyst).pageSize(50);

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        Random r = new Random(7);
        String[] devices = {"android", "ios", "web", null};
        String[] versions = {"2.3.0", "2.4.1", "2.10.0", "1.9.9"};
        for (int i = 0; i < 400; i++) {
            Gen g = new Gen(
                    String.format("m-%04d", i),
                    "user-" + r.nextInt(25),
                    devices[r.nextInt(4)],
                    "AQip" + r.nextInt(30),
                    "AQdev" + r.nextInt(50),
                    versions[r.nextInt(4)],
                    T0.plusMinutes(r.nextInt(5 * 24 * 60)));
            logins.add(g);
            db.insertLogin(g.id(), g.user(), g.device(), g.ip(), g.dev(), "RU", g.version(), g.at());
        }
        String[] errors = {
            "invalid JSON: unexpected end",
            "missing required field: ip",
            "missing required field: user_id",
            "wrong type: app_version"
        };
        for (int i = 0; i < 30; i++) {
            Rej j = new Rej("r-" + i, errors[r.nextInt(4)], T0.plusMinutes(r.nextInt(5 * 24 * 60)));
            rejected.add(j);
            db.insertRejected(j.id(), j.error(), "AQbody" + i, j.at());
        }
        analyst = db.createLogin("analyst", "pw");
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Test
    void figuresMatchTheGeneratedRows(FxRobot robot) {
        Overview o = open(robot, null);
        check(o, g -> true, j -> true);
        assertThat(text(robot, "#overviewRows")).isEqualTo("400");
        assertThat(text(robot, "#overviewRejected")).isEqualTo("30");
        // the charts show what was computed
        XYChart.Series<Number, Number> perDay =
                Fx.call(() -> window.main().overview().rowsOverTime.getData().get(0));
        assertThat(Fx.call(() -> perDay.getData().stream()
                        .mapToLong(d -> d.getYValue().longValue())
                        .sum()))
                .isEqualTo(400);
        // bars for the text columns of few values; user_id (25 values over 400 rows) has too many to draw
        assertThat(Fx.call(
                        () -> List.copyOf(window.main().overview().columnCharts.keySet())))
                .containsExactly("device_type", "locale", "app_version");
        assertThat(Fx.call(() -> window.main()
                        .overview()
                        .columnCharts
                        .get("device_type")
                        .getData()
                        .get(0)
                        .getData()
                        .size()))
                .isEqualTo(4);
        assertThat(robot.lookup("#overview-bars-app_version").tryQuery()).isPresent();
        assertThat(Fx.call(() ->
                        window.main().overview().rejectedOverTime.getData().size()))
                .isEqualTo(3);
        assertThat(Fx.call(() -> window.main()
                        .overview()
                        .topGroups
                        .getData()
                        .get(0)
                        .getData()
                        .size()))
                .isEqualTo(o.topDuplicateGroups().size());
    }

    @Test
    void theRowsFiltersApply(FxRobot robot) {
        robot.clickOn("#user_logins-filter-device_type-text").write("ios");
        Fx.run(() -> window.main().rowsFilter().to("create_date").getEditor().setText("2026-11-03"));
        robot.clickOn("#user_logins-filter-device_type-text").type(KeyCode.ENTER);
        OffsetDateTime until = OffsetDateTime.of(2026, 11, 4, 0, 0, 0, 0, ZoneOffset.UTC);
        Overview o = open(robot, null);
        // rejected messages: only the date range applies
        check(o, g -> "ios".equals(g.device()) && g.at().isBefore(until), j -> j.at().isBefore(until));
        assertThat(text(robot, "#overviewFilter")).contains("device_type contains ios");
    }

    @Test
    void dailyBucketsOnRequest(FxRobot robot) {
        Overview o = open(robot, "day");
        assertThat(o.bucket()).isEqualTo("day");
        Map<Instant, Long> perDay = logins.stream()
                .collect(Collectors.groupingBy(
                        g -> g.at().toInstant().truncatedTo(ChronoUnit.DAYS), TreeMap::new, Collectors.counting()));
        assertThat(points(o.rowsOverTime())).isEqualTo(perDay);
        assertThat(perDay).hasSize(5);
    }

    @Test
    void theRejectedChartDrawsFiveKindsAndSumsTheRest() {
        Instant t0 = T0.toInstant();
        Instant t1 = t0.plusSeconds(60);
        Map<String, List<Overview.Point>> byKind = new LinkedHashMap<>();
        for (int k = 1; k <= 7; k++) {
            // kind-k has k rows in the first bucket and one in the second
            byKind.put("kind-" + k, List.of(new Overview.Point(t0, k), new Overview.Point(t1, 1)));
        }
        Map<String, List<Overview.Point>> drawn = OverviewView.topKinds(byKind);
        assertThat(drawn.keySet()).containsExactly("kind-7", "kind-6", "kind-5", "kind-4", "kind-3", "other");
        assertThat(drawn.get("other")).containsExactly(new Overview.Point(t0, 3), new Overview.Point(t1, 2));
        assertThat(drawn.get("kind-7")).isEqualTo(byKind.get("kind-7"));
    }

    private Overview open(FxRobot robot, String bucket) {
        if (bucket != null) {
            Fx.run(() -> window.main().overview().bucket.setValue(bucket));
        }
        Fx.run(() ->
                window.main().tabs().getSelectionModel().select(window.main().overviewTab()));
        Fx.await(
                "overview computed",
                () -> window.main().tasks().runningProperty().get() == 0
                        && window.main().overview().shown() != null
                        && (bucket == null
                                || bucket.equals(
                                        window.main().overview().shown().bucket())));
        return Fx.call(() -> window.main().overview().shown());
    }

    private static void check(Overview o, Predicate<Gen> filter, Predicate<Rej> rejectedFilter) {
        List<Gen> rows = logins.stream().filter(filter).toList();
        assertThat(o.rows()).isEqualTo(rows.size());
        // the widest bucket that cuts the range into 12 or more
        java.time.Duration span = java.time.Duration.between(
                rows.stream().map(Gen::at).min(Comparator.naturalOrder()).orElseThrow(),
                rows.stream().map(Gen::at).max(Comparator.naturalOrder()).orElseThrow());
        assertThat(o.bucket())
                .isEqualTo(
                        span.toDays() >= 12
                                ? "day"
                                : span.toHours() >= 12 ? "hour" : span.toMinutes() >= 12 ? "minute" : "second");
        ChronoUnit unit = switch (o.bucket()) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        assertThat(points(o.rowsOverTime()))
                .isEqualTo(rows.stream()
                        .collect(Collectors.groupingBy(
                                g -> g.at().toInstant().truncatedTo(unit), TreeMap::new, Collectors.counting())));
        assertThat(slices(o.breakdowns().get("device_type")))
                .isEqualTo(rows.stream()
                        .collect(Collectors.groupingBy(
                                g -> Objects.requireNonNullElse(g.device(), "(none)"), Collectors.counting())));
        assertThat(slices(o.breakdowns().get("app_version")))
                .isEqualTo(rows.stream().collect(Collectors.groupingBy(Gen::version, Collectors.counting())));
        assertThat(o.breakdowns().get("device_type"))
                .extracting(Overview.Slice::count)
                .isSortedAccordingTo(Comparator.reverseOrder());

        List<Rej> rejectedRows = rejected.stream().filter(rejectedFilter).toList();
        assertThat(o.rejected()).isEqualTo(rejectedRows.size());
        Map<String, Map<Instant, Long>> expectedRejected = new TreeMap<>();
        for (Rej j : rejectedRows) {
            expectedRejected
                    .computeIfAbsent(j.error().substring(0, j.error().indexOf(':')), k -> new TreeMap<>())
                    .merge(j.at().toInstant().truncatedTo(unit), 1L, Long::sum);
        }
        Map<String, Map<Instant, Long>> actualRejected = new TreeMap<>();
        o.rejectedOverTime().forEach((k, v) -> actualRejected.put(k, points(v)));
        assertThat(actualRejected).isEqualTo(expectedRejected);

        // biggest groups: equal ciphertext across 2+ rows, per column
        List<DuplicateGroup> expectedGroups = new ArrayList<>();
        for (String col : List.of("masked_device_id", "masked_ip")) {
            Map<String, List<Gen>> byValue = rows.stream()
                    .collect(Collectors.groupingBy(
                            g -> col.equals("masked_ip") ? g.ip() : g.dev(), LinkedHashMap::new, Collectors.toList()));
            byValue.forEach((value, group) -> {
                if (group.size() >= 2) {
                    expectedGroups.add(new DuplicateGroup(
                            "user_logins",
                            col,
                            value,
                            group.size(),
                            group.stream()
                                    .map(Gen::at)
                                    .min(Comparator.naturalOrder())
                                    .orElseThrow(),
                            group.stream()
                                    .map(Gen::at)
                                    .max(Comparator.naturalOrder())
                                    .orElseThrow()));
                }
            });
        }
        expectedGroups.sort(Comparator.comparingLong(DuplicateGroup::rows)
                .reversed()
                .thenComparing(DuplicateGroup::column)
                .thenComparing(DuplicateGroup::value));
        assertThat(o.topDuplicateGroups())
                .extracting(DuplicateGroup::column, DuplicateGroup::value, DuplicateGroup::rows)
                .containsExactlyElementsOf(expectedGroups.subList(0, Math.min(10, expectedGroups.size())).stream()
                        .map(g -> org.assertj.core.groups.Tuple.tuple(g.column(), g.value(), g.rows()))
                        .toList());
    }

    private static Map<Instant, Long> points(List<Overview.Point> points) {
        Map<Instant, Long> m = new TreeMap<>();
        points.forEach(p -> m.put(p.start(), p.count()));
        return m;
    }

    private static Map<String, Long> slices(List<Overview.Slice> slices) {
        Map<String, Long> m = new LinkedHashMap<>();
        slices.forEach(s -> m.put(s.label(), s.count()));
        return m;
    }

    private static String text(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id).queryLabeled().getText());
    }
}
