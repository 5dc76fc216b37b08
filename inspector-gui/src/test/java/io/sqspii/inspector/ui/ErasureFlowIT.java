package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.KeyDomain;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.reveal.RevealServer;
import io.sqspii.reveal.api.ErasureResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Erasure of a data subject from the windows of an eraser, a reader and an auditor, through the real reveal service:
 * one e-mail address stored (as the pipeline stores it: canonical form, key domain email) in two orders and in two
 * tickets of the tests' own dataset, next to another customer's rows. The reader sees the subject's rows and their
 * duplicate groups and has no Erasure tab; the eraser finds the subject's rows per dataset, erases them after a
 * confirmation stating the counts, and sees the audit chain row; the reader's Rows and Duplicates no longer hold them;
 * the auditor's desk lists the erasure by token, never the value.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureFlowIT {

    /** As the request names the subject; stored in its canonical form, jane.roe@example.org. */
    static final String SUBJECT = "Jane.Roe@Example.org";

    static final String REASON = "GDPR request 2026-117";

    static TestDb db;
    static RevealServer service;
    static String eraser;
    static String reader;
    static String auditor;
    static String subjectCiphertext;
    final FxRobot robot = new FxRobot();

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.createCheckingPasswords(); // the service refuses the trusting test server
        db.applyDataset(TestDb.shipped("orders"));
        db.applyDataset(TestDb.testDataset("tickets"));
        UnaryOperator<String> orderEmail = DevRevealService.canonicalEncrypter(db, "orders", "masked_customer_email");
        UnaryOperator<String> reporter = DevRevealService.canonicalEncrypter(db, "tickets", "masked_reporter_email");
        subjectCiphertext = orderEmail.apply(SUBJECT);
        // other spellings of the same address: one value once canonical, one ciphertext in both datasets of the domain
        assertThat(reporter.apply(" JANE.ROE@example.org")).isEqualTo(subjectCiphertext);
        insertOrder(db, "o-1", orderEmail.apply("jane.roe@example.org"), 1);
        insertOrder(db, "o-2", orderEmail.apply(SUBJECT), 2);
        insertOrder(db, "o-3", orderEmail.apply("grace@example.org"), 3);
        insertTicket(db, "t-1", 1, reporter.apply(" JANE.ROE@example.org"));
        insertTicket(db, "t-2", 2, reporter.apply(SUBJECT));
        insertTicket(db, "t-3", 3, reporter.apply("grace@example.org"));
        eraser = db.createLogin("pii_eraser", InspectorUi.PASSWORD);
        reader = db.createLogin("pii_reader", InspectorUi.PASSWORD);
        auditor = db.createLogin("pii_auditor", InspectorUi.PASSWORD);
        service = DevRevealService.start(db);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (service != null) {
            service.close();
        }
        db.close();
    }

    @Test
    @Order(1)
    void aSubjectIsFoundThenErasedAcrossOrdersAndTicketsAndTheDeskShowsTheErasure() throws Exception {
        // 1. the reader: the subject's rows and duplicate groups are there; no Erasure tab
        MainView r1 = ui.open(db, reader, service.uri().toString(), null);
        assertThat(tabs(r1)).doesNotContain("Erasure").contains("Rows", "Duplicates");
        assertThat(keys(r1, "orders")).containsExactly("o-3", "o-2", "o-1");
        assertThat(subjectGroup(r1)).as("orders' group of the subject").isEqualTo(2);
        Fx.run(() -> r1.duplicates()
                .table()
                .getSelectionModel()
                .select(r1.duplicates().table().getItems().stream()
                        .filter(g -> g.value().equals(subjectCiphertext))
                        .findFirst()
                        .orElseThrow()));
        Fx.await(
                "counted across the domain",
                () -> idle(r1) && text("#duplicatesAcross").startsWith("This value appears in 2 orders and 2 tickets"));
        assertThat(keys(r1, "tickets")).containsExactly("t-3", "t-2", "t-1");
        assertThat(subjectGroup(r1)).as("tickets' group of the subject").isEqualTo(2);
        ui.close(r1);

        // 2. the eraser: the Erasure tab alone, the key domains with what each covers
        MainView e = ui.open(db, eraser, service.uri().toString(), null);
        assertThat(tabs(e)).containsExactly("Erasure");
        Fx.await(
                "domains read",
                () -> idle(e) && !e.erasure().domain().getItems().isEmpty());
        KeyDomain email = Fx.call(() -> e.erasure().domain().getItems().stream()
                .filter(d -> d.name().equals("email"))
                .findFirst()
                .orElseThrow());
        assertThat(email.datasets()).containsExactly("orders", "tickets");
        Fx.run(() -> e.erasure().domain().setValue(email));
        assertThat(text("#erasure-coverage"))
                .isEqualTo("Covers orders (orders.masked_customer_email), tickets (tickets.masked_reporter_email).");
        assertThat(disabled("#erasure-erase")).isTrue();
        assertThat(disabled("#erasure-find")).as("no value, no reason").isTrue();
        robot.clickOn("#erasure-value").write(SUBJECT);
        assertThat(disabled("#erasure-find")).as("no reason").isTrue();
        robot.clickOn("#erasure-reason").write(REASON);

        // Find: the rows per dataset and table, the token, the chained count
        robot.clickOn("#erasure-find");
        awaitAnswer(e);
        assertThat(rows(e))
                .containsExactly(
                        new ErasureResponse.Rows("orders", "orders", 2),
                        new ErasureResponse.Rows("tickets", "tickets", 2));
        assertThat(text("#erasure-summary"))
                .isEqualTo("Found 4 rows of this subject (key domain email): 2 in orders, 2 in tickets.");
        String token = expectedToken();
        assertThat(text("#erasure-token")).startsWith("Subject token " + token + " — ");
        assertThat(text("#erasure-audit"))
                .isEqualTo(
                        "Audit chain row #" + lastChainRow("erasure-count") + " (erasure-count, by " + eraser + ").");
        assertThat(text("#erasure-remains"))
                .contains("Kafka topics")
                .contains("retention")
                .contains("rejected messages")
                .contains("cannot be matched")
                .contains("earlier primary key");
        assertThat(count("orders") + count("tickets"))
                .as("a Find deletes nothing")
                .isEqualTo(6);
        assertThat(disabled("#erasure-erase")).isFalse();

        // Erase follows a Find of the same inputs only: another reason needs another Find
        robot.clickOn("#erasure-reason").write(" (DSR-9)");
        assertThat(disabled("#erasure-erase")).isTrue();
        robot.clickOn("#erasure-find");
        awaitAnswer(e);
        assertThat(disabled("#erasure-erase")).isFalse();

        // the confirmation states the counts; Cancel (the default) deletes nothing
        robot.clickOn("#erasure-erase");
        DialogPane dialog = confirmation();
        assertThat(Fx.call(dialog::getHeaderText)).isEqualTo("Erase 4 rows of this data subject?");
        assertThat(Fx.call(dialog::getContentText))
                .startsWith("This deletes 2 rows of orders (table orders), 2 rows of"
                        + " tickets (table tickets) — the rows holding this value in key domain email —")
                .contains("cannot be undone");
        assertThat(Fx.call(() -> ((Button) dialog.lookupButton(ButtonType.CANCEL)).isDefaultButton()))
                .isTrue();
        robot.clickOn(button(dialog, "Cancel"));
        Fx.await(
                "dialog closed",
                () -> robot.lookup("#erasureConfirmation").tryQuery().isEmpty());
        assertThat(count("orders") + count("tickets")).isEqualTo(6);

        robot.clickOn("#erasure-erase");
        robot.clickOn(button(confirmation(), "Erase"));
        Fx.await("erased", () -> text("#erasure-summary").startsWith("Deleted") && !running(e));
        assertThat(text("#erasure-summary"))
                .isEqualTo("Deleted 4 rows of this subject (key domain email): 2 in orders, 2 in tickets.");
        assertThat(rows(e)).extracting(ErasureResponse.Rows::rows).containsExactly(2L, 2L);
        assertThat(text("#erasure-hint")).isEqualTo("Erased.");
        long erasureRow = lastChainRow("erasure");
        assertThat(text("#erasure-audit"))
                .isEqualTo("Audit chain row #" + erasureRow + " (erasure, by " + eraser + ").");
        assertThat(text("#erasure-token")).startsWith("Subject token " + token);
        // the value has served: cleared, and Erase is off until another Find
        assertThat(Fx.call(() ->
                        robot.lookup("#erasure-value").queryTextInputControl().getText()))
                .isEmpty();
        assertThat(disabled("#erasure-erase")).isTrue();
        assertThat(count("orders")).as("grace's order stays").isEqualTo(1);
        assertThat(count("tickets")).isEqualTo(1);
        // the value is nowhere on screen
        assertThat(Fx.call(() -> e.tasks().statusLabel().getText()
                        + text("#erasure-hint")
                        + text("#erasure-summary")
                        + text("#erasure-audit")))
                .doesNotContainIgnoringCase("jane");
        ui.close(e);

        // 3. the reader again: the subject's rows are gone from Rows and Duplicates of both datasets
        MainView r2 = ui.open(db, reader, service.uri().toString(), null);
        assertThat(keys(r2, "orders")).containsExactly("o-3");
        assertThat(subjectGroup(r2)).isZero();
        assertThat(keys(r2, "tickets")).containsExactly("t-3");
        assertThat(subjectGroup(r2)).isZero();
        ui.close(r2);

        // 4. the auditor's desk: the erasure and the counts, by token, rows per dataset
        MainView d = ui.open(db, auditor, service.uri().toString(), null);
        assertThat(tabs(d)).doesNotContain("Erasure");
        Fx.await("desk read", () -> d.desk().desk() != null);
        List<AuditDesk.Erasure> listed =
                Fx.call(() -> List.copyOf(d.desk().erasures().getItems()));
        assertThat(listed).hasSize(3);
        AuditDesk.Erasure erased = listed.get(0);
        assertThat(erased.erased()).isTrue();
        assertThat(erased.seq()).isEqualTo(erasureRow);
        assertThat(erased.eraser()).isEqualTo(eraser);
        assertThat(erased.subjectToken()).isEqualTo(token);
        assertThat(erased.reason()).isEqualTo(REASON + " (DSR-9)");
        assertThat(erased.rowsPerDataset())
                .containsExactly(new AuditDesk.DatasetRows("orders", 2), new AuditDesk.DatasetRows("tickets", 2));
        assertThat(cell(d.desk().erasures(), "desk-col-event", 0)).isEqualTo("erased");
        assertThat(cell(d.desk().erasures(), "desk-col-rows", 0)).isEqualTo("orders 2, tickets 2");
        assertThat(listed.subList(1, 3)).allSatisfy(x -> {
            assertThat(x.erased()).isFalse();
            assertThat(x.subjectToken()).isEqualTo(token);
            assertThat(x.rows()).isEqualTo(4);
        });
        assertThat(text("#desk-summary")).contains("Erasures: 1 (4 rows deleted), 2 counts.");
        ui.close(d);
    }

    @Test
    @Order(2)
    void refusalsAreToldAsTheServiceSaysThem() throws Exception {
        // a reader's login is refused by the database: it is not pii_eraser
        try (RevealClient asReader =
                new RevealClient(service.uri().toString(), reader, InspectorUi.PASSWORD.toCharArray())) {
            assertThatThrownBy(() -> asReader.erase("email", SUBJECT, REASON, false))
                    .isInstanceOf(InspectorException.class)
                    .hasMessage("Login " + reader + " may not erase data subjects (it needs the pii_eraser role).");
        }
        try (RevealClient asEraser =
                new RevealClient(service.uri().toString(), eraser, InspectorUi.PASSWORD.toCharArray())) {
            // a domain no deterministic column has: the service's 400, never the value
            assertThatThrownBy(() -> asEraser.erase("nowhere", SUBJECT, REASON, false))
                    .isInstanceOf(InspectorException.class)
                    .hasMessage("Erasure refused: no deterministic PII column of the catalog is in key domain nowhere")
                    .message()
                    .doesNotContainIgnoringCase("jane");
            assertThatThrownBy(() -> asEraser.erase("email", SUBJECT, " ", false))
                    .hasMessageStartingWith("A reason is required");
        }
        // an eraser whose role is taken away while its window is open: the refusal is shown in the tab
        String former = db.createLogin("pii_eraser", InspectorUi.PASSWORD);
        MainView e = ui.open(db, former, service.uri().toString(), null);
        Fx.await(
                "domains read",
                () -> idle(e) && !e.erasure().domain().getItems().isEmpty());
        db.execute("REVOKE pii_eraser FROM " + former);
        robot.clickOn("#erasure-value").write(SUBJECT);
        robot.clickOn("#erasure-reason").write(REASON);
        robot.clickOn("#erasure-find");
        Fx.await("refused", () -> !running(e) && text("#erasure-hint").startsWith("Login " + former));
        assertThat(text("#erasure-hint"))
                .isEqualTo("Login " + former + " may not erase data subjects (it needs the pii_eraser role).");
        assertThat(Fx.call(() ->
                        robot.lookup("#erasure-hint").query().getStyleClass().contains("error")))
                .isTrue();
        assertThat(disabled("#erasure-erase")).isTrue();
        robot.clickOn("#erasure-clear");
        assertThat(Fx.call(() ->
                        robot.lookup("#erasure-value").queryTextInputControl().getText()))
                .isEmpty();
        ui.close(e);
    }

    // --- helpers ------------------------------------------------------------------------------

    static void insertOrder(TestDb db, String key, String email, int minute) throws SQLException {
        try (PreparedStatement ps = db.admin().prepareStatement("""
                INSERT INTO orders (message_id, order_id, placed_at, status, masked_customer_email, masked_customer_name,
                  masked_customer_shipping_address_street, customer_shipping_address_city, customer_shipping_address_postcode,
                  items, total, create_date)
                VALUES (?, ?, timestamptz '2026-11-30 09:00Z' + ? * interval '1 minute', 'placed', ?, 'AQname', 'AQstreet',
                  'Springfield', '62701', '[]'::jsonb, 37.4, timestamptz '2026-11-30 09:00Z' + ? * interval '1 minute')""")) {
            ps.setString(1, key);
            ps.setString(2, "order-" + key);
            ps.setInt(3, minute);
            ps.setString(4, email);
            ps.setInt(5, minute);
            ps.executeUpdate();
        }
    }

    static void insertTicket(TestDb db, String key, int no, String email) throws SQLException {
        try (PreparedStatement ps = db.admin()
                .prepareStatement("INSERT INTO tickets (message_id, ticket_no, opened_at,"
                        + " priority, masked_reporter_email, create_date) VALUES (?, ?, timestamptz '2026-11-03 08:00Z' + ?"
                        + " * interval '1 hour', 'low', ?, timestamptz '2026-11-03 08:00Z' + ? * interval '1 hour')")) {
            ps.setString(1, key);
            ps.setInt(2, no);
            ps.setInt(3, no);
            ps.setString(4, email);
            ps.setInt(5, no);
            ps.executeUpdate();
        }
    }

    /** SHA-256 of the sorted ciphertexts the service makes (one per deterministic column of domain email), hex. */
    private static String expectedToken() throws Exception {
        List<String> sorted = List.of(subjectCiphertext, subjectCiphertext);
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> tabs(MainView v) {
        return Fx.call(() -> v.tabs().getTabs().stream().map(Tab::getText).toList());
    }

    private static boolean idle(MainView v) {
        return v.tasks().runningProperty().get() == 0;
    }

    private static boolean running(MainView v) {
        return v.erasure().runningProperty().get();
    }

    private void awaitAnswer(MainView v) {
        Fx.await("answered", () -> !running(v) && text("#erasure-summary").startsWith("Found"));
    }

    private static List<ErasureResponse.Rows> rows(MainView v) {
        return Fx.call(() -> List.copyOf(v.erasure().rows().getItems()));
    }

    /** The dataset {@code name} shown in Rows: its row keys, newest first. */
    private List<String> keys(MainView v, String name) {
        Fx.run(() -> {
            v.datasetPicker()
                    .setValue(v.datasetPicker().getItems().stream()
                            .filter(x -> x.name().equals(name))
                            .findFirst()
                            .orElseThrow());
            v.tabs()
                    .getSelectionModel()
                    .select(v.tabs().getTabs().stream()
                            .filter(t -> t.getText().equals("Rows"))
                            .findFirst()
                            .orElseThrow());
        });
        Fx.await(
                name + " rows",
                () -> idle(v)
                        && v.rows() != null
                        && v.dataset().name().equals(name)
                        && robot.lookup("#" + name + "-table").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#" + name + "-table").queryAs(TableView.class);
        Fx.await(name + " loaded", () -> idle(v) && !t.getItems().isEmpty());
        return Fx.call(
                () -> t.getItems().stream().map(r -> String.valueOf(r.key())).toList());
    }

    /** Rows of the shown dataset's duplicate group holding the subject's ciphertext (0: no such group). */
    private long subjectGroup(MainView v) {
        Fx.run(() -> v.tabs()
                .getSelectionModel()
                .select(v.tabs().getTabs().stream()
                        .filter(t -> t.getText().equals("Duplicates"))
                        .findFirst()
                        .orElseThrow()));
        Fx.await(
                "duplicates read",
                () -> idle(v)
                        && v.duplicates().table().getItems() != null
                        && !text("#duplicatesSummary").isBlank());
        return Fx.call(() -> v.duplicates().table().getItems().stream()
                .filter(g -> g.value().equals(subjectCiphertext))
                .mapToLong(DuplicateGroup::rows)
                .sum());
    }

    private DialogPane confirmation() {
        Fx.await(
                "confirmation shown",
                () -> robot.lookup("#erasureConfirmation").tryQuery().isPresent());
        return robot.lookup("#erasureConfirmation").queryAs(DialogPane.class);
    }

    private static Node button(DialogPane dialog, String text) {
        return Fx.call(() -> dialog.getButtonTypes().stream()
                .filter(b -> b.getText().equals(text))
                .findFirst()
                .map(dialog::lookupButton)
                .orElseThrow());
    }

    private boolean disabled(String query) {
        return Fx.call(() -> robot.lookup(query).query().isDisabled());
    }

    private String text(String query) {
        return Fx.call(() -> robot.lookup(query).queryLabeled().getText());
    }

    private static String cell(TableView<?> t, String columnId, int row) {
        return Fx.call(() -> {
            var c = t.getColumns().stream()
                    .filter(x -> columnId.equals(x.getId()))
                    .findFirst()
                    .orElseThrow();
            Object v = c.getCellData(row);
            return v == null ? null : v.toString();
        });
    }

    private static long lastChainRow(String event) throws SQLException {
        try (PreparedStatement ps =
                db.admin().prepareStatement("SELECT max(seq) FROM pii_audit_chain WHERE event = ?")) {
            ps.setString(1, event);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(String table) throws SQLException {
        try (PreparedStatement ps = db.admin().prepareStatement("SELECT count(*) FROM public." + table);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
