package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The rough edges of daily use (issue 17), on 1,250 logins and a few rejected messages, as an analyst:
 * paging keeps the keyboard focus and does not move, Last page, thousands separators, typed dates,
 * Rejected filters, disconnect, window title, export folder, a readable selected PII cell.
 */
class DailyUseUiTest {

    static final int ROWS = 1250;
    static final int PAGE = 100;

    static TestDb db;
    static String analyst;
    volatile boolean disconnected;

    @RegisterExtension
    final InspectorUi window = InspectorUi.as(db, analyst).pageSize(PAGE).onDisconnect(() -> disconnected = true);

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        // msg-00000 is the oldest; one login a minute from 2026-11-02 00:00 UTC
        db.execute("INSERT INTO user_logins SELECT format('msg-%s', lpad(i::text, 5, '0')), format('user-%s', i % 40),"
                + " (ARRAY['android','ios','web'])[1 + i % 3], 'AQip' || (i % 97), 'AQdev' || (i % 131), 'RU', '2.3.0',"
                + " timestamptz '2026-11-02 00:00:00+00' + i * interval '1 minute' FROM generate_series(0, "
                + (ROWS - 1) + ") i");
        db.execute("INSERT INTO user_logins_rejected VALUES"
                + " ('r-1', 'invalid JSON: unexpected end of input', 'AQb1', '2026-11-02 10:00+00'),"
                + " ('r-2', 'missing required field: ip', 'AQb2', '2026-11-03 10:00+00'),"
                + " ('r-3', 'missing required field: device_id', 'AQb3', '2026-11-04 10:00+00')");
        analyst = db.createLogin("analyst", "pw");
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Test
    void pagingKeepsTheFocusInThePagerAndThePagerDoesNotMove(FxRobot robot) {
        TableView<Row> t = loaded(robot);
        Button next = robot.lookup("#user_logins-next").queryAs(Button.class);
        double x = Fx.call(() -> next.localToScene(0, 0).getX());
        robot.clickOn(next);
        Fx.await("page 2", () -> firstKey(t).equals("msg-01149") && idle());
        assertThat(focusId()).isEqualTo("user_logins-next");
        // Space on the focused button pages on: no jump to Export
        robot.type(KeyCode.SPACE);
        Fx.await("page 3", () -> firstKey(t).equals("msg-01049") && idle());
        assertThat(focusId()).isEqualTo("user_logins-next");
        assertThat(text(robot, "#user_logins-page")).isEqualTo("Page 3 of 13 · rows 201–300");

        robot.clickOn("#user_logins-last");
        Fx.await("last page", () -> t.getItems().size() == 50 && idle());
        assertThat(keys(t)).first().isEqualTo("msg-00049");
        assertThat(keys(t)).last().isEqualTo("msg-00000");
        assertThat(text(robot, "#user_logins-page")).isEqualTo("Page 13 of 13 · rows 1,201–1,250");
        assertThat(text(robot, "#user_logins-count")).isEqualTo("1,250 rows");
        // Last became disabled under the focus: the focus moved to Prev, not out of the pager
        assertThat(focusId()).isEqualTo("user_logins-prev");
        assertThat(Fx.call(() -> next.localToScene(0, 0).getX())).isEqualTo(x);

        robot.type(KeyCode.SPACE);
        Fx.await("page 12", () -> t.getItems().size() == PAGE && idle());
        assertThat(keys(t)).first().isEqualTo("msg-00149");
        assertThat(keys(t)).last().isEqualTo("msg-00050");
        assertThat(text(robot, "#user_logins-page")).isEqualTo("Page 12 of 13 · rows 1,101–1,200");
        assertThat(Fx.call(() -> next.localToScene(0, 0).getX())).isEqualTo(x);
    }

    @Test
    void typedDatesAreUsedOrTheirErrorIsShown(FxRobot robot) {
        TableView<Row> t = loaded(robot);
        robot.clickOn("#user_logins-filter-create_date-from")
                .write("2026-13-45")
                .type(KeyCode.ENTER);
        Fx.await(
                "parse error shown",
                () -> text(robot, "#user_logins-filterError").contains("“2026-13-45” is not a date"));
        assertThat(text(robot, "#user_logins-count")).isEqualTo("1,250 rows");

        Fx.run(() -> {
            window.main().rowsFilter().from("create_date").getEditor().setText("2026-11-03");
            window.main().rowsFilter().to("create_date").getEditor().setText("2026-11-02");
        });
        robot.clickOn("#user_logins-applyFilter");
        Fx.await(
                "range error shown",
                () -> text(robot, "#user_logins-filterError").contains("is after the “to” date"));

        // an ISO date typed by hand is used (2026-11-02 holds the first 1,440 minutes: every row up to msg-01249)
        Fx.run(() -> window.main().rowsFilter().from("create_date").getEditor().setText(""));
        robot.clickOn("#user_logins-applyFilter");
        Fx.await("to-only filter", () -> text(robot, "#user_logins-filterError").isEmpty() && idle());
        Fx.run(() -> {
            window.main().rowsFilter().from("create_date").getEditor().setText("2026-11-02");
            window.main().rowsFilter().to("create_date").getEditor().setText("");
        });
        Fx.run(() -> window.main().rowsFilter().textMatch.setValue(FilterPane.EQUALS));
        robot.clickOn("#user_logins-filter-user_id-text").write("user-7").type(KeyCode.ENTER);
        Fx.await("filtered", () -> "32 rows".equals(text(robot, "#user_logins-count")));
        assertThat(Fx.call(() -> t.getItems().stream().allMatch(r -> "user-7".equals(r.text("user_id")))))
                .isTrue();
        // Esc in a field clears every filter
        robot.clickOn("#user_logins-filter-user_id-text").type(KeyCode.ESCAPE);
        Fx.await("cleared", () -> "1,250 rows".equals(text(robot, "#user_logins-count")));
    }

    @Test
    void rejectedFiltersByErrorTextAndDate(FxRobot robot) {
        loaded(robot);
        robot.clickOn("Rejected");
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins_rejected-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == 3 && idle());
        robot.clickOn("#user_logins_rejected-filter-error-text")
                .write("missing required field")
                .type(KeyCode.ENTER);
        Fx.await("error filter", () -> keys(t).equals(List.of("r-3", "r-2")) && idle());
        Fx.run(() ->
                window.main().rejectedFilter().to("create_date").getEditor().setText("2026-11-03"));
        robot.clickOn("#user_logins_rejected-applyFilter");
        Fx.await("error and date", () -> keys(t).equals(List.of("r-2")) && idle());
        Fx.run(() ->
                window.main().rejectedFilter().from("create_date").getEditor().setText("yesterday"));
        robot.clickOn("#user_logins_rejected-applyFilter");
        Fx.await("error", () -> text(robot, "#user_logins_rejected-filterError").contains("not a date"));
    }

    @Test
    void disconnectClosesTheSessionAndTheTitleNamesDatabaseAndLogin(FxRobot robot) throws SQLException {
        loaded(robot);
        assertThat(window.main().title()).isEqualTo(db.name + " as " + analyst);
        assertThat(sessionsOf(analyst)).isEqualTo(1);
        assertThat(Fx.call(() -> robot.lookup("#disconnectButton")
                        .queryAs(Button.class)
                        .getTooltip()
                        .getText()))
                .contains(MainView.DISCONNECT_KEY.getDisplayText());
        robot.clickOn("#disconnectButton");
        Fx.await("back to the connect dialog", () -> disconnected);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> sessionsOf(analyst) == 0);
    }

    @Test
    void aSelectedPiiCellIsReadable(FxRobot robot) {
        TableView<Row> t = loaded(robot);
        Fx.run(() -> {
            t.getSelectionModel().select(0, Fx.column(t, "masked_ip"));
            t.requestFocus();
        });
        Fx.await("selected cell styled", () -> selectedPiiCells(robot).size() == 1);
        Fx.run(() -> t.getScene().getRoot().applyCss());
        assertThat(Fx.call(() -> ((Labeled) selectedPiiCells(robot).get(0)).getTextFill()))
                .isEqualTo(Color.WHITE);
    }

    @Test
    void exportOpensInDocumentsOrHomeNeverInTheWorkingDirectory(@TempDir Path home) throws Exception {
        String saved = System.getProperty("user.home");
        try {
            System.setProperty("user.home", home.toString());
            assertThat(UiSettings.defaultExportFolder()).isEqualTo(home);
            Files.createDirectory(home.resolve("Documents"));
            assertThat(UiSettings.defaultExportFolder()).isEqualTo(home.resolve("Documents"));
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private TableView<Row> loaded(FxRobot robot) {
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
        Fx.await(
                "first page and count",
                () -> t.getItems().size() == PAGE
                        && idle()
                        && "1,250 rows"
                                .equals(robot.lookup("#user_logins-count")
                                        .queryLabeled()
                                        .getText()));
        return t;
    }

    private boolean idle() {
        return window.main().tasks().runningProperty().get() == 0;
    }

    private String focusId() {
        return Fx.call(() -> {
            Node n = window.main().root().getScene().getFocusOwner();
            return n == null ? null : n.getId();
        });
    }

    private static String firstKey(TableView<Row> t) {
        return t.getItems().isEmpty() ? "" : (String) t.getItems().get(0).key();
    }

    private static List<String> keys(TableView<Row> t) {
        return Fx.call(() -> t.getItems().stream().map(r -> (String) r.key()).toList());
    }

    private static String text(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id).queryLabeled().getText());
    }

    private static List<Node> selectedPiiCells(FxRobot robot) {
        List<Node> out = new ArrayList<>();
        for (Node n : robot.lookup(".pii-cell").queryAll()) {
            if (n instanceof TableCell<?, ?> c && c.isSelected()) {
                out.add(n);
            }
        }
        return out;
    }

    private static long sessionsOf(String login) throws SQLException {
        try (PreparedStatement ps =
                db.admin().prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
