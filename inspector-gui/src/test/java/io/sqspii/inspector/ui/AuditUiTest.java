package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import java.sql.SQLException;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/** The Audit tab's log for a login with the pii_auditor role (and analyst, to browse too). */
class AuditUiTest {

    static TestDb db;
    static String auditor;

    @RegisterExtension
    final InspectorUi window = InspectorUi.as(db, auditor).pageSize(2);

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        for (int i = 1; i <= 3; i++) {
            db.execute("INSERT INTO pii_access_log (analyst, at, table_name, row_key, column_name, reason)"
                    + " VALUES ('alice', now(), 'user_logins', 'msg-000" + i + "', 'masked_ip', 'INC-" + i + "')");
        }
        auditor = db.createLogin("pii_auditor", "pw");
        db.execute("GRANT analyst TO " + auditor);
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Test
    void auditLogIsListedNewestFirstAndPaged(FxRobot robot) {
        robot.clickOn("Audit");
        // the log is the Audit tab's second tab, after the desk
        robot.clickOn("Log");
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#pii_access_log-table").queryAs(TableView.class);
        Fx.await("first page", () -> t.getItems().size() == 2);
        assertThat(Fx.call(
                        () -> t.getItems().stream().map(r -> r.text("reason")).toList()))
                .containsExactly("INC-3", "INC-2");
        assertThat(Fx.call(() -> t.getItems().get(0).text("analyst"))).isEqualTo("alice");
        // the outcome the reveal service recorded is shown too ('pending' until it reports)
        assertThat(Fx.call(() -> t.getItems().get(0).text("outcome"))).isEqualTo("pending");
        robot.clickOn("#pii_access_log-next");
        Fx.await(
                "second page",
                () -> t.getItems().size() == 1
                        && "INC-1".equals(t.getItems().get(0).text("reason")));
        // no reveal controls on a table without PII
        assertThat(robot.lookup("#pii_access_log-reveal").tryQuery()).isEmpty();
    }
}
