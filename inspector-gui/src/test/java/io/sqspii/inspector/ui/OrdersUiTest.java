package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The main window on the orders dataset (nested customer flattened to columns, an items jsonb array with a PII
 * leaf), which no inspector code names: picked, filtered, sorted, paged, its duplicates, its export.
 */
class OrdersUiTest {

    static final int ROWS = 25;
    static final int PAGE = 10;

    static TestDb db;
    static String analyst;

    @TempDir
    static Path tmp;

    static File exportFile;

    @RegisterExtension
    final InspectorUi window = InspectorUi.as(db, analyst).pageSize(PAGE).exportTo(exportFile);

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        db.applyDataset(TestDb.shipped("orders"));
        // status cycles placed, paid, shipped; rows 2, 7 and 12 share one email ciphertext
        db.execute("""
                INSERT INTO orders (message_id, order_id, placed_at, status, masked_customer_email, masked_customer_phone,
                  masked_customer_name, masked_customer_shipping_address_street, customer_shipping_address_city,
                  customer_shipping_address_postcode, items, total, gift, delivery_date, create_date)
                SELECT 'o-' || lpad(i::text, 2, '0'), 'order-' || i, timestamptz '2026-11-02 08:00Z' + i * interval '1 minute',
                  (ARRAY['placed', 'paid', 'shipped'])[1 + i % 3],
                  CASE WHEN i IN (2, 7, 12) THEN 'AQshared-email' ELSE 'AQemail-' || i END, NULL, 'AQname-' || i,
                  'AQstreet-' || i, 'Springfield', '62701',
                  jsonb_build_array(jsonb_build_object('sku', 'BK-' || i, 'quantity', 1, 'price', 2.5, 'holder_name', 'AQholder-' || i),
                                    jsonb_build_object('sku', 'PN-' || i, 'quantity', 3, 'price', 1)),
                  i * 1.5, i % 2 = 0, date '2026-11-10', timestamptz '2026-11-02 08:00Z' + i * interval '1 minute'
                FROM generate_series(0, 24) i""");
        // tickets shares key domain email with orders: two tickets hold the shared email's ciphertext
        db.applyDataset(TestDb.testDataset("tickets"));
        db.execute("""
                INSERT INTO tickets (message_id, ticket_no, opened_at, priority, masked_reporter_email, create_date)
                SELECT 't-' || i, i, timestamptz '2026-11-03 08:00Z' + i * interval '1 hour', 'low',
                  CASE WHEN i <= 2 THEN 'AQshared-email' ELSE 'AQother-' || i END, timestamptz '2026-11-03 08:00Z'
                FROM generate_series(1, 4) i""");
        analyst = db.createLogin("analyst", "pw");
        exportFile = tmp.resolve("orders.csv").toFile();
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @SuppressWarnings("unchecked")
    private static TableView<Row> orders(FxRobot robot) {
        return robot.lookup("#orders-table").queryAs(TableView.class);
    }

    private static String text(FxRobot robot, String query) {
        return Fx.call(() -> ((Labeled) robot.lookup(query).query()).getText());
    }

    private boolean idle() {
        return window.main().tasks().runningProperty().get() == 0;
    }

    private static long lines(File f) {
        try {
            return Files.readAllLines(f.toPath(), StandardCharsets.UTF_8).size();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private void pick(String name) {
        Fx.run(() -> {
            Dataset d = window.main().datasetPicker().getItems().stream()
                    .filter(x -> x.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            window.main().datasetPicker().setValue(d);
        });
        Fx.await(name + " shown", () -> window.main().dataset().name().equals(name) && idle());
    }

    @Test
    void pickFilterSortPageDuplicatesAndExport(FxRobot robot) throws Exception {
        pick("user_logins");
        assertThat(robot.lookup("#user_logins-table").tryQuery()).isPresent();
        pick("orders");
        TableView<Row> t = orders(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE && idle());
        assertThat(text(robot, "#orders-count")).isEqualTo("25 rows");
        // newest first by the table's time column; the items array as compact JSON with its PII leaf as stored
        Row first = Fx.call(() -> t.getItems().get(0));
        assertThat(first.text("message_id")).isEqualTo("o-24");
        assertThat(first.text("items"))
                .startsWith("[{")
                .contains("\"holder_name\":\"AQholder-24\"")
                .doesNotContain(", ");
        assertThat((BigDecimal) first.get("total")).isEqualByComparingTo("36");
        // the items cell is cut at its column's width: its tooltip holds it whole
        assertThat(Fx.call(() -> t.lookupAll(".table-cell").stream()
                        .filter(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                                && c.getTableColumn() == Fx.column(t, "items")
                                && c.getIndex() == 0)
                        .map(n -> ((javafx.scene.control.TableCell<?, ?>) n)
                                .getTooltip()
                                .getText())
                        .findFirst()
                        .orElseThrow()))
                .isEqualTo(first.text("items"));
        Fx.await("page count", () -> text(robot, "#orders-page").startsWith("Page 1 of 3"));

        // page on
        robot.clickOn("#orders-next");
        Fx.await("page 2", () -> "o-14".equals(Fx.call(() -> t.getItems().get(0).text("message_id"))) && idle());

        // filter: status equals, a number range
        Fx.run(() -> window.main().rowsFilter().textMatch.setValue(FilterPane.EQUALS));
        robot.clickOn("#orders-filter-status-text").write("paid");
        robot.clickOn("#orders-filter-total-min").write("10").type(KeyCode.ENTER);
        // paid: i % 3 == 1; total = 1.5 i >= 10: i in 7, 10, 13, 16, 19, 22
        Fx.await("filtered", () -> "6 rows".equals(text(robot, "#orders-count")) && idle());
        robot.clickOn("#orders-filter-total-max").write("x").type(KeyCode.ENTER);
        Fx.await("bad number told", () -> text(robot, "#orders-filterError").contains("not a number"));
        Fx.run(() -> window.main().rowsFilter().clear.fire());
        Fx.await("cleared", () -> "25 rows".equals(text(robot, "#orders-count")) && idle());

        // sort on the server by total, ascending
        Fx.run(() -> {
            TableColumn<Row, ?> total = Fx.column(t, "total");
            total.setSortType(TableColumn.SortType.ASCENDING);
            t.getSortOrder().setAll(List.of(total));
        });
        Fx.await(
                "sorted by total",
                () -> idle()
                        && !t.getItems().isEmpty()
                        && "o-00".equals(t.getItems().get(0).text("message_id")));
        assertThat(Fx.call(() -> t.getItems().stream()
                        .map(r -> (BigDecimal) r.get("total"))
                        .toList()))
                .isSortedAccordingTo(BigDecimal::compareTo);
        // a JSON column is not sortable
        assertThat(Fx.call(() -> Fx.column(t, "items").isSortable())).isFalse();

        // duplicates: every deterministic column of orders
        robot.clickOn("Duplicates");
        @SuppressWarnings("unchecked")
        TableView<DuplicateGroup> groups = robot.lookup("#duplicates-table").queryAs(TableView.class);
        Fx.await("groups", () -> groups.getItems().size() == 1 && idle());
        DuplicateGroup g = Fx.call(() -> groups.getItems().get(0));
        assertThat(g.column()).isEqualTo("masked_customer_email");
        assertThat(g.rows()).isEqualTo(3);
        Fx.run(() -> {
            groups.getSelectionModel().select(0);
            groups.requestFocus();
        });
        robot.type(KeyCode.ENTER);
        Fx.await("group rows", () -> t.getItems().size() == 3 && idle());
        assertThat(text(robot, "#orders-groupFilter")).startsWith("Duplicate group: masked_customer_email");

        // export the group's rows: ciphertext and JSON as stored
        robot.clickOn("#orders-export");
        Fx.await("exported", () -> exportFile.exists() && idle() && lines(exportFile) == 4);
        List<String> lines = Files.readAllLines(exportFile.toPath(), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("message_id,order_id,placed_at,status,masked_customer_email");
        assertThat(lines.subList(1, 4)).allMatch(l -> l.contains("AQshared-email") && l.contains("holder_name"));
    }

    @Test
    void aGroupOfASharedKeyDomainSaysInHowManyRowsOfEachDatasetItsValueAppears(FxRobot robot) {
        pick("orders");
        robot.clickOn("Duplicates");
        @SuppressWarnings("unchecked")
        TableView<DuplicateGroup> groups = robot.lookup("#duplicates-table").queryAs(TableView.class);
        Fx.await("groups", () -> groups.getItems().size() == 1 && idle());
        robot.clickOn(Fx.call(() -> groups.lookup(".table-row-cell")));
        Fx.await(
                "counted across datasets",
                () -> idle()
                        && text(robot, "#duplicatesAcross")
                                .equals(
                                        "This value appears in 3 orders and 2 tickets (key domain email: equal ciphertext, nothing decrypted)."));
        assertThat(DuplicatesView.describe(java.util.Map.of("orders", 1_200L))).isEqualTo("1,200 orders");

        // the same value seen from the other dataset of the domain
        pick("tickets");
        robot.clickOn("Duplicates");
        Fx.await("tickets groups", () -> groups.getItems().size() == 1 && idle());
        Fx.run(() -> groups.getSelectionModel().select(0));
        Fx.await(
                "counted",
                () -> idle()
                        && text(robot, "#duplicatesAcross").startsWith("This value appears in 3 orders and 2 tickets"));
    }

    @Test
    void theOverviewChartsEachColumnAsItsTypeAndNumberOfValuesSay(FxRobot robot) {
        pick("orders");
        Fx.run(() ->
                window.main().tabs().getSelectionModel().select(window.main().overviewTab()));
        Fx.await("overview", () -> idle() && window.main().overview().shown() != null);
        Overview o = Fx.call(() -> window.main().overview().shown());
        assertThat(o.rows()).isEqualTo(ROWS);
        // bars: text and yes/no columns whose few values repeat; order_id (a value per row) and PII columns are not
        // drawn
        assertThat(o.breakdowns().keySet())
                .containsExactly(
                        "status", "customer_shipping_address_city", "customer_shipping_address_postcode", "gift");
        // status = placed, paid, shipped for i % 3 = 0, 1, 2: most first
        assertThat(o.breakdowns().get("status"))
                .containsExactly(
                        new Overview.Slice("placed", 9),
                        new Overview.Slice("paid", 8),
                        new Overview.Slice("shipped", 8));
        // a histogram of total = 1.5 i, i = 0..24 (0 to 36): ranges of a round width (36 / 10 rounds up to 5) from 0,
        // bucketed in SQL
        List<Overview.Bin> bins = o.histograms().get("total");
        assertThat(bins).hasSize(8);
        long[] expected = new long[8];
        for (int i = 0; i < ROWS; i++) {
            expected[(int) (i * 1.5 / 5)]++;
        }
        assertThat(bins)
                .extracting(Overview.Bin::count)
                .containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Long[]::new));
        assertThat(bins.get(0).from()).isEqualByComparingTo("0");
        assertThat(bins.get(7).to()).isEqualByComparingTo("40");
        assertThat(OverviewView.binLabel(bins.get(1))).isEqualTo("5–10");
        assertThat(Fx.call(
                        () -> List.copyOf(window.main().overview().columnCharts.keySet())))
                .containsExactly(
                        "status",
                        "customer_shipping_address_city",
                        "customer_shipping_address_postcode",
                        "total",
                        "gift");
        assertThat(robot.lookup("#overview-histogram-total").tryQuery()).isPresent();

        // the time series on the event's own time instead of the arrival time: one order a minute
        assertThat(o.timeColumn()).isEqualTo("create_date");
        Fx.run(() -> window.main().overview().timeColumn.setValue("placed_at"));
        Fx.await(
                "over placed_at",
                () -> idle()
                        && "placed_at".equals(window.main().overview().shown().timeColumn()));
        Overview placed = Fx.call(() -> window.main().overview().shown());
        assertThat(placed.bucket()).isEqualTo("minute");
        assertThat(placed.rowsOverTime()).hasSize(ROWS).allMatch(p -> p.count() == 1);
        assertThat(placed.rowsOverTime().get(0).start()).isEqualTo(java.time.Instant.parse("2026-11-02T08:00:00Z"));

        // an integer column of a narrow range: one bar per whole number
        pick("tickets");
        Fx.await(
                "tickets overview",
                () -> idle() && window.main().overview().shown().rows() == 4);
        List<Overview.Bin> tickets =
                Fx.call(() -> window.main().overview().shown().histograms().get("ticket_no"));
        assertThat(tickets).extracting(OverviewView::binLabel).containsExactly("1", "2", "3", "4");
        assertThat(tickets).extracting(Overview.Bin::count).containsOnly(1L);
    }

    @Test
    void theChoiceIsRememberedAndARefreshFindsADatasetAppliedMeanwhile(FxRobot robot) throws Exception {
        pick("orders");
        assertThat(window.main().datasetPickerChoice()).isEqualTo("orders");
        Path folder = tmp.resolve("refunds");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("dataset.json"), """
                {"name": "refunds", "queue": "refunds-queue", "topic": "refunds", "dead_letter_topic": "refunds.dlq",
                 "table": "refunds", "rejected_table": "refunds_rejected", "row_key": "sqs.message_id"}
                """);
        Files.writeString(folder.resolve("event.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "io.sqspii.Refund", "type": "object",
                 "additionalProperties": false,
                 "properties": {"email": {"type": "string", "maxLength": 320,
                                          "x-pii": {"mode": "deterministic", "canonical": "email", "domain": "email"}},
                                "amount": {"type": "number"}},
                 "required": ["email", "amount"]}
                """);
        db.applyDataset(folder);
        robot.clickOn("#datasetRefresh");
        Fx.await(
                "refunds offered",
                () -> idle()
                        && window.main().datasetPicker().getItems().stream()
                                .anyMatch(d -> d.name().equals("refunds")));
        // the chosen dataset stays
        assertThat(window.main().dataset().name()).isEqualTo("orders");
        pick("refunds");
        assertThat(robot.lookup("#refunds-table").tryQuery()).isPresent();
        assertThat(robot.lookup("#refunds-filter-amount-min").tryQuery()).isPresent();
        assertThat(window.main().datasetPickerChoice()).isEqualTo("refunds");
    }
}
