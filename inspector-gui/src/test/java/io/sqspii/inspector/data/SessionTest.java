package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.testing.TestDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Connection failures become messages for the dialog, never stack traces. */
class SessionTest {

    @Test
    void unreachableServer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConnectionSettings settings =
                new ConnectionSettings("jdbc:postgresql://127.0.0.1:" + port + "/x", "someone", "pw".toCharArray());
        assertThatThrownBy(() -> Session.open(settings))
                .isInstanceOf(InspectorException.class)
                .hasMessageStartingWith("Cannot reach the server");
        assertThat(settings.password()).containsOnly('\0');
    }

    @Test
    void unknownLoginAndDatabase() throws SQLException {
        try (TestDb db = TestDb.create()) {
            // a server that checks passwords does not say whether the login exists
            assertThatThrownBy(() -> Session.open(db.settings("no_such_login_" + db.name, "pw")))
                    .isInstanceOf(InspectorException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .containsAnyOf("refused this login", "Wrong user name or password"));
            String login = db.createLogin("analyst", "pw");
            assertThatThrownBy(() -> Session.open(
                            new ConnectionSettings(TestDb.urlFor(db.name + "_gone"), login, "pw".toCharArray())))
                    .isInstanceOf(InspectorException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void missingTables() throws SQLException {
        try (TestDb db = TestDb.createEmpty()) {
            assertThatThrownBy(() -> Session.open(db.settings(TestDb.PG_USER, TestDb.PG_PASSWORD)))
                    .isInstanceOf(InspectorException.class)
                    .hasMessageContaining("no table pii_access_log");
        }
    }

    @Test
    void notAPostgresUrl() {
        assertThatThrownBy(() -> Session.open(new ConnectionSettings("jdbc:mysql://h/db", "u", new char[0])))
                .isInstanceOf(InspectorException.class)
                .hasMessageContaining("Not a PostgreSQL JDBC URL");
    }

    @Test
    void privilegesComeFromTheServer() throws SQLException {
        try (TestDb db = TestDb.create()) {
            String reader = db.createLogin("pii_reader", "pw");
            String analyst = db.createLogin("analyst", "pw");
            try (Session r = Session.open(db.settings(reader, "pw"));
                    Session a = Session.open(db.settings(analyst, "pw"))) {
                assertThat(r.currentUser()).isEqualTo(reader);
                assertThat(r.canReveal()).isTrue();
                assertThat(a.canReveal()).isFalse();
                assertThat(a.canReadAudit()).isFalse();
            }
        }
    }

    /**
     * Review finding B12: a credential in the JDBC URL (which pgjdbc prefers over the fields, and which the
     * dialog would remember) is refused before the driver opens a connection: the listening server sees none.
     */
    @Test
    void aPasswordInTheJdbcUrlIsRefusedBeforeTheDriverConnects() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            String base = "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/x";
            for (String url : java.util.List.of(
                    base + "?password=hunter2",
                    base + "?ssl=true&sslpassword=hunter2",
                    base + "?Password=hunter2",
                    base + "?user=mallory",
                    "jdbc:postgresql://bob:hunter2@127.0.0.1:" + server.getLocalPort() + "/x")) {
                ConnectionSettings settings = new ConnectionSettings(url, "someone", "pw".toCharArray());
                assertThatThrownBy(() -> Session.open(settings))
                        .as(url)
                        .isInstanceOf(InspectorException.class)
                        .hasMessageContaining("not in the JDBC URL")
                        .hasMessageNotContaining("hunter2")
                        .hasMessageNotContaining("mallory");
                assertThat(settings.password()).containsOnly('\0');
                assertThat(settings.toString()).doesNotContain("hunter2");
                assertThatThrownBy(server::accept)
                        .as("a connection for " + url)
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }
}
