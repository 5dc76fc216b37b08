package io.sqspii.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Reveal end to end in the window, as a pii_reader login with the dev keys (headless). */
@ExtendWith(ApplicationExtension.class)
class RevealUiTest {

    static TestDb db;
    static List<SeedData.Login> seeded;
    static String reader;

    MainView main;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        seeded = SeedData.logins(db, 12, Masking.real());
        Masking.seedRejected(db);
        reader = db.createLogin("pii_reader", "pw");
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Start
    void start(Stage stage) {
        Session session = Session.open(db.settings(reader, "pw"));
        main = new MainView(session, db.url, Masking.keyRing(), new UiSettings(50, Duration.seconds(2), w -> null));
        Scene scene = Styles.styled(new Scene(main.root(), 1200, 700));
        main.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        main.start();
    }

    @AfterEach
    void close() {
        Fx.run(main::close);
    }

    @Test
    void revealWritesTheAuditRowShowsThePlaintextAndHidesItAgain(FxRobot robot) throws SQLException {
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == 12);
        Button reveal = robot.lookup("#user_logins-reveal").queryAs(Button.class);
        SeedData.Login newest = seeded.get(11);

        selectIp(t, 0);
        assertThat(Fx.call(reveal::isDisabled)).isTrue();
        assertThat(text(robot, "#user_logins-revealHint")).contains("reason");
        robot.clickOn("#user_logins-reason").write("INC-1: fraud check");
        Fx.await("enabled", () -> !reveal.isDisabled());
        long before = db.countAudit();
        robot.clickOn("#user_logins-reveal");
        Fx.await("revealed", () -> revealedText(robot).equals(newest.ip()));
        assertThat(db.countAudit()).isEqualTo(before + 1);
        try (PreparedStatement ps = db.admin().prepareStatement(
                "SELECT analyst, table_name, row_key, column_name, reason FROM pii_access_log ORDER BY id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                    .containsExactly(reader, "user_logins", newest.messageId(), "masked_ip", "INC-1: fraud check");
        }

        // another selection hides it at once
        selectIp(t, 1);
        Fx.await("hidden on selection change", () -> revealedText(robot).isEmpty()
                && !robot.lookup("#user_logins-revealedBox").query().isVisible());

        // Ctrl+R reveals the new selection; the timeout hides it again
        robot.press(KeyCode.CONTROL, KeyCode.R).release(KeyCode.R, KeyCode.CONTROL);
        Fx.await("revealed by Ctrl+R", () -> revealedText(robot).equals(seeded.get(10).ip()));
        assertThat(db.countAudit()).isEqualTo(before + 2);
        Fx.await("hidden after the timeout", () -> revealedText(robot).isEmpty());
        // the cell itself only ever shows ciphertext
        assertThat(Fx.call(() -> t.getItems().get(1).text("masked_ip"))).isEqualTo(seeded.get(10).maskedIp());
    }

    @Test
    void rejectedBodyIsRevealedInItsTab(FxRobot robot) throws SQLException {
        robot.clickOn("Rejected");
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins_rejected-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == 2);
        int row = Fx.call(() -> "rej-1".equals(t.getItems().get(0).key()) ? 0 : 1);
        Fx.run(() -> t.getSelectionModel().select(row, t.getColumns().get(TableSpec.REJECTED.indexOf("encrypted_body"))));
        robot.clickOn("#user_logins_rejected-reason").write("parser bug report");
        long before = db.countAudit();
        robot.clickOn("#user_logins_rejected-reveal");
        Fx.await("body revealed", () -> Masking.REJECTED_BODY.equals(
                robot.lookup("#user_logins_rejected-revealed").queryTextInputControl().getText()));
        assertThat(db.countAudit()).isEqualTo(before + 1);
    }

    private static void selectIp(TableView<Row> t, int row) {
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(row, t.getColumns().get(TableSpec.LOGINS.indexOf("masked_ip")));
            t.requestFocus();
        });
    }

    private static String revealedText(FxRobot robot) {
        return robot.lookup("#user_logins-revealed").queryTextInputControl().getText();
    }

    private static String text(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id).queryLabeled().getText());
    }
}
