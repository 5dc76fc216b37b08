package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.reveal.RevealServer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;
import javafx.scene.Node;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Not a check: the documentation screenshots of the orders dataset (docs/orders-*.png), on 600 generated orders
 * encrypted with the dev keysets as the pipeline stores them, revealed through the running reveal service: the
 * rows with a nested items cell, the overview, a reveal of a customer email and the holder names inside an items
 * array. Run under Xvfb with the real glass platform, see the README.
 */
@EnabledIfSystemProperty(named = "inspector.screenshot.dir", matches = ".+")
class OrdersScreenshotIT {

    static final String[] FIRST = {
        "ada", "grace", "alan", "edsger", "barbara", "donald", "margaret", "ken", "frances", "john", "radia", "leslie"
    };
    static final String[] CITIES = {"Springfield", "Arlington", "Madison", "Georgetown", "Fairview", "Salem"};
    static final String[] STATUS = {"placed", "paid", "paid", "shipped", "shipped", "shipped", "cancelled"};
    static final String[] SKUS = {"BK-001", "BK-002", "PN-204", "MG-310", "TS-118"};
    static final double[] PRICES = {19.9, 15, 2.5, 8.75, 24};
    static final String[] ERRORS = {
        "invalid JSON: unexpected end of input",
        "missing required field: customer",
        "wrong type: total",
        "schema violation: status not one of the enum"
    };

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @Test
    void ordersRowsOverviewAndAReveal(FxRobot robot) throws Exception {
        Path dir = Path.of(System.getProperty("inspector.screenshot.dir"));
        try (TestDb db = TestDb.createCheckingPasswords()) {
            db.applyDataset(TestDb.shipped("orders"));
            fill(db);
            String reader = db.createLogin("pii_reader", "pw");
            try (RevealServer service = DevRevealService.start(db)) {
                Session session = Session.open(db.settings(reader, "pw"));
                MainView main = new MainView(
                        session,
                        db.url,
                        new RevealClient(service.uri().toString(), reader, "pw".toCharArray()),
                        new UiSettings(
                                100,
                                Duration.seconds(120),
                                (w, name) -> null,
                                UiSettings.Remembered.inMemory("orders")),
                        () -> {});
                ui.show(main, 1400, 860);
                @SuppressWarnings("unchecked")
                TableView<Row> t = robot.lookup("#orders-table").queryAs(TableView.class);
                Fx.await(
                        "rows",
                        () -> t.getItems().size() == 100
                                && main.tasks().runningProperty().get() == 0
                                && robot.lookup("#orders-count")
                                        .queryLabeled()
                                        .getText()
                                        .endsWith("rows"));
                // the first row with a holder name in its items: the nested part of a row in view, its items whole in
                // the
                // tooltip (a window of its own: the screen is captured, not the scene)
                int row = Fx.call(() -> {
                    for (int i = 0; i < t.getItems().size(); i++) {
                        if (t.getItems().get(i).text("items").contains("holder_name")) {
                            return i;
                        }
                    }
                    throw new AssertionError("no holder name on the first page");
                });
                Fx.run(() -> {
                    t.getSelectionModel().select(row, Fx.column(t, "items"));
                    t.requestFocus();
                });
                Thread.sleep(500);
                // scrolled right: the flattened customer columns, the items array, the order's own columns
                Fx.run(() -> t.lookupAll(".scroll-bar").stream()
                        .map(n -> (javafx.scene.control.ScrollBar) n)
                        .filter(b -> b.getOrientation() == javafx.geometry.Orientation.HORIZONTAL)
                        .forEach(b -> b.setValue(b.getMax())));
                Thread.sleep(500);
                Node cell = Fx.call(() -> t.lookupAll(".table-cell").stream()
                        .filter(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                                && c.getTableColumn() == Fx.column(t, "items")
                                && c.getIndex() == row)
                        .findFirst()
                        .orElseThrow());
                // near the cell's left edge: the tooltip opens there and fits the window
                robot.moveTo(
                        cell,
                        javafx.geometry.Pos.CENTER_LEFT,
                        new javafx.geometry.Point2D(12, 0),
                        org.testfx.robot.Motion.DIRECT);
                Thread.sleep(2500);
                screen(dir.resolve("orders-rows.png"));
                robot.moveTo((Node) robot.lookup("#orders-count").query());

                Fx.run(() -> {
                    t.getSelectionModel().clearSelection();
                    t.getSelectionModel().select(row, Fx.column(t, "masked_customer_email"));
                    t.getSelectionModel().select(row, Fx.column(t, "items"));
                    main.rows().reasonField().setText("INC-4172: chargeback, engraving dispute");
                });
                robot.clickOn("#orders-reveal");
                ScreenshotTest.confirmIfAsked(robot);
                Fx.await(
                        "revealed",
                        () -> robot.lookup("#orders-revealedBox").query().isVisible()
                                && !robot.lookup("#orders-revealed")
                                        .queryTextInputControl()
                                        .getText()
                                        .isEmpty());
                Thread.sleep(500);
                save(dir.resolve("orders-reveal.png"));

                Fx.run(() -> main.tabs().getSelectionModel().select(main.overviewTab()));
                Fx.await(
                        "overview",
                        () -> main.overview().shown() != null
                                && main.tasks().runningProperty().get() == 0);
                Fx.run(() -> ui.stage().setHeight(1180));
                Thread.sleep(1500);
                save(dir.resolve("orders-overview.png"));
                Fx.run(main::close);
            }
        }
    }

    /** 600 orders over two weeks from 40 customers (their emails repeat), 1–3 items, a few engraved; 40 rejected. */
    private static void fill(TestDb db) throws Exception {
        UnaryOperator<String> email = DevRevealService.encrypter(db, "orders", "masked_customer_email");
        UnaryOperator<String> phone = DevRevealService.encrypter(db, "orders", "masked_customer_phone");
        UnaryOperator<String> name = DevRevealService.encrypter(db, "orders", "masked_customer_name");
        UnaryOperator<String> street =
                DevRevealService.encrypter(db, "orders", "masked_customer_shipping_address_street");
        UnaryOperator<String> holder = DevRevealService.encrypter(db, "orders", "items");
        UnaryOperator<String> body = DevRevealService.encrypter(db, "orders_rejected", "encrypted_body");
        Random r = new Random(42);
        OffsetDateTime t0 = OffsetDateTime.of(2026, 11, 16, 0, 0, 0, 0, ZoneOffset.UTC);
        try (PreparedStatement ps = db.admin().prepareStatement("""
                INSERT INTO orders (message_id, order_id, placed_at, status, masked_customer_email, masked_customer_phone,
                  masked_customer_name, masked_customer_shipping_address_street, customer_shipping_address_city,
                  customer_shipping_address_postcode, items, total, gift, delivery_date, create_date)
                VALUES (?, ?::text, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")) {
            for (int i = 0; i < 600; i++) {
                int c = r.nextInt(40);
                String first = FIRST[c % FIRST.length];
                String last = "customer" + c;
                OffsetDateTime placed = t0.plusMinutes((long) (Math.pow(r.nextDouble(), 0.7) * 14 * 24 * 60));
                StringBuilder items = new StringBuilder("[");
                double total = 0;
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) {
                    int s = r.nextInt(SKUS.length);
                    int q = 1 + r.nextInt(4);
                    total += q * PRICES[s];
                    items.append(k == 0 ? "" : ",")
                            .append(String.format(
                                    Locale.ROOT,
                                    "{\"sku\":\"%s\",\"quantity\":%d,\"price\":%s",
                                    SKUS[s],
                                    q,
                                    PRICES[s]));
                    if (r.nextInt(3) == 0) {
                        items.append(",\"holder_name\":\"")
                                .append(holder.apply(Character.toUpperCase(first.charAt(0))
                                        + first.substring(1)
                                        + (k == 0 ? "" : " & co")))
                                .append('"');
                    }
                    items.append('}');
                }
                items.append(']');
                ps.setString(
                        1,
                        String.format(
                                "%08x-%04x-4%03x-8%03x-%012x",
                                r.nextInt(),
                                r.nextInt(0x10000),
                                r.nextInt(0x1000),
                                r.nextInt(0x1000),
                                r.nextLong() & 0xffffffffffffL));
                ps.setString(2, String.format("ORD-%06d", 100_000 + i));
                ps.setObject(3, placed);
                ps.setString(4, STATUS[r.nextInt(STATUS.length)]);
                ps.setString(5, email.apply(first + "." + last + "@example.com"));
                ps.setString(6, c % 3 == 0 ? null : phone.apply(String.format("+1202555%04d", c * 37)));
                ps.setString(7, name.apply(first + " " + last));
                ps.setString(8, street.apply((c * 7 + 1) + " Analytical Row"));
                ps.setString(9, CITIES[c % CITIES.length]);
                ps.setString(10, String.format("%05d", 62_700 + c % CITIES.length));
                ps.setString(11, items.toString());
                ps.setBigDecimal(12, java.math.BigDecimal.valueOf(Math.round(total * 100) / 100.0));
                ps.setObject(13, r.nextInt(5) == 0 ? Boolean.TRUE : r.nextInt(4) == 0 ? null : Boolean.FALSE);
                ps.setObject(14, r.nextInt(4) == 0 ? null : LocalDate.from(placed.plusDays(2 + r.nextInt(5))));
                ps.setObject(15, placed.plusSeconds(1 + r.nextInt(30)));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = db.admin()
                .prepareStatement(
                        "INSERT INTO orders_rejected (message_id, error, encrypted_body, create_date) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < 40; i++) {
                ps.setString(1, "rej-" + i);
                String error = ERRORS[Math.min(r.nextInt(6), ERRORS.length - 1)];
                ps.setString(2, error);
                ps.setString(3, body.apply("{\"order_id\":\"x-" + i + "\"}"));
                ps.setObject(4, t0.plusMinutes(r.nextInt(14 * 24 * 60)));
                ps.executeUpdate();
            }
        }
    }

    private void save(Path out) throws Exception {
        ScreenshotTest.save(ui.stage(), out);
    }

    /** The screen where the window is (tooltips included), with ImageMagick's {@code import -window root}. */
    private void screen(Path out) throws Exception {
        Stage stage = ui.stage();
        String crop = Fx.call(() -> String.format(
                "%dx%d+%d+%d",
                (int) stage.getScene().getWidth(),
                (int) stage.getScene().getHeight(),
                (int) (stage.getX() + stage.getScene().getX()),
                (int) (stage.getY() + stage.getScene().getY())));
        Process p = new ProcessBuilder("import", "-window", "root", "-crop", crop, "+repage", out.toString())
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("import exited " + p.exitValue());
        }
    }
}
