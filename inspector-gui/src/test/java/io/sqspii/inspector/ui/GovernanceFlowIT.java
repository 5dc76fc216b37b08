package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.Grant;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.SeedData;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Reveal governance from the windows of four logins, on the real reveal service: a reader's reveal is refused for
 * want of a grant and offers the request; the reader requests a grant; an approver (another login) approves it; the
 * reader reveals through the service until the budget is spent, and watches a grant of a few seconds expire; the
 * auditor's desk shows each reveal with its grant and approver, the budget thresholds and the chain head. A login
 * never approves its own request; break-glass is flagged on the desk.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GovernanceFlowIT {

    /** Needs an approver; 3 cells a grant. The tests' everyday purpose is removed: every reveal needs a grant. */
    static final String SUPPORT = "support";

    static TestDb db;
    static RevealServer service;
    static List<SeedData.Login> seeded;
    static String reader;
    static String approver;
    static String auditor;
    /** A reader who is an approver too. */
    static String readerApprover;

    final FxRobot robot = new FxRobot();

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.createCheckingPasswords().withoutEverydayPurpose();
        db.execute("INSERT INTO pii_purposes (code, description, max_cells, max_duration, needs_approval) VALUES ('"
                + SUPPORT
                + "', 'Customer support case: confirm an IP the customer reported', 3, interval '1 day', true)");
        db.execute("INSERT INTO pii_purpose_columns VALUES ('" + SUPPORT + "', 'user_logins', 'masked_ip')");
        PiiCipher logins = PiiCipher.forKeyset(
                KeysetSource.cleartextFile(DevRevealService.KEYS.resolve("pii-deterministic.json")),
                CipherMode.DETERMINISTIC,
                "user_logins");
        seeded = SeedData.logins(db, 12, logins::encrypt);
        reader = db.createLogin("pii_reader", "pw");
        approver = db.createLogin("pii_approver", "pw");
        auditor = db.createLogin("pii_auditor", "pw");
        readerApprover = db.createLogin("pii_reader", "pw");
        db.execute("GRANT pii_approver TO " + readerApprover);
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
    void requestApproveRevealBudgetExpiryAndTheAuditorsDesk(@TempDir Path dir) throws Exception {
        // 1. the reader's reveal is refused: no grant. The panel says so and offers the request.
        MainView r1 = ui.open(db, reader, service.uri().toString(), null);
        TableView<Row> t = logins(r1);
        select(t, 0);
        assertThat(Fx.call(() -> robot.lookup("#user_logins-purpose")
                                .queryAs(ComboBox.class)
                                .getValue())
                        .toString())
                .isEqualTo(SUPPORT);
        robot.clickOn("#user_logins-reason").write("INC-42: customer asks").type(KeyCode.ENTER);
        Fx.await("refused", () -> revealHint().startsWith("No grant for this reveal: no active grant of " + reader));
        robot.clickOn("#user_logins-requestGrant");
        Fx.await(
                "grants tab, prefilled",
                () -> r1.tabs().getSelectionModel().getSelectedItem() == r1.grantsTab()
                        && robot.lookup("#grants-column-masked_ip").tryQuery().isPresent());
        assertThat(Fx.call(() ->
                        robot.lookup("#grants-dataset").queryAs(ComboBox.class).getValue()))
                .isEqualTo("user_logins");
        assertThat(Fx.call(() -> ((Purpose) robot.lookup("#grants-purpose")
                                .queryAs(ComboBox.class)
                                .getValue())
                        .code()))
                .isEqualTo(SUPPORT);
        assertThat(text("#grants-purposeInfo"))
                .startsWith("Customer support case")
                .contains("3 cells")
                .contains("an approver decides");
        robot.clickOn("#grants-ticket").write("INC-42");
        robot.clickOn("#grants-reason").write("customer reported a login from an unknown IP");
        robot.clickOn("#grants-request");
        Fx.await("requested", () -> text("#grants-requestHint").contains("requested: an approver decides it"));
        Fx.await("listed pending", () -> r1.grants().table().getItems().size() == 1);
        Grant requested = Fx.call(() -> r1.grants().table().getItems().get(0));
        assertThat(requested.state()).isEqualTo(Grant.State.PENDING);
        assertThat(requested.columns()).containsExactly("masked_ip");
        assertThat(requested.ticket()).isEqualTo("INC-42");
        ui.close(r1);

        // 2. the approver sees the request in full and approves it with a note
        MainView a1 = ui.open(db, approver, service.uri().toString(), null);
        assertThat(Fx.call(() -> a1.tabs().getTabs().stream()
                        .map(javafx.scene.control.Tab::getText)
                        .toList()))
                .containsExactly("Approvals");
        Fx.await("pending listed", () -> a1.approvals().pending().getItems().size() == 1);
        Grant pending = Fx.call(() -> a1.approvals().pending().getItems().get(0));
        assertThat(List.of(
                        pending.requester(), pending.dataset(), pending.purpose(), pending.ticket(), pending.reason()))
                .containsExactly(
                        reader, "user_logins", SUPPORT, "INC-42", "customer reported a login from an unknown IP");
        assertThat(cell(a1.approvals().pending(), "approvals-pending-col-duration", 0))
                .isEqualTo("1 h");
        Fx.run(() -> a1.approvals().pending().getSelectionModel().select(0));
        robot.clickOn("#approvals-note").write("ok for INC-42");
        robot.clickOn("#approvals-approve");
        Fx.await("approved", () -> text("#approvals-hint").equals("Grant #" + requested.id() + " approved."));
        Fx.await("open grant listed", () -> a1.approvals().open().getItems().size() == 1);
        ui.close(a1);

        // 3. the reader reveals through the service: three cells, the budget
        MainView r2 = ui.open(db, reader, service.uri().toString(), null);
        TableView<Row> t2 = logins(r2);
        int[] rows = {0, 1, 3};
        for (int i = 0; i < rows.length; i++) {
            select(t2, rows[i]);
            robot.clickOn("#user_logins-reason").write("INC-42 check " + i).type(KeyCode.ENTER);
            String ip = seeded.get(11 - rows[i]).ip();
            MainView w = r2;
            Fx.await(
                    "revealed " + i,
                    () -> ip.equals(revealed()) && w.tasks().runningProperty().get() == 0);
        }
        assertThat(lastAudit()).containsExactly(reader, SUPPORT, String.valueOf(requested.id()), "revealed");
        // a fourth cell: the budget is spent
        select(t2, 5);
        robot.clickOn("#user_logins-reason").write("INC-42 one more").type(KeyCode.ENTER);
        MainView rr = r2;
        Fx.await("refused, budget spent", () -> revealHint().startsWith("No grant for this reveal"));
        Fx.run(() -> rr.tabs().getSelectionModel().select(rr.grantsTab()));
        Fx.await(
                "grant shown used up",
                () -> rr.grants().table().getItems().size() == 1
                        && rr.grants().table().getItems().get(0).state() == Grant.State.USED_UP);
        assertThat(cell(r2.grants().table(), "grants-col-cells", 0)).isEqualTo("3 / 3 ⚠");

        // 4. a grant of a few seconds: requested, approved, then it expires on screen
        Fx.run(() -> {
            rr.grants().table().getSelectionModel().clearSelection();
            robot.lookup("#grants-amount")
                    .queryAs(Spinner.class)
                    .getValueFactory()
                    .setValue(4);
            robot.lookup("#grants-unit").queryAs(ComboBox.class).setValue(ChronoUnit.SECONDS);
        });
        robot.clickOn("#grants-reason").write("second look, a few seconds");
        robot.clickOn("#grants-request");
        Fx.await("second requested", () -> rr.grants().table().getItems().size() == 2);
        long shortId = Fx.call(() -> rr.grants().table().getItems().get(0).id());
        ui.close(r2);
        MainView a2 = ui.open(db, approver, service.uri().toString(), null);
        MainView aa = a2;
        Fx.await("second pending", () -> aa.approvals().pending().getItems().size() == 1);
        Fx.run(() -> aa.approvals().pending().getSelectionModel().select(0));
        robot.clickOn("#approvals-approve");
        Fx.await("second approved", () -> text("#approvals-hint").equals("Grant #" + shortId + " approved."));
        ui.close(a2);
        MainView r3 = ui.open(db, reader, service.uri().toString(), null);
        Fx.run(() -> r3.tabs().getSelectionModel().select(r3.grantsTab()));
        Fx.await("second listed", () -> r3.grants().table().getItems().size() == 2);
        Fx.await("expired on screen", () -> "expired".equals(cell(r3.grants().table(), "grants-col-state", 0)));
        assertThat(cell(r3.grants().table(), "grants-col-expires", 0)).isEqualTo("—");
        // and the database agrees: no reveal under it
        Fx.run(() -> r3.tabs().getSelectionModel().select(1));
        TableView<Row> t3 = logins(r3);
        select(t3, 6);
        robot.clickOn("#user_logins-reason").write("INC-42 after expiry").type(KeyCode.ENTER);
        Fx.await("refused after expiry", () -> revealHint().startsWith("No grant for this reveal"));
        ui.close(r3);

        // 5. the auditor's desk: each reveal with its grant and approver, the thresholds, the chain head
        File csv = dir.resolve("review.csv").toFile();
        MainView d = ui.open(db, auditor, service.uri().toString(), csv);
        Fx.await("desk read", () -> d.desk().desk() != null);
        AuditDesk desk = Fx.call(() -> d.desk().desk());
        List<AuditDesk.Reveal> mine = desk.reveals().stream()
                .filter(x -> x.reader().equals(reader))
                .filter(x -> SUPPORT.equals(x.purpose()))
                .toList();
        assertThat(mine).hasSize(3).allSatisfy(x -> {
            assertThat(x.grantId()).isEqualTo(requested.id());
            assertThat(x.approver()).isEqualTo(approver);
            assertThat(x.purpose()).isEqualTo(SUPPORT);
            assertThat(x.breakGlass()).isFalse();
        });
        int index = Fx.call(() -> d.desk().reveals().getItems().indexOf(mine.get(0)));
        Fx.run(() -> d.desk().reveals().getSelectionModel().select(index));
        assertThat(text("#desk-grantOfReveal"))
                .contains("under grant #" + requested.id())
                .contains("requested by " + reader)
                .contains("approved by " + approver)
                .contains("\"ok for INC-42\"")
                .contains("3 / 3 cells");
        assertThat(Fx.call(() -> d.desk()
                        .grants()
                        .getSelectionModel()
                        .getSelectedItem()
                        .grant()
                        .id()))
                .isEqualTo(requested.id());
        AuditDesk.GrantUse used = desk.grants().stream()
                .filter(u -> u.grant().id() == requested.id())
                .findFirst()
                .orElseThrow();
        assertThat(used.reached80()).isNotNull();
        assertThat(used.reached100()).isNotNull();
        assertThat(desk.grants().stream()
                        .filter(u -> u.grant().id() == shortId)
                        .findFirst()
                        .orElseThrow()
                        .grant()
                        .state())
                .isEqualTo(Grant.State.EXPIRED);
        assertThat(text("#desk-head"))
                .isEqualTo("Audit chain head: #" + chainHead()[0] + "  sha256 " + chainHead()[1]
                        + " — verify with pii-keys audit verify");
        assertThat(desk.byPurpose()).contains(new AuditDesk.Count(SUPPORT, 3, 3));
        robot.clickOn("#desk-export");
        Fx.await("exported", () -> csv.exists());
        List<String> lines = Files.readAllLines(csv.toPath());
        assertThat(lines.get(0)).startsWith("section,id,at,login,dataset");
        assertThat(lines)
                .filteredOn(l -> l.startsWith("reveal,"))
                .hasSize(3)
                .allMatch(l -> l.contains("," + SUPPORT + ",") && l.contains("," + approver + ","));
        assertThat(lines).anyMatch(l -> l.startsWith("chain-head,"));
        ui.close(d);
    }

    @Test
    @Order(2)
    void aLoginNeverApprovesItsOwnRequestAndBreakGlassIsFlaggedOnTheDesk() throws Exception {
        // the reader-approver requests; in its Approvals tab the request is "yours" and cannot be decided
        MainView ra = ui.open(db, readerApprover, service.uri().toString(), null);
        Fx.run(() -> ra.tabs().getSelectionModel().select(ra.grantsTab()));
        Fx.await(
                "purposes offered",
                () -> robot.lookup("#grants-column-masked_ip").tryQuery().isPresent());
        robot.clickOn("#grants-reason").write("my own case");
        robot.clickOn("#grants-request");
        Fx.await("requested", () -> text("#grants-requestHint").contains("requested"));
        Fx.run(() -> ra.tabs().getSelectionModel().select(ra.approvalsTab()));
        Fx.await(
                "listed",
                () -> ra.approvals().pending().getItems().stream()
                        .anyMatch(g -> g.requester().equals(readerApprover)));
        int own = Fx.call(() -> ra.approvals()
                .pending()
                .getItems()
                .indexOf(ra.approvals().pending().getItems().stream()
                        .filter(g -> g.requester().equals(readerApprover))
                        .findFirst()
                        .orElseThrow()));
        assertThat(cell(ra.approvals().pending(), "approvals-pending-col-requester", own))
                .isEqualTo(readerApprover + " (yours)");
        Fx.run(() -> ra.approvals().pending().getSelectionModel().select(own));
        assertThat(text("#approvals-hint")).isEqualTo(ApprovalsView.OWN_REQUEST);
        assertThat(Fx.call(() -> robot.lookup("#approvals-approve").query().isDisabled()))
                .isTrue();
        assertThat(Fx.call(() -> robot.lookup("#approvals-reject").query().isDisabled()))
                .isTrue();
        ui.close(ra);

        // break-glass: a short reason is not enough; then the grant opens at once, flagged
        MainView r = ui.open(db, reader, service.uri().toString(), null);
        Fx.run(() -> r.tabs().getSelectionModel().select(r.grantsTab()));
        Fx.await(
                "catalog read",
                () -> robot.lookup("#grants-column-masked_ip").tryQuery().isPresent());
        robot.clickOn("#grants-breakReason").write("too short");
        assertThat(Fx.call(() -> robot.lookup("#grants-breakGlass").query().isDisabled()))
                .isTrue();
        robot.write(": account takeover in progress, support line escalated");
        robot.clickOn("#grants-breakGlass");
        Fx.await("glass broken", () -> text("#grants-breakHint").startsWith("⚠ Break-glass grant #"));
        Fx.await("listed", () -> r.grants().table().getItems().stream().anyMatch(Grant::breakGlass));
        // reveal under it: break-glass is chosen deliberately, never by default
        Fx.run(() -> r.tabs().getSelectionModel().select(1));
        TableView<Row> t = logins(r);
        select(t, 6);
        @SuppressWarnings("unchecked")
        ComboBox<Purpose> purpose = robot.lookup("#user_logins-purpose").queryAs(ComboBox.class);
        assertThat(Fx.call(purpose::getValue).code()).isEqualTo(SUPPORT);
        Fx.run(() -> purpose.setValue(purpose.getItems().stream()
                .filter(Purpose::isBreakGlass)
                .findFirst()
                .orElseThrow()));
        robot.clickOn("#user_logins-reason").write("takeover INC-99").type(KeyCode.ENTER);
        String ip = seeded.get(5).ip();
        Fx.await("revealed under break-glass", () -> ip.equals(revealed()));
        ui.close(r);
        // one reveal out of working hours, as the audit log records it (server time 03:00)
        db.execute(
                "UPDATE pii_access_log SET at = (date_trunc('day', now() AT TIME ZONE current_setting('log_timezone'))"
                        + " + interval '3 hours') AT TIME ZONE current_setting('log_timezone') WHERE id = (SELECT max(id) FROM"
                        + " pii_access_log WHERE purpose = '" + SUPPORT + "')");

        MainView d = ui.open(db, auditor, service.uri().toString(), null);
        Fx.await("desk read", () -> d.desk().desk() != null);
        AuditDesk.Reveal first = Fx.call(() -> d.desk().reveals().getItems().get(0));
        assertThat(first.breakGlass()).isTrue();
        assertThat(first.reader()).isEqualTo(reader);
        assertThat(first.approver()).isNull();
        assertThat(cell(d.desk().reveals(), "desk-col-flags", 0)).startsWith("⚠ BREAK-GLASS");
        assertThat(cell(d.desk().reveals(), "desk-col-approver", 0)).isEqualTo("none (break-glass)");
        assertThat(Fx.call(() -> d.desk().reveals().getItems().stream()
                        .filter(AuditDesk.Reveal::offHours)
                        .count()))
                .isGreaterThanOrEqualTo(1);
        assertThat(text("#desk-summary")).contains("⚠ 1 break-glass");
        Fx.run(() -> d.desk().reveals().getSelectionModel().select(0));
        assertThat(text("#desk-grantOfReveal"))
                .startsWith("⚠ BREAK-GLASS Reveal #")
                .contains("no approver (break-glass)")
                .contains("account takeover in progress");
        ui.close(d);
    }

    // --- helpers ------------------------------------------------------------------------------

    private TableView<Row> logins(MainView view) {
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
        Fx.await(
                "rows",
                () -> t.getItems().size() == 12
                        && view.tasks().runningProperty().get() == 0);
        return t;
    }

    private static void select(TableView<Row> t, int row) {
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(row, Fx.column(t, "masked_ip"));
            t.requestFocus();
        });
    }

    private String revealed() {
        return Fx.call(() ->
                robot.lookup("#user_logins-revealed").queryTextInputControl().getText());
    }

    private String revealHint() {
        return text("#user_logins-revealHint");
    }

    private String text(String query) {
        return Fx.call(() -> robot.lookup(query).queryLabeled().getText());
    }

    /** The text a table column shows in row {@code row}. */
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

    private static List<String> lastAudit() throws SQLException {
        try (PreparedStatement ps = db.admin()
                        .prepareStatement(
                                "SELECT analyst, purpose, grant_id::text, outcome FROM pii_access_log ORDER BY id DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }

    private static String[] chainHead() throws SQLException {
        try (PreparedStatement ps = db.admin().prepareStatement("SELECT seq::text, hash FROM pii_audit_head()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }
}
