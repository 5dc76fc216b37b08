package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorWindow;
import io.sqspii.inspector.testing.TestDb;
import java.sql.SQLException;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * The tabs follow the login's roles whatever the dataset (user_logins, orders and the test dataset tickets applied):
 * an auditor (pii_auditor only, as the local pipeline's demo_auditor) lands on Audit and has no dataset tab, hence
 * no reveal; a reader that may not read the audit log has no Audit tab.
 */
class RoleTabsUiTest {

    static TestDb db;
    static String auditor;
    static String reader;
    static String analyst;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        db.applyDataset(TestDb.shipped("orders"));
        db.applyDataset(TestDb.testDataset("tickets"));
        db.execute("INSERT INTO pii_access_log (analyst, at, table_name, row_key, column_name, reason)"
                + " VALUES ('alice', now(), 'orders', 'o-1', 'masked_customer_email', 'INC-1')");
        auditor = db.createLogin("pii_auditor", InspectorWindow.PASSWORD);
        reader = db.createLogin("pii_reader", InspectorWindow.PASSWORD);
        analyst = db.createLogin("analyst", InspectorWindow.PASSWORD);
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    static List<String> tabs(InspectorWindow w) {
        return Fx.call(() -> w.main().tabs().getTabs().stream().map(Tab::getText).toList());
    }

    static String selectedTab(InspectorWindow w) {
        return Fx.call(() -> w.main().tabs().getSelectionModel().getSelectedItem().getText());
    }

    static boolean idle(InspectorWindow w) {
        return w.main().tasks().runningProperty().get() == 0;
    }

    static void pick(InspectorWindow w, String name) {
        Fx.run(() -> w.main().datasetPicker().setValue(w.main().datasetPicker().getItems().stream()
                .filter(d -> d.name().equals(name)).findFirst().orElseThrow()));
        Fx.await(name + " shown", () -> w.main().dataset().name().equals(name) && idle(w));
    }

    @Nested
    class Auditor {
        @RegisterExtension
        final InspectorWindow window = InspectorWindow.as(db, auditor).dataset("orders");

        @Test
        void landsOnTheAuditLogAndSeesNoDatasetTabNorRevealWhateverTheDataset(FxRobot robot) {
            assertThat(tabs(window)).containsExactly("Audit");
            assertThat(selectedTab(window)).isEqualTo("Audit");
            @SuppressWarnings("unchecked")
            TableView<Row> log = robot.lookup("#pii_access_log-table").queryAs(TableView.class);
            Fx.await("audit log", () -> log.getItems().size() == 1);
            // the catalog's datasets are there, none readable: choosing any changes nothing
            assertThat(Fx.call(() -> window.main().datasetPicker().getItems().stream().map(Dataset::name).toList()))
                    .contains("orders", "tickets", "user_logins");
            for (String name : List.of("orders", "tickets", "user_logins")) {
                pick(window, name);
                assertThat(tabs(window)).as(name).containsExactly("Audit");
                assertThat(selectedTab(window)).as(name).isEqualTo("Audit");
                assertThat(robot.lookup(".button").queryAllAs(Button.class)).as(name)
                        .noneMatch(b -> b.getId() != null && b.getId().endsWith("-reveal"));
                assertThat(robot.lookup("#" + name + "-table").tryQuery()).as(name).isEmpty();
            }
            robot.clickOn("#datasetRefresh");
            Fx.await("catalog read again", () -> idle(window));
            assertThat(tabs(window)).containsExactly("Audit");
        }
    }

    @Nested
    class Reader {
        @RegisterExtension
        final InspectorWindow window = InspectorWindow.as(db, reader).dataset("tickets");

        @Test
        void seesNoAuditTabAndMayRevealInEveryDataset(FxRobot robot) {
            assertThat(tabs(window)).containsExactly("Overview", "Rows", "Duplicates", "Rejected");
            assertThat(selectedTab(window)).isEqualTo("Rows");
            for (String name : List.of("tickets", "orders", "user_logins")) {
                pick(window, name);
                assertThat(tabs(window)).as(name).doesNotContain("Audit");
                assertThat(robot.lookup("#" + name + "-table").tryQuery()).as(name).isPresent();
                assertThat(robot.lookup("#" + name + "-reveal").tryQuery()).as(name).isPresent();
                // the role is not what blocks: a cell is
                assertThat(Fx.call(() -> robot.lookup("#" + name + "-revealHint").queryLabeled().getText())).as(name)
                        .isEqualTo("Select a cell of a PII column to reveal it.");
            }
        }
    }
}
