package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.KeyDomain;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The tabs follow the login's roles whatever the dataset (user_logins, orders and the test dataset tickets applied):
 * an auditor (pii_auditor only, as the local pipeline's demo_auditor) lands on Audit (its desk) and has no dataset tab, hence
 * no reveal; a reader that may not read the audit log has no Audit tab; an eraser (pii_eraser only) has the Erasure tab
 * alone, with the key domains the catalog's deterministic columns share. A dataset applied while the window is open
 * appears after a refresh and is browsable, filterable, and revealable as the role allows.
 */
class RoleTabsUiTest {

    static TestDb db;
    static String auditor;
    static String reader;
    static String analyst;
    static String eraser;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        db.applyDataset(TestDb.shipped("orders"));
        db.applyDataset(TestDb.testDataset("tickets"));
        db.execute("INSERT INTO pii_access_log (analyst, at, table_name, row_key, column_name, reason)"
                + " VALUES ('alice', now(), 'orders', 'o-1', 'masked_customer_email', 'INC-1')");
        auditor = db.createLogin("pii_auditor", InspectorUi.PASSWORD);
        reader = db.createLogin("pii_reader", InspectorUi.PASSWORD);
        analyst = db.createLogin("analyst", InspectorUi.PASSWORD);
        eraser = db.createLogin("pii_eraser", InspectorUi.PASSWORD);
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    static List<String> tabs(InspectorUi w) {
        return Fx.call(
                () -> w.main().tabs().getTabs().stream().map(Tab::getText).toList());
    }

    static String selectedTab(InspectorUi w) {
        return Fx.call(
                () -> w.main().tabs().getSelectionModel().getSelectedItem().getText());
    }

    static boolean idle(InspectorUi w) {
        return w.main().tasks().runningProperty().get() == 0;
    }

    static void pick(InspectorUi w, String name) {
        Fx.run(() -> w.main()
                .datasetPicker()
                .setValue(w.main().datasetPicker().getItems().stream()
                        .filter(d -> d.name().equals(name))
                        .findFirst()
                        .orElseThrow()));
        Fx.await(name + " shown", () -> w.main().dataset().name().equals(name) && idle(w));
    }

    /** A definition no code names, written here: a deterministic email of domain email, a randomized note, numbers. */
    static Path claimsDataset(Path dir, String name) throws Exception {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("dataset.json"), """
                {"name": "%1$s", "queue": "%1$s-queue", "topic": "%1$s", "dead_letter_topic": "%1$s.dlq",
                 "table": "%1$s", "rejected_table": "%1$s_rejected", "row_key": "sqs.message_id"}
                """.formatted(name));
        Files.writeString(folder.resolve("event.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "io.sqspii.Claim", "type": "object",
                 "additionalProperties": false,
                 "properties": {"email": {"type": "string", "maxLength": 320,
                                          "x-pii": {"mode": "deterministic", "canonical": "email", "domain": "email"}},
                                "note": {"type": ["string", "null"], "maxLength": 200, "x-pii": {"mode": "randomized"}},
                                "kind": {"type": "string", "maxLength": 20},
                                "amount": {"type": "number"}},
                 "required": ["email", "kind", "amount"]}
                """);
        return folder;
    }

    @Nested
    class Auditor {
        @RegisterExtension
        final InspectorUi window = InspectorUi.as(db, auditor).dataset("orders");

        @Test
        void landsOnTheAuditDeskAndSeesNoDatasetTabNorRevealWhateverTheDataset(FxRobot robot) {
            assertThat(tabs(window)).containsExactly("Audit");
            assertThat(selectedTab(window)).isEqualTo("Audit");
            // the desk first, the log next to it
            Fx.await("desk read", () -> window.main().desk().desk() != null);
            robot.clickOn("Log");
            @SuppressWarnings("unchecked")
            TableView<Row> log = robot.lookup("#pii_access_log-table").queryAs(TableView.class);
            Fx.await("audit log", () -> log.getItems().size() == 1);
            // the catalog's datasets are there, none readable: choosing any changes nothing
            assertThat(Fx.call(() -> window.main().datasetPicker().getItems().stream()
                            .map(Dataset::name)
                            .toList()))
                    .contains("orders", "tickets", "user_logins");
            for (String name : List.of("orders", "tickets", "user_logins")) {
                pick(window, name);
                assertThat(tabs(window)).as(name).containsExactly("Audit");
                assertThat(selectedTab(window)).as(name).isEqualTo("Audit");
                assertThat(robot.lookup(".button").queryAllAs(Button.class))
                        .as(name)
                        .noneMatch(b -> b.getId() != null && b.getId().endsWith("-reveal"));
                assertThat(robot.lookup("#" + name + "-table").tryQuery())
                        .as(name)
                        .isEmpty();
            }
            robot.clickOn("#datasetRefresh");
            Fx.await("catalog read again", () -> idle(window));
            assertThat(tabs(window)).containsExactly("Audit");
        }
    }

    @Nested
    class Reader {
        @RegisterExtension
        final InspectorUi window = InspectorUi.as(db, reader).dataset("tickets");

        @Test
        void seesNoAuditTabAndMayRevealInEveryDataset(FxRobot robot) {
            // and Grants, to request what a reveal needs
            assertThat(tabs(window)).containsExactly("Overview", "Rows", "Duplicates", "Rejected", "Grants");
            assertThat(selectedTab(window)).isEqualTo("Rows");
            for (String name : List.of("tickets", "orders", "user_logins")) {
                pick(window, name);
                assertThat(tabs(window)).as(name).doesNotContain("Audit");
                assertThat(robot.lookup("#" + name + "-table").tryQuery())
                        .as(name)
                        .isPresent();
                assertThat(robot.lookup("#" + name + "-reveal").tryQuery())
                        .as(name)
                        .isPresent();
                // the role is not what blocks: a cell is
                assertThat(Fx.call(() -> robot.lookup("#" + name + "-revealHint")
                                .queryLabeled()
                                .getText()))
                        .as(name)
                        .isEqualTo("Select a cell of a PII column to reveal it.");
            }
        }

        @Test
        void aDatasetAppliedWhileOpenIsBrowsableFilterableAndRevealableAfterARefresh(FxRobot robot) throws Exception {
            appliedWhileOpenIsUsable(window, robot, "claims_reader", true);
        }
    }

    @Nested
    class Eraser {
        @RegisterExtension
        final InspectorUi window = InspectorUi.as(db, eraser).dataset("orders");

        @Test
        void landsOnTheErasureTabAloneWithTheKeyDomainsAndWhatEachCovers(FxRobot robot) throws SQLException {
            assertThat(tabs(window)).containsExactly("Erasure");
            assertThat(selectedTab(window)).isEqualTo("Erasure");
            ComboBox<KeyDomain> domains = window.main().erasure().domain();
            Fx.await("domains read", () -> idle(window) && !domains.getItems().isEmpty());
            // pii_catalog() as an eraser may call it: only deterministic places, each domain with its datasets
            List<KeyDomain> read = Fx.call(() -> List.copyOf(domains.getItems()));
            KeyDomain email = read.stream()
                    .filter(d -> d.name().equals("email"))
                    .findFirst()
                    .orElseThrow();
            // (with the claims datasets of other tests here, when they ran first)
            assertThat(email.places())
                    .containsSubsequence(
                            new KeyDomain.Place("orders", "orders", "masked_customer_email", null),
                            new KeyDomain.Place("tickets", "tickets", "masked_reporter_email", null));
            // randomized values (a name, the holder names in items, rejected bodies) cannot be matched: not offered
            assertThat(read)
                    .flatExtracting(KeyDomain::places)
                    .extracting(KeyDomain.Place::column)
                    .doesNotContain("masked_customer_name", "masked_reporter_name", "items")
                    .hasSize(deterministicPlaces());
            assertThat(read).extracting(KeyDomain::name).doesNotHaveDuplicates();
            // the one chosen first, its coverage said
            assertThat(Fx.call(() ->
                            robot.lookup("#erasure-coverage").queryLabeled().getText()))
                    .isEqualTo("Covers " + Fx.call(domains::getValue).coverage() + ".");
            Fx.run(() -> domains.setValue(email));
            assertThat(Fx.call(() ->
                            robot.lookup("#erasure-coverage").queryLabeled().getText()))
                    .contains("orders (orders.masked_customer_email), tickets (tickets.masked_reporter_email)");
            assertThat(Fx.call(() -> robot.lookup("#erasure-erase").query().isDisabled()))
                    .isTrue();
            // no dataset tab (it may read no dataset table, nor the catalog's), also after ⟳
            assertThat(Fx.call(() -> window.main().datasetPicker().getItems())).isEmpty();
            robot.clickOn("#datasetRefresh");
            Fx.await("catalog read again", () -> idle(window));
            assertThat(tabs(window)).containsExactly("Erasure");
        }
    }

    /** The catalog's deterministic and hmac values, as the superuser counts them. */
    static int deterministicPlaces() throws SQLException {
        try (var s = db.admin().createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pii_catalog() WHERE mode IN ('deterministic', 'hmac')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Nested
    class Analyst {
        @RegisterExtension
        final InspectorUi window = InspectorUi.as(db, analyst);

        @Test
        void aDatasetAppliedWhileOpenIsBrowsableAndFilterableButNotRevealableAfterARefresh(FxRobot robot)
                throws Exception {
            assertThat(tabs(window)).containsExactly("Overview", "Rows", "Duplicates", "Rejected");
            appliedWhileOpenIsUsable(window, robot, "claims_analyst", false);
        }
    }

    static void appliedWhileOpenIsUsable(InspectorUi window, FxRobot robot, String name, boolean mayReveal)
            throws Exception {
        Fx.await("first dataset shown", () -> idle(window) && window.main().dataset() != null);
        assertThat(Fx.call(() -> window.main().datasetPicker().getItems().stream()
                        .map(Dataset::name)
                        .toList()))
                .doesNotContain(name);
        db.applyDataset(claimsDataset(tmp, name));
        db.execute("INSERT INTO " + name + " (message_id, masked_email, masked_note, kind, amount, create_date)"
                + " SELECT 'c-' || i, 'AQmail-' || (i % 4), 'AQnote-' || i, (ARRAY['refund', 'damage'])[1 + i % 2], i * 10,"
                + " timestamptz '2026-11-05 10:00Z' + i * interval '1 hour' FROM generate_series(1, 12) i");
        robot.clickOn("#datasetRefresh");
        Fx.await(
                name + " offered",
                () -> idle(window)
                        && window.main().datasetPicker().getItems().stream()
                                .anyMatch(d -> d.name().equals(name)));
        pick(window, name);
        robot.clickOn("Rows");
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#" + name + "-table").queryAs(TableView.class);
        Fx.await("rows", () -> t.getItems().size() == 12 && idle(window));
        assertThat(Fx.call(() -> t.getItems().get(0).key())).isEqualTo("c-12");

        // filters generated from its columns: amount at least 50, kind contains "dam"
        robot.clickOn("#" + name + "-filter-amount-min").write("50");
        robot.clickOn("#" + name + "-filter-kind-text").write("dam").type(KeyCode.ENTER);
        // damage: i odd; amount >= 50: i >= 5 → 5, 7, 9, 11
        Fx.await("filtered", () -> idle(window) && t.getItems().size() == 4);
        assertThat(Fx.call(() -> t.getItems().stream().map(Row::key).toList()))
                .containsExactly("c-11", "c-9", "c-7", "c-5");

        // reveal as the role allows: a reader is blocked only until a cell and a reason are given
        String hint = "#" + name + "-revealHint";
        Fx.run(() -> {
            t.getSelectionModel().clearSelection();
            t.getSelectionModel().select(0, Fx.column(t, "masked_note"));
            t.requestFocus();
        });
        robot.clickOn("#" + name + "-reason").write("INC-9");
        Fx.run(() -> t.getSelectionModel().select(0, Fx.column(t, "masked_note")));
        Button reveal = robot.lookup("#" + name + "-reveal").queryAs(Button.class);
        if (mayReveal) {
            Fx.await("reveal possible", () -> !reveal.isDisabled());
            assertThat(Fx.call(() -> robot.lookup(hint).queryLabeled().getText()))
                    .doesNotContain("pii_reader");
        } else {
            assertThat(Fx.call(reveal::isDisabled)).isTrue();
            assertThat(Fx.call(() -> robot.lookup(hint).queryLabeled().getText()))
                    .isEqualTo("Reveal needs the pii_reader role: login " + analyst + " may not execute pii_reveal.");
        }
        long audited = db.countAudit();
        assertThat(audited)
                .isEqualTo(1); // nothing revealed here: the real service's reveal is RevealThroughServiceIT's
    }
}
