package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.GovernanceRepository;
import io.sqspii.inspector.model.Grant;
import io.sqspii.inspector.model.Purpose;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The Grants tab of a pii_reader: request a grant (dataset, the columns of the catalog the chosen purpose allows,
 * purpose, duration, ticket, reason) through pii_request_grant; the reader's grants with their state, cells used of
 * the budget and a countdown to expiry; give one up (pii_revoke_grant); and break-glass (pii_break_glass), flagged.
 * The database checks everything again and says why it refuses.
 */
final class GrantsView {

    /** Fewest characters of a break-glass reason (pii_break_glass() in roles.sql refuses fewer). */
    static final int BREAK_GLASS_MIN_REASON = 10;

    static final List<ChronoUnit> UNITS =
            List.of(ChronoUnit.SECONDS, ChronoUnit.MINUTES, ChronoUnit.HOURS, ChronoUnit.DAYS);

    private final GovernanceRepository governance;
    private final DbTasks tasks;
    private final String login;
    private List<Purpose> purposes;
    private Map<String, List<String>> catalog = Map.of();

    private final ComboBox<String> dataset = new ComboBox<>();
    private final ComboBox<Purpose> purpose = new ComboBox<>();
    private final Label purposeInfo = new Label();
    private final FlowPane columns = new FlowPane(8, 4);
    private final Spinner<Integer> amount = new Spinner<>(1, 100_000, 1);
    private final ComboBox<ChronoUnit> unit = new ComboBox<>();
    private final TextField ticket = new TextField();
    private final TextField reason = new TextField();
    private final Button request = new Button("Request grant");
    private final Label requestHint = new Label();
    private final TableView<Grant> table = new TableView<>();
    private final GrantColumns cols;
    private final Button giveUp = new Button("Give up");
    private final TextField breakReason = new TextField();
    private final Button breakGlass = new Button("⚠ Break glass");
    private final Label breakHint = new Label();
    private final ScrollPane root;
    /** When the grants were read (their seconds left are as of then). */
    private long readAt = System.nanoTime();
    /** Columns to check once the purpose's columns are shown (a prefilled request). */
    private List<String> wanted;
    /** A prefilled request waiting for the catalog. */
    private RevealFlow.GrantNeed pending;

    GrantsView(GovernanceRepository governance, DbTasks tasks, String login, List<Purpose> purposes) {
        this.governance = governance;
        this.tasks = tasks;
        this.login = login;
        this.purposes = List.copyOf(purposes);
        cols = new GrantColumns("grants", () -> (System.nanoTime() - readAt) / 1_000_000_000L);

        dataset.setId("grants-dataset");
        dataset.setOnAction(e -> showPurposes());
        purpose.setId("grants-purpose");
        purpose.setPrefWidth(420);
        purpose.setCellFactory(l -> new RevealPanel.PurposeCell());
        purpose.setButtonCell(new RevealPanel.PurposeCell());
        purpose.setOnAction(e -> showColumns());
        purposeInfo.setId("grants-purposeInfo");
        purposeInfo.getStyleClass().add("hint");
        columns.setId("grants-columns");
        amount.setId("grants-amount");
        amount.setEditable(true);
        amount.setPrefWidth(90);
        unit.setId("grants-unit");
        unit.getItems().setAll(UNITS);
        unit.setValue(ChronoUnit.HOURS);
        unit.setCellFactory(l -> new UnitCell());
        unit.setButtonCell(new UnitCell());
        ticket.setId("grants-ticket");
        ticket.setPromptText("e.g. INC-1234 (optional)");
        limit(ticket);
        reason.setId("grants-reason");
        reason.setPromptText("Why you need it (required, audited)");
        limit(reason);
        request.setId("grants-request");
        request.getStyleClass().add("reveal-button");
        request.setOnAction(e -> request());
        requestHint.setId("grants-requestHint");
        requestHint.getStyleClass().add("hint");
        requestHint.setWrapText(true);

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Dataset"), dataset);
        form.addRow(1, new Label("Purpose"), new VBox(2, purpose, purposeInfo));
        form.addRow(2, new Label("Columns"), columns);
        form.addRow(3, new Label("Duration"), new HBox(6, amount, unit));
        form.addRow(4, new Label("Ticket"), ticket);
        form.addRow(5, new Label("Reason"), reason);
        form.addRow(6, new Label(), new HBox(8, request, requestHint));
        GridPane.setHgrow(reason, Priority.ALWAYS);

        table.setId("grants-table");
        table.setPlaceholder(new Label("No grants yet: request one above."));
        table.getColumns()
                .setAll(List.of(
                        cols.id(),
                        cols.purpose(),
                        cols.dataset(),
                        cols.columns(),
                        cols.state(),
                        cols.cells(),
                        cols.expires(),
                        cols.ticket(),
                        cols.decidedBy(),
                        cols.note(),
                        cols.requested()));
        table.setPrefHeight(220);
        GrantColumns.flagRows(table, Grant::breakGlass);
        giveUp.setId("grants-giveUp");
        giveUp.setTooltip(new Tooltip("End the selected grant now (pii_revoke_grant): its remaining cells are lost"));
        giveUp.disableProperty()
                .bind(table.getSelectionModel().selectedItemProperty().isNull());
        giveUp.setOnAction(e -> giveUp());
        Button refresh = new Button("⟳");
        refresh.setId("grants-refresh");
        refresh.setTooltip(new Tooltip("Read your grants again"));
        refresh.setOnAction(e -> refresh());

        breakReason.setId("grants-breakReason");
        breakReason.setPromptText(
                "Emergency: what happened and why it cannot wait (at least " + BREAK_GLASS_MIN_REASON + " characters)");
        limit(breakReason);
        HBox.setHgrow(breakReason, Priority.ALWAYS);
        breakGlass.setId("grants-breakGlass");
        breakGlass.getStyleClass().add("break-glass-button");
        breakGlass
                .disableProperty()
                .bind(dataset.valueProperty()
                        .isNull()
                        .or(javafx.beans.binding.Bindings.createBooleanBinding(
                                () -> breakReason.getText().strip().length() < BREAK_GLASS_MIN_REASON,
                                breakReason.textProperty())));
        breakGlass.setOnAction(e -> breakGlass());
        breakHint.setId("grants-breakHint");
        breakHint.setWrapText(true);
        Label breakTitle = new Label("Break glass — emergency access without an approver");
        breakTitle.getStyleClass().add("title");
        Label breakWarn =
                new Label("Opens at once a grant of purpose " + Purpose.BREAK_GLASS + " for every PII column of the"
                        + " dataset above, with a small budget and a short time. It is flagged in the audit and shown first to"
                        + " the auditors, with your reason.");
        breakWarn.setWrapText(true);
        VBox breakBox = new VBox(6, breakTitle, breakWarn, new HBox(8, breakReason, breakGlass), breakHint);
        breakBox.getStyleClass().add("break-glass-box");
        breakBox.setId("grants-breakBox");

        Label requestTitle = new Label("Request a grant");
        requestTitle.getStyleClass().add("title");
        Label mineTitle = new Label("My grants");
        mineTitle.getStyleClass().add("title");
        HBox mineBar = new HBox(8, giveUp, refresh);
        mineBar.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(10, requestTitle, form, mineTitle, table, mineBar, breakBox);
        box.setPadding(new Insets(10));
        root = new ScrollPane(box);
        root.setFitToWidth(true);

        // the countdown: shown from the server's seconds left, ticking here
        Timeline tick = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> table.refresh()));
        tick.setCycleCount(Animation.INDEFINITE);
        tick.play();
    }

    Node node() {
        return root;
    }

    TableView<Grant> table() {
        return table;
    }

    /** The purposes read again (⟳ in the header). */
    void setPurposes(List<Purpose> all) {
        purposes = List.copyOf(all);
        showPurposes();
    }

    /** Reads the catalog's PII columns and the reader's grants. */
    void refresh() {
        tasks.run("Reading your grants", () -> new Loaded(governance.piiColumns(), governance.grants(true)), l -> {
            if (!l.catalog().equals(catalog)) {
                catalog = l.catalog();
                String keep = dataset.getValue();
                dataset.getItems().setAll(catalog.keySet());
                dataset.setValue(
                        keep != null && catalog.containsKey(keep)
                                ? keep
                                : catalog.isEmpty()
                                        ? null
                                        : catalog.keySet().iterator().next());
                showPurposes();
            }
            readAt = System.nanoTime();
            table.getItems().setAll(l.grants());
            if (pending != null) {
                RevealFlow.GrantNeed need = pending;
                pending = null;
                apply(need);
            }
        });
    }

    private record Loaded(Map<String, List<String>> catalog, List<Grant> grants) {}

    /**
     * The request for a reveal refused for want of a grant: its dataset, purpose and columns chosen, the reason
     * field focused (once the catalog is read).
     */
    void prefill(RevealFlow.GrantNeed need) {
        pending = need;
        refresh();
    }

    private void apply(RevealFlow.GrantNeed need) {
        wanted = need.columns();
        dataset.setValue(need.dataset());
        showPurposes();
        purposes.stream()
                .filter(p ->
                        p.code().equals(need.purpose()) && purpose.getItems().contains(p))
                .findFirst()
                .ifPresent(purpose::setValue);
        showColumns();
        requestHint.setText("A reveal of " + String.join(", ", need.columns()) + " needs a grant for purpose "
                + need.purpose() + ": say why, and request it.");
        reason.requestFocus();
    }

    /** The purposes a reader may request for the dataset chosen: not retired, not break-glass, allowing some column. */
    private void showPurposes() {
        String d = dataset.getValue();
        List<String> all = d == null ? List.of() : catalog.getOrDefault(d, List.of());
        Purpose keep = purpose.getValue();
        List<Purpose> fit = purposes.stream()
                .filter(p -> !p.retired() && !p.isBreakGlass())
                .filter(p -> all.stream().anyMatch(c -> p.allows(d, c)))
                .toList();
        purpose.getItems().setAll(fit);
        purpose.setValue(keep != null && fit.contains(keep) ? keep : fit.size() == 1 ? fit.get(0) : null);
        showColumns();
    }

    /** The dataset's PII columns the chosen purpose allows, all checked (or those a refused reveal named). */
    private void showColumns() {
        String d = dataset.getValue();
        Purpose p = purpose.getValue();
        List<CheckBox> boxes = new ArrayList<>();
        if (d != null && p != null) {
            for (String c : catalog.getOrDefault(d, List.of())) {
                if (p.allows(d, c)) {
                    CheckBox box = new CheckBox(c);
                    box.setMnemonicParsing(false); // column names hold underscores
                    box.setId("grants-column-" + c);
                    box.setSelected(wanted == null || wanted.contains(c));
                    boxes.add(box);
                }
            }
        }
        columns.getChildren().setAll(boxes);
        purposeInfo.setText(
                p == null
                        ? (purpose.getItems().isEmpty() && d != null
                                ? "No purpose allows a PII column of " + d + ": a pii_admin defines purposes."
                                : "Choose a purpose.")
                        : p.description() + " — at most " + Grant.durationText(p.maxDuration()) + " and " + p.maxCells()
                                + " cells a grant; "
                                + (p.needsApproval() ? "an approver decides." : "no approval needed."));
    }

    private List<String> checkedColumns() {
        return columns.getChildren().stream()
                .map(n -> (CheckBox) n)
                .filter(CheckBox::isSelected)
                .map(CheckBox::getText)
                .toList();
    }

    private void request() {
        String d = dataset.getValue();
        Purpose p = purpose.getValue();
        List<String> chosen = checkedColumns();
        String why = reason.getText().strip();
        String problem = d == null
                ? "Choose a dataset."
                : p == null
                        ? "Choose a purpose."
                        : chosen.isEmpty()
                                ? "Check the columns you need."
                                : why.isEmpty() ? "Say why you need them: the reason is audited." : null;
        if (problem != null) {
            requestHint.setText(problem);
            return;
        }
        Duration duration = Duration.of(amount.getValue(), unit.getValue());
        String t = ticket.getText();
        tasks.run(
                "Requesting a grant",
                () -> governance.requestGrant(d, chosen, p.code(), duration, t, why),
                id -> {
                    requestHint.setText("Grant #" + id
                            + (p.needsApproval()
                                    ? " requested: an approver decides it."
                                    : " is active (purpose " + p.code() + " needs no approval)."));
                    reason.clear();
                    ticket.clear();
                    wanted = null;
                    refresh();
                },
                requestHint::setText);
    }

    private void giveUp() {
        Grant g = table.getSelectionModel().getSelectedItem();
        if (g == null) {
            return;
        }
        tasks.run(
                "Giving up grant #" + g.id(),
                () -> {
                    governance.revoke(g.id(), "given up by its requester");
                    return g.id();
                },
                id -> {
                    tasks.statusLabel().setText("Grant #" + id + " given up.");
                    refresh();
                });
    }

    private void breakGlass() {
        String d = dataset.getValue();
        String why = breakReason.getText().strip();
        tasks.run(
                "Breaking the glass",
                () -> governance.breakGlass(d, null, why),
                id -> {
                    breakHint.setText("⚠ Break-glass grant #" + id + " is open for " + d + ": reveal with purpose "
                            + Purpose.BREAK_GLASS + ". Auditors see it first.");
                    breakReason.clear();
                    refresh();
                },
                breakHint::setText);
    }

    private static void limit(TextField f) {
        f.setTextFormatter(new TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= io.sqspii.reveal.api.RevealApi.MAX_REASON ? ch : null));
    }

    /** A time unit as a person says it. */
    private static final class UnitCell extends ListCell<ChronoUnit> {
        @Override
        protected void updateItem(ChronoUnit u, boolean empty) {
            super.updateItem(u, empty);
            setText(empty || u == null ? null : u.toString().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
