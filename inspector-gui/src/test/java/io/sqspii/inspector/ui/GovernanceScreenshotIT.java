package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.SeedData;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealServer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Not a check: the documentation screenshots of reveal governance (docs/governance-*.png): a reader's grant request
 * with its grants, an approver's pending requests, the auditor's desk. Grants are requested and decided by the
 * logins themselves (the database's functions, called as each login), reveals go through the running reveal
 * service. Run under Xvfb with the real glass platform, see the README.
 */
@EnabledIfSystemProperty(named = "inspector.screenshot.dir", matches = ".+")
class GovernanceScreenshotIT {

    final FxRobot robot = new FxRobot();

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @Test
    void grantRequestApprovalAndTheAuditorsDesk() throws Exception {
        Path dir = Path.of(System.getProperty("inspector.screenshot.dir"));
        try (TestDb db = TestDb.createCheckingPasswords().withoutEverydayPurpose()) {
            db.execute(
                    "INSERT INTO pii_purposes (code, description, max_cells, max_duration, needs_approval) VALUES"
                            + " ('support', 'Customer support case: confirm what the customer reported', 5, interval '8 hours', true),"
                            + " ('fraud-review', 'Fraud review of suspicious logins, with a case number', 200, interval '3 days', true)");
            db.execute("INSERT INTO pii_purpose_columns VALUES ('support', 'user_logins', 'masked_ip'),"
                    + " ('fraud-review', 'user_logins', '*')");
            PiiCipher cipher = PiiCipher.forKeyset(
                    KeysetSource.cleartextFile(DevRevealService.KEYS.resolve("pii-deterministic.json")),
                    CipherMode.DETERMINISTIC,
                    "user_logins");
            List<SeedData.Login> seeded = SeedData.logins(db, 12, cipher::encrypt);
            String reader = db.createLogin("pii_reader", "pw");
            String reader2 = db.createLogin("pii_reader", "pw");
            String approver = db.createLogin("pii_approver", "pw");
            String auditor = db.createLogin("pii_auditor", "pw");
            try (RevealServer service = DevRevealService.start(db)) {
                String url = service.uri().toString();
                long support = as(
                        db,
                        reader,
                        "SELECT pii_request_grant('user_logins', ARRAY['masked_ip'], 'support',"
                                + " interval '4 hours', 'SUP-1182', 'customer reports a login from an unknown place')");
                as(db, approver, "SELECT pii_decide_grant(" + support + ", true, 'ok, SUP-1182')");
                long fraud = as(
                        db,
                        reader2,
                        "SELECT pii_request_grant('user_logins', NULL, 'fraud-review',"
                                + " interval '2 days', 'FR-77', 'burst of logins from one device, weekend of 14 Nov')");
                as(db, approver, "SELECT pii_decide_grant(" + fraud + ", true, 'FR-77 confirmed by the fraud desk')");
                as(
                        db,
                        reader2,
                        "SELECT pii_request_grant('user_logins', ARRAY['masked_ip'], 'support', interval '1 hour',"
                                + " 'SUP-1190', 'customer cannot log in, asks which IP we saw')");
                as(
                        db,
                        reader,
                        "SELECT pii_break_glass('user_logins', NULL, 'account takeover in progress, support line"
                                + " escalated, SUP-1201')");
                Session s = Session.open(db.settings(reader, "pw"));
                Dataset logins = s.datasets().stream()
                        .filter(d -> d.name().equals("user_logins"))
                        .findFirst()
                        .orElseThrow();
                s.close();
                try (RevealClient c = new RevealClient(url, reader, "pw".toCharArray());
                        RevealClient c2 = new RevealClient(url, reader2, "pw".toCharArray())) {
                    for (int row : new int[] {1, 2, 5, 6}) {
                        c.reveal(
                                List.of(new RevealClient.Cell(
                                        logins.table(), seeded.get(row).messageId(), "masked_ip")),
                                "support",
                                "SUP-1182 compare with what the customer sent");
                    }
                    c.reveal(
                            List.of(
                                    new RevealClient.Cell(
                                            logins.table(), seeded.get(7).messageId(), "masked_ip"),
                                    new RevealClient.Cell(
                                            logins.table(), seeded.get(7).messageId(), "masked_device_id")),
                            Purpose.BREAK_GLASS,
                            "SUP-1201 takeover: which device");
                    for (int row = 0; row < 12; row += 2) {
                        c2.reveal(
                                List.of(new RevealClient.Cell(
                                        logins.table(), seeded.get(row).messageId(), "masked_device_id")),
                                "fraud-review",
                                "FR-77 device of the burst");
                    }
                }
                // two reveals of the fraud review at night, server time (the desk flags them off-hours)
                // yesterday's working day, server time, and two reveals of the fraud review at night (flagged
                // off-hours)
                String day = "date_trunc('day', now() AT TIME ZONE current_setting('log_timezone')) - interval '1 day'";
                db.execute("UPDATE pii_access_log SET at = (" + day + " + interval '9 hours 20 minutes' + id * interval"
                        + " '7 minutes') AT TIME ZONE current_setting('log_timezone')");
                db.execute("UPDATE pii_access_log SET at = (" + day + " + interval '2 hours 40 minutes' + id * interval"
                        + " '3 minutes') AT TIME ZONE current_setting('log_timezone') WHERE id IN (SELECT id FROM"
                        + " pii_access_log WHERE purpose = 'fraud-review' ORDER BY id LIMIT 2)");

                // the reader: a new request filled in, its grants below
                MainView r = ui.open(db, reader, url, null, 1400, 860);
                Fx.run(() -> r.tabs().getSelectionModel().select(r.grantsTab()));
                Fx.await(
                        "grants",
                        () -> r.grants().table().getItems().size() == 2
                                && !robot.lookup("#grants-dataset")
                                        .queryAs(ComboBox.class)
                                        .getItems()
                                        .isEmpty());
                Fx.run(() -> {
                    @SuppressWarnings("unchecked")
                    ComboBox<Purpose> p = robot.lookup("#grants-purpose").queryAs(ComboBox.class);
                    p.setValue(p.getItems().stream()
                            .filter(x -> x.code().equals("fraud-review"))
                            .findFirst()
                            .orElseThrow());
                    robot.lookup("#grants-amount")
                            .queryAs(Spinner.class)
                            .getValueFactory()
                            .setValue(1);
                    robot.lookup("#grants-unit").queryAs(ComboBox.class).setValue(ChronoUnit.DAYS);
                });
                robot.clickOn("#grants-ticket").write("FR-81");
                robot.clickOn("#grants-reason").write("second device of the 14 Nov burst: same user?");
                Thread.sleep(800);
                ScreenshotTest.save(InspectorUi.stageOf(r), dir.resolve("governance-grant-request.png"));
                ui.close(r);

                MainView a = ui.open(db, approver, url, null, 1400, 860);
                Fx.await(
                        "pending",
                        () -> a.approvals().pending().getItems().size() == 1
                                && a.approvals().open().getItems().size() == 3);
                Fx.run(() -> a.approvals().pending().getSelectionModel().select(0));
                robot.clickOn("#approvals-note").write("ok for SUP-1190, one hour");
                Thread.sleep(800);
                ScreenshotTest.save(InspectorUi.stageOf(a), dir.resolve("governance-approval.png"));
                ui.close(a);

                MainView d = ui.open(db, auditor, url, null, 1400, 1000);
                Fx.await(
                        "desk",
                        () -> d.desk().desk() != null
                                && d.tasks().runningProperty().get() == 0);
                Fx.run(() -> d.desk().reveals().getSelectionModel().select(0));
                Thread.sleep(800);
                ScreenshotTest.save(InspectorUi.stageOf(d), dir.resolve("governance-audit-desk.png"));
                ui.close(d);
            }
        }
    }

    /** Runs a governance function as {@code login} (its session user), as that login's own psql would. */
    private static long as(TestDb db, String login, String sql) throws SQLException {
        try (Statement s = db.admin().createStatement()) {
            s.execute("SET SESSION AUTHORIZATION " + login);
            try (var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getObject(1) instanceof Number n ? n.longValue() : 0;
            } finally {
                s.execute("RESET SESSION AUTHORIZATION");
            }
        }
    }
}
