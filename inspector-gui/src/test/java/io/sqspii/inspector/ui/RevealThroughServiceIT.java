package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.SeedData;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealServer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * The inspector reveals through a RUNNING reveal service (started in-process with the dev keysets of
 * connect-config/dev/keys), on rows encrypted with those keysets by the crypto core exactly as the
 * pipeline's SMT stores them: the plaintext in the window equals the original, and the database
 * holds the audit row. The inspector itself still has no key (it only talks HTTP).
 */
class RevealThroughServiceIT {

    static final Path KEYS = DevRevealService.KEYS;
    static final String BODY = "{\"user_id\":\"424cdd21-063a-43a7-b91b-7ca1a833afae\",\"ip\":\"199.172.111.135\"";

    static TestDb db;
    static RevealServer service;
    static List<SeedData.Login> seeded;
    static String reader;

    @RegisterExtension
    final InspectorUi window =
            InspectorUi.as(db, reader).pageSize(50).revealService(service.uri().toString());

    @BeforeAll
    static void startService() throws SQLException {
        db = TestDb.createCheckingPasswords(); // the service refuses the trusting test server
        PiiCipher logins = PiiCipher.forKeyset(
                KeysetSource.cleartextFile(KEYS.resolve("pii-deterministic.json")),
                CipherMode.DETERMINISTIC,
                "user_logins");
        PiiCipher rejected = PiiCipher.forKeyset(
                KeysetSource.cleartextFile(KEYS.resolve("pii-randomized.json")),
                CipherMode.RANDOMIZED,
                "user_logins_rejected");
        seeded = SeedData.logins(db, 12, logins::encrypt);
        db.insertRejected(
                "rej-1", "invalid JSON: unexpected end of input", rejected.encrypt("body", BODY), SeedData.T0);
        // a row written under a key the service does not hold (another keyset): it cannot be decrypted
        PiiCipher foreign = PiiCipher.forHandle(
                Keysets.generate(CipherMode.DETERMINISTIC), CipherMode.DETERMINISTIC, "user_logins");
        db.insertLogin(
                "msg-foreign",
                "user-x",
                "web",
                foreign.encrypt("ip", "10.9.9.9"),
                null,
                "RU",
                "2.3.0",
                SeedData.T0.minusDays(1));
        reader = db.createLogin("pii_reader", "pw");
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
    void revealedTextEqualsTheOriginalAndTheAuditRowIsThere(FxRobot robot) throws SQLException {
        TableView<Row> t = logins(robot);
        SeedData.Login newest = seeded.get(11);
        select(t, "masked_ip", 0);
        long before = db.countAudit();
        double pagerY = Fx.call(() ->
                robot.lookup("#user_logins-pager").query().localToScene(0, 0).getY());
        // Enter in the reason field reveals
        robot.clickOn("#user_logins-reason").write("INC-1: fraud check").type(KeyCode.ENTER);
        Fx.await("revealed", () -> newest.ip().equals(revealed(robot)));
        assertThat(db.countAudit()).isEqualTo(before + 1);
        assertThat(lastAudit())
                .containsExactly(
                        reader, "user_logins", newest.messageId(), "masked_ip", "INC-1: fraud check", "revealed");
        // the reveal panel shows below without moving the pager
        assertThat(Fx.call(() -> robot.lookup("#user_logins-pager")
                        .query()
                        .localToScene(0, 0)
                        .getY()))
                .isEqualTo(pagerY);
        // the reason is cleared: the next reveal needs its own
        assertThat(Fx.call(() -> window.main().rows().reasonField().getText())).isEmpty();
        // the cell itself still shows ciphertext only
        assertThat(Fx.call(() -> t.getItems().get(0).text("masked_ip"))).isEqualTo(newest.maskedIp());
        // and the status line never carried the plaintext
        assertThat(Fx.call(() -> window.main().tasks().statusLabel().getText())).doesNotContain(newest.ip());

        // a device id through Ctrl+R
        select(t, "masked_device_id", 1);
        robot.clickOn("#user_logins-reason").write("INC-2");
        select(t, "masked_device_id", 1);
        robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        Fx.await("device id revealed", () -> seeded.get(10).deviceId().equals(revealed(robot)));
    }

    @Test
    void aSharedDeterministicValueSaysHowManyRowsItExposesBeforeRevealing(FxRobot robot) throws SQLException {
        TableView<Row> t = logins(robot);
        // msg-0009 (row 2, newest first) shares its IP with msg-0004
        select(t, "masked_ip", 2);
        assertThat(Fx.call(() -> t.getItems().get(2).key())).isEqualTo("msg-0009");
        long before = db.countAudit();
        robot.clickOn("#user_logins-reason").write("INC-3").type(KeyCode.ENTER);
        DialogPane dialog = confirmation(robot);
        assertThat(Fx.call(dialog::getContentText))
                .contains("masked_ip of msg-0009")
                .contains("2 rows");
        robot.clickOn(button(dialog, "Reveal"));
        Fx.await("revealed", () -> SeedData.SHARED_IP.equals(revealed(robot)));
        assertThat(db.countAudit()).isEqualTo(before + 1);
        assertThat(text(robot, "#user_logins-revealedBox .label")).contains("2 rows share");
    }

    @Test
    void moreThanThreeCellsAskFirstAndCancelRevealsNothing(FxRobot robot) throws SQLException {
        TableView<Row> t = logins(robot);
        // rows 5..9 (msg-0006 .. msg-0002): no shared IP among them
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            for (int r = 5; r <= 9; r++) {
                t.getSelectionModel().select(r, Fx.column(t, "masked_ip"));
            }
            t.requestFocus();
        });
        long before = db.countAudit();
        robot.clickOn("#user_logins-reason").write("INC-4").type(KeyCode.ENTER);
        DialogPane dialog = confirmation(robot);
        assertThat(Fx.call(dialog::getHeaderText)).isEqualTo("Reveal 5 values?");
        robot.clickOn(button(dialog, "Cancel"));
        Fx.await(
                "dialog closed",
                () -> robot.lookup("#revealConfirmation").tryQuery().isEmpty());
        assertThat(db.countAudit()).isEqualTo(before);
        assertThat(revealed(robot)).isEmpty();
        assertThat(text(robot, "#user_logins-revealHint")).isEqualTo("Nothing revealed.");

        robot.clickOn("#user_logins-reveal");
        robot.clickOn(button(confirmation(robot), "Reveal"));
        Fx.await("five revealed", () -> revealed(robot).lines().count() == 5);
        assertThat(db.countAudit()).isEqualTo(before + 5);
        for (int i = 2; i <= 6; i++) {
            assertThat(revealed(robot)).contains(seeded.get(i).ip());
        }
    }

    @Test
    void hidingTheRevealedTextTakesItOffTheClipboard(FxRobot robot) {
        TableView<Row> t = logins(robot);
        SeedData.Login l = seeded.get(8);
        select(t, "masked_ip", 3);
        robot.clickOn("#user_logins-reason").write("INC-5").type(KeyCode.ENTER);
        Fx.await("revealed", () -> l.ip().equals(revealed(robot)));
        // the analyst copies the revealed text out of the panel
        TextArea area = robot.lookup("#user_logins-revealed").queryAs(TextArea.class);
        Fx.run(() -> {
            area.selectAll();
            area.copy();
        });
        assertThat(Fx.call(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(l.ip());
        // another selection hides it, and the clipboard no longer holds it
        select(t, "user_id", 4);
        Fx.await("hidden", () -> revealed(robot).isEmpty());
        assertThat(Fx.call(() -> Clipboard.getSystemClipboard().hasString())).isFalse();

        // something else on the clipboard is left alone
        select(t, "masked_ip", 3);
        robot.clickOn("#user_logins-reason").write("INC-6").type(KeyCode.ENTER);
        Fx.await("revealed again", () -> l.ip().equals(revealed(robot)));
        Fx.run(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString("ticket text");
            Clipboard.getSystemClipboard().setContent(c);
        });
        select(t, "user_id", 4);
        Fx.await("hidden again", () -> revealed(robot).isEmpty());
        assertThat(Fx.call(() -> Clipboard.getSystemClipboard().getString())).isEqualTo("ticket text");
    }

    @Test
    void aRejectedBodyIsRevealedInItsTab(FxRobot robot) throws SQLException {
        robot.clickOn("Rejected");
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins_rejected-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == 1);
        Fx.run(() -> t.getSelectionModel().select(0, Fx.column(t, "encrypted_body")));
        robot.clickOn("#user_logins_rejected-reason").write("parser bug report").type(KeyCode.ENTER);
        Fx.await(
                "body revealed",
                () -> BODY.equals(robot.lookup("#user_logins_rejected-revealed")
                        .queryTextInputControl()
                        .getText()));
        assertThat(lastAudit())
                .containsExactly(
                        reader, "user_logins_rejected", "rej-1", "encrypted_body", "parser bug report", "revealed");
    }

    @Test
    void aValueTheServiceCannotDecryptIsShownWithItsReasonAndAuditedAsFailed(FxRobot robot) throws SQLException {
        TableView<Row> t = logins(robot);
        assertThat(Fx.call(() -> t.getItems().get(12).key())).isEqualTo("msg-foreign");
        select(t, "masked_ip", 12);
        robot.clickOn("#user_logins-reason").write("INC-7").type(KeyCode.ENTER);
        Fx.await("answer shown", () -> revealed(robot).startsWith("masked_ip of msg-foreign: not revealed — "));
        assertThat(revealed(robot)).contains("no key").doesNotContain("10.9.9.9");
        assertThat(text(robot, "#user_logins-revealedBox .label")).contains("1 failed");
        assertThat(lastAudit()).containsExactly(reader, "user_logins", "msg-foreign", "masked_ip", "INC-7", "failed");
    }

    @Test
    void aRequestOverTheServicesCellCapIsRefusedWithItsMessage(FxRobot robot) throws SQLException {
        TableView<Row> t = logins(robot);
        // 12 rows x 2 PII columns = 24 cells; the service takes at most 20 per request
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            for (int r = 0; r < 12; r++) {
                t.getSelectionModel().select(r, Fx.column(t, "masked_ip"));
                t.getSelectionModel().select(r, Fx.column(t, "masked_device_id"));
            }
            t.requestFocus();
        });
        long before = db.countAudit();
        robot.clickOn("#user_logins-reason").write("INC-8").type(KeyCode.ENTER);
        robot.clickOn(button(confirmation(robot), "Reveal"));
        Fx.await("refusal shown", () -> text(robot, "#user_logins-revealHint").startsWith("Reveal refused: "));
        assertThat(text(robot, "#user_logins-revealHint")).contains("20");
        assertThat(db.countAudit()).isEqualTo(before);
        assertThat(revealed(robot)).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------

    private TableView<Row> logins(FxRobot robot) {
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
        // the 12 seeded rows, newest first, then the foreign row (a day older)
        Fx.await(
                "rows",
                () -> t.getItems().size() == 13
                        && window.main().tasks().runningProperty().get() == 0);
        return t;
    }

    private static void select(TableView<Row> t, String column, int row) {
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(row, Fx.column(t, column));
            t.requestFocus();
        });
    }

    private static DialogPane confirmation(FxRobot robot) {
        Fx.await(
                "confirmation shown",
                () -> robot.lookup("#revealConfirmation").tryQuery().isPresent());
        return robot.lookup("#revealConfirmation").queryAs(DialogPane.class);
    }

    private static Node button(DialogPane dialog, String text) {
        return Fx.call(() -> {
            for (ButtonType type : dialog.getButtonTypes()) {
                if (type.getText().equals(text)) {
                    return (Button) dialog.lookupButton(type);
                }
            }
            throw new AssertionError("no button " + text);
        });
    }

    private static String revealed(FxRobot robot) {
        return Fx.call(() ->
                robot.lookup("#user_logins-revealed").queryTextInputControl().getText());
    }

    private static String text(FxRobot robot, String query) {
        return Fx.call(() -> robot.lookup(query).queryLabeled().getText());
    }

    private static List<String> lastAudit() throws SQLException {
        try (PreparedStatement ps = db.admin()
                        .prepareStatement(
                                "SELECT analyst, table_name, row_key, column_name, reason, outcome FROM pii_access_log ORDER BY id DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                out.add(rs.getString(i));
            }
            return out;
        }
    }
}
