package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.SeedData;
import io.sqspii.inspector.testing.TestDb;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/** The main window on a seeded database, headless (Monocle), as an analyst without reveal rights. */
class InspectorUiTest {

    static final int ROWS = 25;
    static final int PAGE = 10;

    static TestDb db;
    static List<SeedData.Login> seeded;
    static String analyst;
    static final Map<String, String> tokens = new HashMap<>();

    @TempDir
    static Path tmp;

    static File exportFile;

    volatile boolean disconnected;

    @RegisterExtension
    final InspectorUi window =
            InspectorUi.as(db, analyst).pageSize(PAGE).exportTo(exportFile).onDisconnect(() -> disconnected = true);

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        // opaque stored values: the browsing views never decrypt (reveal is covered with real keys elsewhere)
        seeded = SeedData.logins(
                db, ROWS, (field, value) -> tokens.computeIfAbsent(field + value, k -> "AQ" + UUID.randomUUID()));
        analyst = db.createLogin("analyst", "pw");
        exportFile = tmp.resolve("export.csv").toFile();
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @SuppressWarnings("unchecked")
    static TableView<Row> logins(FxRobot robot) {
        return robot.lookup("#user_logins-table").queryAs(TableView.class);
    }

    static List<String> keys(TableView<Row> t) {
        return Fx.call(() -> t.getItems().stream().map(r -> (String) r.key()).toList());
    }

    static String text(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id).queryLabeled().getText());
    }

    @Test
    void tableShowsSeededRowsAndPages(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        Fx.await(
                "row count",
                () -> "25 rows"
                        .equals(robot.lookup("#user_logins-count")
                                .queryLabeled()
                                .getText()));
        // newest first: msg-0024 .. msg-0015
        assertThat(keys(t)).first().isEqualTo("msg-0024");
        assertThat(keys(t)).last().isEqualTo("msg-0015");
        SeedData.Login l = seeded.get(24);
        Row first = Fx.call(() -> t.getItems().get(0));
        assertThat(first.text("user_id")).isEqualTo(l.userId());
        assertThat(first.text("masked_ip")).isEqualTo(l.maskedIp());

        robot.clickOn("#user_logins-next");
        Fx.await(
                "page 2",
                () -> !t.getItems().isEmpty() && t.getItems().get(0).key().equals("msg-0014"));
        List<String> page2 = keys(t);
        assertThat(text(robot, "#user_logins-page")).startsWith("Page 2");
        robot.clickOn("#user_logins-next");
        Fx.await("page 3", () -> t.getItems().size() == 5);
        assertThat(keys(t)).containsExactly("msg-0004", "msg-0003", "msg-0002", "msg-0001", "msg-0000");
        assertThat(Fx.call(() ->
                        robot.lookup("#user_logins-next").queryAs(Button.class).isDisabled()))
                .isTrue();
        robot.clickOn("#user_logins-prev");
        Fx.await(
                "back to page 2",
                () -> t.getItems().size() == PAGE && t.getItems().get(0).key().equals("msg-0014"));
        assertThat(keys(t)).isEqualTo(page2);
    }

    @Test
    void sortingAHeaderReordersOnTheServer(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        javafx.scene.Node header = robot.lookup("#user_logins-col-message_id")
                .match((javafx.scene.Node n) -> n.getStyleClass().contains("column-header"))
                .query();
        robot.clickOn(header, javafx.scene.input.MouseButton.PRIMARY);
        Fx.await(
                "sorted by message_id asc",
                () -> t.getItems().size() == PAGE && t.getItems().get(0).key().equals("msg-0000"));
        assertThat(keys(t))
                .containsExactly(
                        "msg-0000",
                        "msg-0001",
                        "msg-0002",
                        "msg-0003",
                        "msg-0004",
                        "msg-0005",
                        "msg-0006",
                        "msg-0007",
                        "msg-0008",
                        "msg-0009");
    }

    @Test
    void filterByUser(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        String user = seeded.get(2).userId();
        robot.clickOn("#user_logins-filter-user_id-text").write(user);
        robot.clickOn("#user_logins-applyFilter");
        Fx.await(
                "filtered",
                () -> t.getItems().stream().allMatch(r -> user.equals(r.text("user_id")))
                        && !t.getItems().isEmpty());
        long expected = seeded.stream().filter(l -> l.userId().equals(user)).count();
        Fx.await(
                "count",
                () -> (expected + " rows")
                        .equals(robot.lookup("#user_logins-count")
                                .queryLabeled()
                                .getText()));
        assertThat(t.getItems()).hasSize((int) expected);
    }

    @Test
    void duplicatesViewListsTheSeededGroupAndOpensItsRows(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        robot.clickOn("Duplicates");
        @SuppressWarnings("unchecked")
        TableView<DuplicateGroup> groups = robot.lookup("#duplicates-table").queryAs(TableView.class);
        Fx.await("groups", () -> groups.getItems().size() == 2);
        String sharedDevice = tokens.get("device_id" + SeedData.SHARED_DEVICE);
        DuplicateGroup device = Fx.call(() -> groups.getItems().get(0));
        assertThat(device.column()).isEqualTo("masked_device_id");
        assertThat(device.value()).isEqualTo(sharedDevice);
        assertThat(device.rows()).isEqualTo(3);
        assertThat(device.firstSeen()).isEqualTo(seeded.get(3).createDate());
        assertThat(device.lastSeen()).isEqualTo(seeded.get(13).createDate());
        DuplicateGroup ip = Fx.call(() -> groups.getItems().get(1));
        assertThat(ip.column()).isEqualTo("masked_ip");
        assertThat(ip.value()).isEqualTo(tokens.get("ip" + SeedData.SHARED_IP));
        assertThat(ip.rows()).isEqualTo(2);

        // a Logins filter that excludes the group must not hide it when the group is opened
        robot.clickOn("Rows");
        robot.clickOn("#user_logins-filter-device_type-text")
                .write("no-such-device")
                .type(KeyCode.ENTER);
        Fx.await("filtered to nothing", () -> t.getItems().isEmpty());
        robot.clickOn("Duplicates");
        robot.doubleClickOn("3");
        Fx.await("group rows in Logins", () -> t.getItems().size() == 3);
        assertThat(keys(t)).containsExactly("msg-0013", "msg-0008", "msg-0003");
        assertThat(text(robot, "#user_logins-groupFilter")).startsWith("Duplicate group: masked_device_id");
        assertThat(Fx.call(() -> robot.lookup("#user_logins-filter-device_type-text")
                        .queryTextInputControl()
                        .getText()))
                .isEmpty();

        // Enter on a selected group opens it too
        robot.clickOn("Duplicates");
        Fx.run(() -> {
            groups.getSelectionModel().select(1);
            groups.requestFocus();
        });
        robot.type(KeyCode.ENTER);
        Fx.await("ip group rows in Logins", () -> t.getItems().size() == 2);
        assertThat(keys(t)).containsExactly("msg-0009", "msg-0004");
    }

    @Test
    void revealIsDisabledWithTheReasonForAnAnalyst(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        Fx.run(() -> t.getSelectionModel().select(0, Fx.column(t, "masked_ip")));
        robot.clickOn("#user_logins-reason").write("ticket 42");
        assertThat(Fx.call(() -> robot.lookup("#user_logins-reveal")
                        .queryAs(Button.class)
                        .isDisabled()))
                .isTrue();
        assertThat(text(robot, "#user_logins-revealHint")).contains("pii_reader");
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.R)
                .release(javafx.scene.input.KeyCode.R, javafx.scene.input.KeyCode.CONTROL);
        assertThat(Fx.call(
                        () -> robot.lookup("#user_logins-revealedBox").query().isVisible()))
                .isFalse();
        assertThat(Fx.call(() -> robot.lookup("#user_logins-revealed")
                        .queryTextInputControl()
                        .getText()))
                .isEmpty();
    }

    @Test
    void exportWritesTheFilteredViewAsCsvWithMaskedValues(FxRobot robot) throws Exception {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        robot.clickOn("#user_logins-filter-device_type-text").write("ios");
        robot.clickOn("#user_logins-applyFilter");
        Fx.await(
                "filtered",
                () -> !t.getItems().isEmpty()
                        && t.getItems().stream().allMatch(r -> "ios".equals(r.text("device_type"))));
        robot.clickOn("#user_logins-export");
        Fx.await(
                "exported",
                () -> robot.lookup("#statusLabel").queryLabeled().getText().startsWith("Exported"));

        List<String> lines = Files.readAllLines(exportFile.toPath(), StandardCharsets.UTF_8);
        assertThat(lines.get(0))
                .isEqualTo("message_id,user_id,device_type,masked_ip,masked_device_id,locale,app_version,create_date");
        List<SeedData.Login> ios =
                seeded.stream().filter(l -> l.deviceType().equals("ios")).toList();
        assertThat(lines).hasSize(ios.size() + 1);
        assertThat(text(robot, "#statusLabel"))
                .isEqualTo("Exported " + ios.size() + " rows to " + exportFile.getAbsolutePath());
        // newest first, as on screen; PII as stored ciphertext, never the clear values
        SeedData.Login newest = ios.get(ios.size() - 1);
        assertThat(lines.get(1))
                .isEqualTo(String.join(
                        ",",
                        newest.messageId(),
                        newest.userId(),
                        "ios",
                        newest.maskedIp(),
                        newest.maskedDeviceId(),
                        newest.locale() == null ? "" : newest.locale(),
                        newest.appVersion(),
                        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                                .format(newest.createDate())));
        String all = String.join("\n", lines);
        for (SeedData.Login l : seeded) {
            assertThat(all).doesNotContain(l.ip()).doesNotContain(l.deviceId());
        }
    }

    @Test
    void cancelStopsABlockedQueryOnTheServer(FxRobot robot) throws Exception {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        Fx.await("idle", () -> window.main().tasks().runningProperty().get() == 0);
        try (Connection locker = DriverManager.getConnection(db.url, TestDb.PG_USER, TestDb.PG_PASSWORD)) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE user_logins IN ACCESS EXCLUSIVE MODE");
            }
            robot.clickOn("#user_logins-applyFilter");
            Fx.await("busy", () -> window.main().tasks().runningProperty().get() > 0);
            Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> activeQueries(analyst) == 1);
            assertThat(Fx.call(() -> robot.lookup("#progress").query().isVisible()))
                    .isTrue();

            robot.clickOn("#cancelButton");
            Fx.await(
                    "nothing running",
                    () -> window.main().tasks().runningProperty().get() == 0);
            // the statement was cancelled on the server while the lock is still held
            Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> activeQueries(analyst) == 0);
            assertThat(text(robot, "#statusLabel")).containsIgnoringCase("cancelled");
            locker.rollback();
        }
        // and the window still works
        robot.clickOn("#user_logins-applyFilter");
        Fx.await(
                "reloaded",
                () -> t.getItems().size() == PAGE
                        && window.main().tasks().runningProperty().get() == 0);
    }

    static long activeQueries(String login) throws SQLException {
        try (PreparedStatement ps = db.admin()
                .prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND state = 'active'")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void keyboardShortcutsFocusTheFilterAndCopyStoredValues(FxRobot robot) {
        TableView<Row> t = logins(robot);
        Fx.await("first page", () -> t.getItems().size() == PAGE);
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        Fx.await(
                "filter focused",
                () -> "user_logins-filter-message_id-text"
                        .equals(t.getScene().getFocusOwner().getId()));

        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(0, Fx.column(t, "message_id"));
            t.getSelectionModel().select(0, Fx.column(t, "masked_ip"));
            t.requestFocus();
        });
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        SeedData.Login newest = seeded.get(ROWS - 1);
        Fx.await(
                "copied",
                () -> (newest.messageId() + "\t" + newest.maskedIp())
                        .equals(Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void anAnalystHasNoAuditTabAndTheHeaderSaysWhy(FxRobot robot) {
        assertThat(Fx.call(() -> window.main().tabs().getTabs().stream()
                        .map(javafx.scene.control.Tab::getText)
                        .toList()))
                .containsExactly("Overview", "Rows", "Duplicates", "Rejected");
        assertThat(robot.lookup(".label").queryAllAs(Label.class))
                .anyMatch(l -> l.getText().equals("no audit log access"));
    }
}
