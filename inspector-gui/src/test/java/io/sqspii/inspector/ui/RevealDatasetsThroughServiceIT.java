package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.reveal.RevealServer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Datasets no inspector code names, revealed from the window through a RUNNING reveal service (dev keysets, values
 * encrypted as the pipeline stores them, with the PII catalog's keyset and associated data): the orders dataset's
 * flattened nested customer email and the holder names inside its items jsonb array, and a dataset applied while
 * the window is open. The plaintext shown equals the original and the database holds the audit rows.
 */
class RevealDatasetsThroughServiceIT {

    static final String ADA = "ada@example.com";
    static TestDb db;
    static RevealServer service;
    static String reader;

    @TempDir
    static Path tmp;

    @RegisterExtension
    final InspectorUi window = InspectorUi.as(db, reader)
            .dataset("orders")
            .revealService(service.uri().toString());

    @BeforeAll
    static void startService() throws SQLException {
        db = TestDb.createCheckingPasswords(); // the service refuses the trusting test server
        db.applyDataset(TestDb.shipped("orders"));
        String email = DevRevealService.encrypt(db, "orders", "masked_customer_email", ADA);
        String other = DevRevealService.encrypt(db, "orders", "masked_customer_email", "grace@example.org");
        String ada = DevRevealService.encrypt(db, "orders", "items", "Ada");
        String bo = DevRevealService.encrypt(db, "orders", "items", "Bo Chen");
        // o-1 holds a holder name in items 0 and 2 (item 1 has none); o-2 is older and has no items
        insertOrder(
                "o-1",
                email,
                "[{\"sku\":\"BK-001\",\"quantity\":1,\"price\":19.9,\"holder_name\":\"" + ada + "\"},"
                        + "{\"sku\":\"PN-204\",\"quantity\":3,\"price\":2.5},"
                        + "{\"sku\":\"BK-002\",\"quantity\":1,\"price\":15,\"holder_name\":\"" + bo + "\"}]",
                2);
        insertOrder("o-2", other, "[]", 1);
        reader = db.createLogin("pii_reader", InspectorUi.PASSWORD);
        service = DevRevealService.start(db);
    }

    private static void insertOrder(String key, String email, String items, int minute) throws SQLException {
        try (PreparedStatement ps = db.admin().prepareStatement("""
                INSERT INTO orders (message_id, order_id, placed_at, status, masked_customer_email, masked_customer_name,
                  masked_customer_shipping_address_street, customer_shipping_address_city, customer_shipping_address_postcode,
                  items, total, create_date)
                VALUES (?, ?, timestamptz '2026-11-30 09:00Z' + ? * interval '1 minute', 'placed', ?, 'AQname', 'AQstreet',
                  'Springfield', '62701', ?::jsonb, 37.4, timestamptz '2026-11-30 09:00Z' + ? * interval '1 minute')""")) {
            ps.setString(1, key);
            ps.setString(2, "order-" + key);
            ps.setInt(3, minute);
            ps.setString(4, email);
            ps.setString(5, items);
            ps.setInt(6, minute);
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        if (service != null) {
            service.close();
        }
        db.close();
    }

    @Test
    void aNestedCustomerEmailAndTheHolderNamesInTheItemsArrayAreRevealedAndAudited(FxRobot robot) throws SQLException {
        TableView<Row> t = table(robot, "orders", 2);
        assertThat(Fx.call(() -> t.getItems().get(0).key())).isEqualTo("o-1");

        // the flattened nested column customer.email
        select(t, "masked_customer_email", 0);
        robot.clickOn("#orders-reason").write("INC-10: chargeback").type(KeyCode.ENTER);
        Fx.await("email revealed", () -> ADA.equals(revealed(robot, "orders")));
        assertThat(lastAudit(1))
                .containsExactly(List.of(
                        reader, "orders", "o-1", "masked_customer_email", "", "INC-10: chargeback", "revealed"));
        // the cell still shows the ciphertext
        assertThat(Fx.call(() -> t.getItems().get(0).text("masked_customer_email")))
                .startsWith("A");

        // the items cell stands for each holder_name inside it, revealed by its path
        select(t, "items", 0);
        robot.clickOn("#orders-reason").write("INC-11: engraving").type(KeyCode.ENTER);
        Fx.await(
                "holder names revealed", () -> revealed(robot, "orders").lines().count() == 2);
        assertThat(revealed(robot, "orders"))
                .isEqualTo("items /0/holder_name of o-1: Ada\nitems /2/holder_name of o-1: Bo Chen");
        assertThat(lastAudit(2))
                .containsExactlyInAnyOrder(
                        List.of(reader, "orders", "o-1", "items", "/0/holder_name", "INC-11: engraving", "revealed"),
                        List.of(reader, "orders", "o-1", "items", "/2/holder_name", "INC-11: engraving", "revealed"));
        assertThat(Fx.call(() -> window.main().tasks().statusLabel().getText()))
                .doesNotContain("Bo Chen")
                .doesNotContain(ADA);
    }

    @Test
    void aDatasetAppliedWhileTheWindowIsOpenIsRevealableAfterARefresh(FxRobot robot) throws Exception {
        table(robot, "orders", 2);
        db.applyDataset(RoleTabsUiTest.claimsDataset(tmp, "claims"));
        String email = DevRevealService.encrypt(db, "claims", "masked_email", ADA);
        // one key domain (email): the same address gives the orders' ciphertext
        assertThat(email).isEqualTo(DevRevealService.encrypt(db, "orders", "masked_customer_email", ADA));
        String note = DevRevealService.encrypt(db, "claims", "masked_note", "parcel arrived crushed");
        try (PreparedStatement ps = db.admin()
                .prepareStatement(
                        "INSERT INTO claims (message_id, masked_email, masked_note, kind,"
                                + " amount, create_date) VALUES (?, ?, ?, ?, ?, timestamptz '2026-12-01 10:00Z' + ? * interval '1 hour')")) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(1, "c-" + i);
                ps.setString(2, email);
                ps.setString(3, note);
                ps.setString(4, i == 2 ? "damage" : "refund");
                ps.setInt(5, 10 * i);
                ps.setInt(6, i);
                ps.executeUpdate();
            }
        }
        robot.clickOn("#datasetRefresh");
        Fx.await(
                "claims offered",
                () -> idle()
                        && window.main().datasetPicker().getItems().stream()
                                .anyMatch(d -> d.name().equals("claims")));
        Fx.run(() -> window.main()
                .datasetPicker()
                .setValue(window.main().datasetPicker().getItems().stream()
                        .filter(d -> d.name().equals("claims"))
                        .findFirst()
                        .orElseThrow()));
        TableView<Row> t = table(robot, "claims", 3);
        robot.clickOn("#claims-filter-kind-text").write("damage").type(KeyCode.ENTER);
        Fx.await("filtered", () -> idle() && t.getItems().size() == 1);
        assertThat(Fx.call(() -> t.getItems().get(0).key())).isEqualTo("c-2");

        select(t, "masked_note", 0);
        robot.clickOn("#claims-reason").write("INC-12").type(KeyCode.ENTER);
        Fx.await("note revealed", () -> "parcel arrived crushed".equals(revealed(robot, "claims")));
        assertThat(lastAudit(1))
                .containsExactly(List.of(reader, "claims", "c-2", "masked_note", "", "INC-12", "revealed"));
        assertThat(Fx.call(() -> window.main().datasetPicker().getItems().stream()
                        .map(Dataset::name)
                        .toList()))
                .contains("claims", "orders");
    }

    // --- helpers ------------------------------------------------------------------------------

    private boolean idle() {
        return window.main().tasks().runningProperty().get() == 0;
    }

    private TableView<Row> table(FxRobot robot, String name, int rows) {
        Fx.await(
                name + " shown",
                () -> window.main().dataset() != null
                        && window.main().dataset().name().equals(name));
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#" + name + "-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == rows && idle());
        return t;
    }

    private static void select(TableView<Row> t, String column, int row) {
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(row, Fx.column(t, column));
            t.requestFocus();
        });
    }

    private static String revealed(FxRobot robot, String table) {
        return Fx.call(() ->
                robot.lookup("#" + table + "-revealed").queryTextInputControl().getText());
    }

    /** The newest {@code n} audit rows: analyst, table, row, column, path ("" for none), reason, outcome. */
    private static List<List<String>> lastAudit(int n) throws SQLException {
        try (PreparedStatement ps = db.admin()
                .prepareStatement("SELECT analyst, table_name, row_key, column_name,"
                        + " coalesce(path, ''), reason, outcome FROM pii_access_log ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, n);
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= 7; i++) {
                        row.add(rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }
}
