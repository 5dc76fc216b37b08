package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/** The connect dialog shows failures as sentences and remembers URL and user, never the password. */
class ConnectViewTest {

    Preferences prefs = Preferences.userRoot().node("io/sqspii/inspector/test-" + UUID.randomUUID());
    ConnectView view;
    final AtomicReference<Session> connected = new AtomicReference<>();

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @BeforeEach
    void start() {
        view = Fx.call(() -> new ConnectView(new RecentConnections(prefs), c -> connected.set(c.session())));
        ui.show(view.root());
    }

    @AfterEach
    void cleanup() throws BackingStoreException {
        if (connected.get() != null) {
            connected.get().close();
        }
        prefs.removeNode();
    }

    /** Types {@code password} into an emptied field: a second fill must not append to the first one's password. */
    private void fill(FxRobot robot, String url, String user, String password) {
        Fx.run(() -> {
            view.url.getEditor().setText(url);
            view.user.getEditor().setText(user);
            view.password.clear();
        });
        robot.clickOn("#connectPassword").write(password);
    }

    private String error() {
        return Fx.call(view.error::getText);
    }

    @Test
    void wrongPasswordIsASentenceInTheDialog(FxRobot robot) throws Exception {
        assumeTrue(
                PasswordCheckingPostgres.available(),
                "needs PostgreSQL server binaries (initdb) for a password-checking server");
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        fill(robot, pg.url(), PasswordCheckingPostgres.SUPERUSER, "wrong-password");
        robot.clickOn("#connectButton");
        Fx.await("error shown", () -> !view.error.getText().isEmpty());
        assertThat(error()).isEqualTo("Wrong user name or password.");
        assertThat(connected.get()).isNull();

        // the right password gets past authentication (this cluster has no schema: the next message)
        Fx.run(view.password::clear);
        robot.clickOn("#connectPassword").write(pg.password());
        robot.clickOn("#connectButton");
        Fx.await("next error", () -> view.error.getText().contains("no table"));
        assertThat(prefs.keys()).doesNotContainAnyElementsOf(java.util.List.of("password"));
        assertThat(String.join(" ", allPrefValues())).doesNotContain(pg.password());
    }

    @Test
    void defaultsPointAtTheLocalPipelinesDatabaseAndRevealService() {
        assertThat(Fx.call(() -> view.url.getValue())).isEqualTo("jdbc:postgresql://localhost:5432/sqspii");
        assertThat(Fx.call(() -> view.revealUrl.getValue())).isEqualTo("http://127.0.0.1:8089");
    }

    @Test
    void aRevealUrlThatIsNotHttpIsToldBeforeConnecting(FxRobot robot) {
        fill(robot, "jdbc:postgresql://127.0.0.1:1/x", "someone", "pw");
        Fx.run(() -> view.revealUrl.getEditor().setText("ftp://somewhere"));
        robot.clickOn("#connectButton");
        Fx.await("error shown", () -> !view.error.getText().isEmpty());
        assertThat(error()).contains("http(s)://host:port");
        Fx.run(() -> view.revealUrl.getEditor().setText("http://alice:secret@127.0.0.1:8089"));
        robot.clickOn("#connectButton");
        Fx.await("credentials refused", () -> view.error.getText().contains("no user name or password"));
    }

    @Test
    void unreachableServerAndMissingTables(FxRobot robot) throws SQLException, java.io.IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        double before = Fx.call(() -> view.root().getScene().getWindow().getHeight());
        fill(robot, "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "someone", "pw");
        robot.clickOn("#connectButton");
        Fx.await("error shown", () -> !view.error.getText().isEmpty());
        assertThat(error()).startsWith("Cannot reach the server");

        try (TestDb empty = TestDb.createEmpty()) {
            fill(robot, empty.url, TestDb.PG_USER, TestDb.PG_PASSWORD);
            robot.clickOn("#connectButton");
            Fx.await("missing tables", () -> view.error.getText().contains("no table pii_access_log"));
            // a long message is shown in full: the label gets the height its wrapped text needs, the dialog grows
            Fx.run(() -> view.root().applyCss());
            Fx.run(() -> view.root().layout());
            assertThat(Fx.call(() -> view.error.getHeight()))
                    .isGreaterThanOrEqualTo(Fx.call(() -> view.error.prefHeight(view.error.getWidth())) - 0.5);
            assertThat(Fx.call(() -> view.error.getHeight()))
                    .isGreaterThan(Fx.call(() -> view.error.getFont().getSize() * 2));
            assertThat(Fx.call(() -> view.root().getScene().getWindow().getHeight()))
                    .isGreaterThan(before);
            assertThat(Fx.call(() -> view.root().getScene().getHeight()))
                    .isGreaterThanOrEqualTo(Fx.call(() -> view.root()
                                    .prefHeight(view.root().getScene().getWidth()))
                            - 0.5);
        }
    }

    @Test
    void successRemembersUrlAndUserButNotThePassword(FxRobot robot) throws Exception {
        try (TestDb db = TestDb.create()) {
            String password = "secret-" + UUID.randomUUID();
            String login = db.createLogin("analyst", password);
            fill(robot, db.url, login, password);
            robot.clickOn("#connectButton");
            Fx.await("connected", () -> connected.get() != null);
            assertThat(connected.get().currentUser()).isEqualTo(login);
            assertThat(Fx.call(() -> view.password.getText())).isEmpty();
            RecentConnections recent = new RecentConnections(prefs);
            assertThat(recent.urls()).containsExactly(db.url);
            assertThat(recent.revealUrls()).containsExactly(RevealClient.DEFAULT_URL);
            assertThat(recent.users()).containsExactly(login);
            assertThat(String.join(" ", allPrefValues())).doesNotContain(password);
            connected.get().close();
            connected.set(null);
        }
    }

    /**
     * Review finding B12 (reveal URL): a plain-http reveal URL off this machine is refused in the dialog
     * before anything connects: no database session is opened, nothing is remembered.
     */
    @Test
    void aPlainHttpRevealUrlOffThisMachineIsRefusedBeforeAnyConnection(FxRobot robot) throws Exception {
        try (TestDb db = TestDb.create()) {
            String login = db.createLogin("pii_reader", "pw");
            fill(robot, db.url, login, "the-password");
            Fx.run(() -> view.revealUrl.getEditor().setText("http://192.0.2.1:8089"));
            robot.clickOn("#connectButton");
            Fx.await("refused", () -> !view.error.getText().isEmpty());
            assertThat(error()).contains("https://").contains("loopback");
            Thread.sleep(500);
            assertThat(connected.get()).isNull();
            assertThat(Fx.call(() -> view.connect.isDisabled())).isFalse();
            assertThat(new RecentConnections(prefs).urls()).isEmpty();
            assertThat(sessionsOf(db, login)).isZero();
        }
    }

    /**
     * Review finding B12 (JDBC URL): pgjdbc takes password= (and sslpassword=) from the URL over the
     * password field, and the URL is remembered in java.util.prefs. A URL that carries one is refused at
     * connect, and the remembered URLs never hold one.
     */
    @Test
    void aPasswordInTheJdbcUrlIsRefusedAndNeverStoredInPreferences(FxRobot robot) throws Exception {
        try (TestDb db = TestDb.create()) {
            String login = db.createLogin("analyst", "pw");
            String secret = "leaked-" + UUID.randomUUID();
            String sep = db.url.contains("?") ? "&" : "?";
            for (String url : java.util.List.of(
                    db.url + sep + "password=" + secret,
                    db.url + sep + "sslmode=disable&sslpassword=" + secret,
                    db.url + sep + "PASSWORD=" + secret,
                    db.url + sep + "user=" + login + "&password=" + secret)) {
                fill(robot, url, login, "");
                robot.clickOn("#connectButton");
                Fx.await("refused " + url, () -> view.error.getText().contains("field"));
                assertThat(error()).doesNotContain(secret);
                Fx.await("idle", () -> !view.connect.isDisabled());
                assertThat(connected.get()).as(url).isNull();
            }
            assertThat(sessionsOf(db, login)).isZero();
            assertThat(String.join(" ", allPrefValues())).doesNotContain(secret);
            // a plain URL still connects, and is remembered as typed
            fill(robot, db.url, login, "pw");
            robot.clickOn("#connectButton");
            Fx.await("connected", () -> connected.get() != null);
            assertThat(new RecentConnections(prefs).urls()).containsExactly(db.url);
            assertThat(String.join(" ", allPrefValues())).doesNotContain(secret);
        }
    }

    private static long sessionsOf(TestDb db, String login) throws SQLException {
        try (var ps = db.admin().prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, login);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private java.util.List<String> allPrefValues() throws BackingStoreException {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String k : prefs.keys()) {
            out.add(prefs.get(k, ""));
        }
        return out;
    }
}
