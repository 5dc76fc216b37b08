package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.DeskCsv;
import io.sqspii.inspector.data.GovernanceRepository;
import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.Grant;
import java.io.File;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiFunction;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The auditor's desk (pii_auditor): for a period, the reveals with break-glass ones first and flagged, off-hours
 * ones marked (outside {@link AuditDesk#WORKDAY_START}–{@link AuditDesk#WORKDAY_END} server time); selecting a
 * reveal shows its grant and who approved it; reveals per reader and day, per purpose and per dataset; every grant
 * with its state, budget use and the times it crossed 80 % and 100 %; the erasures of data subjects (and their
 * counts), each with its eraser, subject token and rows per dataset; the audit chain head to check with
 * {@code pii-keys audit verify}; the whole review as CSV.
 */
final class AuditDeskView {

    /** The periods offered; the first is the default. */
    static final List<Duration> PERIODS =
            List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1), Duration.ofDays(365));

    static final String VERIFY = "verify with pii-keys audit verify";

    private final GovernanceRepository governance;
    private final DbTasks tasks;
    private final BiFunction<Window, String, File> chooseTarget;
    private final ComboBox<Duration> period = new ComboBox<>();
    private final Label head = new Label("Audit chain head: …");
    private final Label summary = new Label();
    private final TableView<AuditDesk.Reveal> reveals = new TableView<>();
    private final Label grantOfReveal = new Label("Select a reveal to see its grant and who approved it.");
    private final TableView<AuditDesk.ReaderDay> perDay = new TableView<>();
    private final TableView<AuditDesk.Count> byPurpose = new TableView<>();
    private final TableView<AuditDesk.Count> byDataset = new TableView<>();
    private final TableView<AuditDesk.GrantUse> grants = new TableView<>();
    private final TableView<AuditDesk.Erasure> erasures = new TableView<>();
    private final ScrollPane root;
    private AuditDesk desk;

    AuditDeskView(GovernanceRepository governance, DbTasks tasks, BiFunction<Window, String, File> chooseTarget) {
        this.governance = governance;
        this.tasks = tasks;
        this.chooseTarget = chooseTarget;
        GrantColumns c = new GrantColumns("desk", () -> 0);

        period.setId("desk-period");
        period.getItems().setAll(PERIODS);
        period.setValue(PERIODS.get(0));
        period.setCellFactory(l -> new PeriodCell());
        period.setButtonCell(new PeriodCell());
        period.setOnAction(e -> refresh());
        Button refresh = new Button("⟳");
        refresh.setId("desk-refresh");
        refresh.setTooltip(new Tooltip("Read the audit log, the grants and the chain head again"));
        refresh.setOnAction(e -> refresh());
        Button export = new Button("Export review CSV…");
        export.setId("desk-export");
        export.setTooltip(new Tooltip("Write this review (every section below, the chain head too) as one CSV"));
        export.setOnAction(e -> export());
        head.setId("desk-head");
        head.getStyleClass().add("chain-head");
        summary.setId("desk-summary");
        summary.setWrapText(true);
        HBox bar = new HBox(8, new Label("Period: the last"), period, refresh, export);
        bar.setAlignment(Pos.CENTER_LEFT);

        reveals.setId("desk-reveals");
        reveals.setPlaceholder(new Label("No reveal in this period."));
        reveals.getColumns()
                .setAll(List.of(
                        c.<AuditDesk.Reveal>column(
                                "flags",
                                "Flags",
                                190,
                                r -> (r.breakGlass() ? "⚠ BREAK-GLASS " : "") + (r.offHours() ? "off-hours" : "")),
                        c.<AuditDesk.Reveal>column("at", "At", 140, r -> GrantColumns.TIME.format(r.at())),
                        c.<AuditDesk.Reveal>column("reader", "Reader", 120, AuditDesk.Reveal::reader),
                        c.<AuditDesk.Reveal>column("dataset", "Dataset", 90, AuditDesk.Reveal::dataset),
                        c.<AuditDesk.Reveal>column(
                                "column", "Column", 160, r -> r.column() + (r.path() == null ? "" : " " + r.path())),
                        c.<AuditDesk.Reveal>column("row", "Row", 90, AuditDesk.Reveal::rowKey),
                        c.<AuditDesk.Reveal>column(
                                "purpose", "Purpose", 100, r -> r.purpose() == null ? "" : r.purpose()),
                        c.<AuditDesk.Reveal>column("reason", "Reason", 180, AuditDesk.Reveal::reason),
                        c.<AuditDesk.Reveal>column("outcome", "Outcome", 70, AuditDesk.Reveal::outcome),
                        c.<AuditDesk.Reveal>column(
                                "grant", "Grant", 60, r -> r.grantId() == null ? "" : "#" + r.grantId()),
                        c.<AuditDesk.Reveal>column("approver", "Approved by", 110, this::approverOf)));
        reveals.setPrefHeight(260);
        GrantColumns.flagRows(reveals, AuditDesk.Reveal::breakGlass);
        grantOfReveal.setId("desk-grantOfReveal");
        grantOfReveal.setWrapText(true);
        grantOfReveal.getStyleClass().add("grant-detail");
        reveals.getSelectionModel().selectedItemProperty().addListener((o, before, r) -> showGrantOf(r));

        perDay.setId("desk-perDay");
        perDay.getColumns()
                .setAll(List.of(
                        c.<AuditDesk.ReaderDay>column(
                                "day", "Day", 90, d -> d.day().toString()),
                        c.<AuditDesk.ReaderDay>column("reader", "Reader", 120, AuditDesk.ReaderDay::reader),
                        c.<AuditDesk.ReaderDay>column("reveals", "Reveals", 60, AuditDesk.ReaderDay::reveals),
                        c.<AuditDesk.ReaderDay>column("cells", "Cells", 60, AuditDesk.ReaderDay::cells)));
        counts(byPurpose, c, "desk-byPurpose", "Purpose");
        counts(byDataset, c, "desk-byDataset", "Dataset");
        for (TableView<?> t : List.of(perDay, byPurpose, byDataset)) {
            t.setPrefHeight(170);
            t.setPlaceholder(new Label("None."));
            HBox.setHgrow(t, Priority.ALWAYS);
        }

        grants.setId("desk-grants");
        grants.setPlaceholder(new Label("No grant in this period."));
        grants.getColumns()
                .setAll(List.of(
                        c.<AuditDesk.GrantUse>column(
                                "id", "#", 50, u -> u.grant().id()),
                        c.<AuditDesk.GrantUse>column(
                                "requester", "Requester", 120, u -> u.grant().requester()),
                        c.<AuditDesk.GrantUse>column(
                                "purpose",
                                "Purpose",
                                110,
                                u -> (u.grant().breakGlass() ? "⚠ " : "")
                                        + u.grant().purpose()),
                        c.<AuditDesk.GrantUse>column(
                                "dataset", "Dataset", 90, u -> u.grant().dataset()),
                        c.<AuditDesk.GrantUse>column(
                                "columns",
                                "Columns",
                                170,
                                u -> String.join(", ", u.grant().columns())),
                        c.<AuditDesk.GrantUse>column(
                                "state", "State", 70, u -> u.grant().state().label()),
                        c.<AuditDesk.GrantUse>column("approver", "Approved by", 120, u -> approver(u.grant())),
                        c.<AuditDesk.GrantUse>column(
                                "cells", "Cells used", 80, u -> u.grant().budgetText()),
                        c.<AuditDesk.GrantUse>column("reached80", "80 % at", 130, u -> time(u.reached80())),
                        c.<AuditDesk.GrantUse>column("reached100", "100 % at", 130, u -> time(u.reached100())),
                        c.<AuditDesk.GrantUse>column(
                                "ticket",
                                "Ticket",
                                80,
                                u -> u.grant().ticket() == null ? "" : u.grant().ticket()),
                        c.<AuditDesk.GrantUse>column(
                                "reason", "Reason", 180, u -> u.grant().reason())));
        grants.setPrefHeight(220);
        GrantColumns.flagRows(grants, u -> u.grant().breakGlass());

        erasures.setId("desk-erasures");
        erasures.setPlaceholder(new Label("No erasure in this period."));
        erasures.getColumns()
                .setAll(List.of(
                        c.<AuditDesk.Erasure>column("at", "At", 140, x -> GrantColumns.TIME.format(x.at())),
                        c.<AuditDesk.Erasure>column("eraser", "Eraser", 120, AuditDesk.Erasure::eraser),
                        c.<AuditDesk.Erasure>column("event", "Event", 80, x -> x.erased() ? "erased" : "counted"),
                        c.<AuditDesk.Erasure>column("rows", "Rows per dataset", 200, AuditDesk.Erasure::rowsText),
                        c.<AuditDesk.Erasure>column("token", "Subject token", 230, AuditDesk.Erasure::subjectToken),
                        c.<AuditDesk.Erasure>column("reason", "Reason", 180, AuditDesk.Erasure::reason),
                        c.<AuditDesk.Erasure>column("seq", "Chain #", 60, AuditDesk.Erasure::seq)));
        erasures.setPrefHeight(160);

        VBox box = new VBox(
                8,
                bar,
                head,
                summary,
                title("Reveals — break-glass first"),
                reveals,
                grantOfReveal,
                new HBox(
                        8,
                        section("Reveals per reader and day", perDay),
                        section("By purpose", byPurpose),
                        section("By dataset", byDataset)),
                title("Grants and their budgets"),
                grants,
                title("Erasures of data subjects — the subject by its token, never its value"),
                erasures);
        box.setPadding(new Insets(10));
        box.getStyleClass().add("desk");
        root = new ScrollPane(box);
        root.setFitToWidth(true);
    }

    Node node() {
        return root;
    }

    TableView<AuditDesk.Reveal> reveals() {
        return reveals;
    }

    TableView<AuditDesk.GrantUse> grants() {
        return grants;
    }

    TableView<AuditDesk.Erasure> erasures() {
        return erasures;
    }

    /** The desk as last read. */
    AuditDesk desk() {
        return desk;
    }

    /** Reads the period chosen. */
    void refresh() {
        OffsetDateTime since = OffsetDateTime.now().minus(period.getValue());
        tasks.run("Reading the audit desk", () -> governance.desk(since), this::show);
    }

    private void show(AuditDesk d) {
        desk = d;
        head.setText(
                d.head() == null
                        ? "Audit chain: no row yet."
                        : "Audit chain head: #" + d.head().seq() + "  sha256 "
                                + d.head().sha256() + " — " + VERIFY);
        long breakGlass =
                d.reveals().stream().filter(AuditDesk.Reveal::breakGlass).count();
        long offHours = d.reveals().stream().filter(AuditDesk.Reveal::offHours).count();
        summary.setText(String.format(
                        "%,d reveals (%s%,d off-hours, outside %s–%s %s). Grants: %d pending, %d active,"
                                + " %d used up, %d expired, %d revoked, %d rejected.",
                        d.reveals().size(),
                        breakGlass > 0 ? "⚠ " + breakGlass + " break-glass, " : "",
                        offHours,
                        AuditDesk.WORKDAY_START,
                        AuditDesk.WORKDAY_END,
                        d.zone(),
                        d.grantsIn(Grant.State.PENDING),
                        d.grantsIn(Grant.State.ACTIVE),
                        d.grantsIn(Grant.State.USED_UP),
                        d.grantsIn(Grant.State.EXPIRED),
                        d.grantsIn(Grant.State.REVOKED),
                        d.grantsIn(Grant.State.REJECTED))
                + String.format(
                        " Erasures: %d (%,d rows deleted), %d counts.",
                        d.erasures().stream().filter(AuditDesk.Erasure::erased).count(),
                        d.erasures().stream()
                                .filter(AuditDesk.Erasure::erased)
                                .mapToLong(AuditDesk.Erasure::rows)
                                .sum(),
                        d.erasures().stream().filter(x -> !x.erased()).count())
                + (d.reveals().size() >= GovernanceRepository.MAX_REVEALS
                        ? " Only the first " + GovernanceRepository.MAX_REVEALS
                                + " reveals are listed; the counts cover all."
                        : ""));
        AuditDesk.Reveal selected = reveals.getSelectionModel().getSelectedItem();
        reveals.getItems().setAll(d.reveals());
        perDay.getItems().setAll(d.perReaderDay());
        byPurpose.getItems().setAll(d.byPurpose());
        byDataset.getItems().setAll(d.byDataset());
        grants.getItems().setAll(d.grants());
        erasures.getItems().setAll(d.erasures());
        // the reveal under review stays selected when the desk is read again
        d.reveals().stream()
                .filter(r -> selected != null && r.id() == selected.id())
                .findFirst()
                .ifPresentOrElse(r -> reveals.getSelectionModel().select(r), () -> showGrantOf(null));
    }

    /** A reveal's grant and approver, and that grant selected in the grants table. */
    private void showGrantOf(AuditDesk.Reveal r) {
        if (r == null || desk == null) {
            grantOfReveal.setText("Select a reveal to see its grant and who approved it.");
            return;
        }
        AuditDesk.GrantUse u = r.grantId() == null
                ? null
                : desk.grants().stream()
                        .filter(x -> x.grant().id() == r.grantId())
                        .findFirst()
                        .orElse(null);
        if (u == null) {
            grantOfReveal.setText("Reveal #" + r.id()
                    + (r.grantId() == null
                            ? ": no grant (written before grants existed)."
                            : ": grant #" + r.grantId() + " (outside this period)."));
            return;
        }
        Grant g = u.grant();
        grantOfReveal.setText((g.breakGlass() ? "⚠ BREAK-GLASS " : "") + "Reveal #" + r.id() + " under grant #" + g.id()
                + ": requested by " + g.requester() + " for " + g.purpose() + " on " + g.dataset() + " ("
                + String.join(", ", g.columns()) + ")" + (g.ticket() == null ? "" : ", ticket " + g.ticket())
                + ", reason \"" + g.reason() + "\"; " + approver(g)
                + (g.decidedAt() == null ? "" : " at " + GrantColumns.TIME.format(g.decidedAt()))
                + (g.note() == null ? "" : " (\"" + g.note() + "\")") + "; " + g.budgetText() + " cells, "
                + g.state().label()
                + ".");
        grants.getSelectionModel().select(u);
        grants.scrollTo(u);
    }

    private String approverOf(AuditDesk.Reveal r) {
        if (r.approver() != null) {
            return r.approver();
        }
        return r.grantId() == null ? "" : r.breakGlass() ? "none (break-glass)" : "none needed";
    }

    private static String approver(Grant g) {
        return g.decidedBy() != null
                ? "approved by " + g.decidedBy()
                : g.breakGlass()
                        ? "no approver (break-glass)"
                        : g.decidedAt() != null ? "no approver (purpose needs none)" : "not decided";
    }

    private void export() {
        if (desk == null) {
            return;
        }
        File target = chooseTarget.apply(
                root.getScene() == null ? null : root.getScene().getWindow(), "audit-review.csv");
        if (target == null) {
            return;
        }
        File absolute = target.getAbsoluteFile();
        AuditDesk d = desk;
        tasks.run(
                "Exporting the review to " + absolute,
                () -> DeskCsv.write(d, absolute.toPath()),
                n -> tasks.statusLabel().setText(String.format("Exported the review (%,d rows) to %s", n, absolute)));
    }

    private static void counts(TableView<AuditDesk.Count> t, GrantColumns c, String id, String what) {
        t.setId(id);
        t.getColumns()
                .setAll(List.of(
                        c.<AuditDesk.Count>column("name", what, 110, AuditDesk.Count::name),
                        c.<AuditDesk.Count>column("reveals", "Reveals", 60, AuditDesk.Count::reveals),
                        c.<AuditDesk.Count>column("cells", "Cells", 60, AuditDesk.Count::cells)));
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : GrantColumns.TIME.format(t);
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title");
        return l;
    }

    private static VBox section(String text, TableView<?> t) {
        VBox v = new VBox(4, title(text), t);
        HBox.setHgrow(v, Priority.ALWAYS);
        return v;
    }

    /** A period as "30 days". */
    private static final class PeriodCell extends ListCell<Duration> {
        @Override
        protected void updateItem(Duration d, boolean empty) {
            super.updateItem(d, empty);
            setText(empty || d == null ? null : d.toDays() == 1 ? "24 hours" : d.toDays() + " days");
        }
    }
}
