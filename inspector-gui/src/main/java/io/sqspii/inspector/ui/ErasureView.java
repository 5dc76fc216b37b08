package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.GovernanceRepository;
import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.KeyDomain;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.reveal.api.ErasureResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The Erasure tab of a pii_eraser: a data subject named by one identifying value in a key domain of the PII catalog
 * (the domains with deterministic places, and which datasets and columns each covers). <em>Find</em> has the reveal
 * service count the subject's rows in every dataset of the domain ({@code confirm} false); <em>Erase</em>, enabled
 * only after a Find of the same domain, value and reason that found rows, asks with those counts and then has them
 * deleted ({@code confirm} true). Both are audit chain events naming the subject by a token, never by the value.
 *
 * <p>The value is typed into a masked field, sent in the request body only, never shown, logged or put in a message,
 * and cleared once used: after an erasure, after a Find that found nothing, by Clear, and when the window closes.
 */
final class ErasureView {

    /** docs/governance.md "What remains elsewhere", in short: what an erasure here does not reach. */
    static final String REMAINS = "What remains elsewhere: Kafka topics keep the subject's records (ciphertext) until"
            + " their retention (retention.ms of each dataset's topic and dead-letter topic); rejected messages are"
            + " stored whole and randomized-encrypted, so they cannot be matched (bound them by retention, or by message"
            + " id); values written under an earlier primary key have another ciphertext (run pii-keys reencrypt after a"
            + " rotation, then erase); another key domain the subject appears in needs its own erasure; backups keep the"
            + " rows until they expire. See docs/governance.md.";

    static final String NEEDS_FIND =
            "Find first: Erase deletes what a Find of the same domain, value and reason found.";

    /** A Find's inputs and answer: what Erase may delete (any change of the inputs forgets it). */
    private record Found(String domain, ErasureResponse answer) {}

    private final GovernanceRepository governance;
    private final DbTasks tasks;
    private final RevealClient service;
    private final String login;
    private final ComboBox<KeyDomain> domain = new ComboBox<>();
    private final Label coverage = new Label();
    private final PasswordField value = new PasswordField();
    private final TextField reason = new TextField();
    private final Button find = new Button("Find");
    private final Button erase = new Button("Erase…");
    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label hint = new Label(NEEDS_FIND);
    private final Label summary = new Label();
    private final TableView<ErasureResponse.Rows> rows = new TableView<>();
    private final Label token = new Label();
    private final Label auditRow = new Label();
    private final Label remains = new Label(REMAINS);
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final ObjectProperty<Found> found = new SimpleObjectProperty<>();
    private final ScrollPane root;

    ErasureView(GovernanceRepository governance, DbTasks tasks, RevealClient service, String login) {
        this.governance = governance;
        this.tasks = tasks;
        this.service = service;
        this.login = login;

        domain.setId("erasure-domain");
        domain.setCellFactory(l -> new DomainCell());
        domain.setButtonCell(new DomainCell());
        domain.valueProperty()
                .addListener((o, before, d) -> coverage.setText(d == null ? "" : "Covers " + d.coverage() + "."));
        domain.setPlaceholder(new Label("No key domain has a deterministic column in the PII catalog."));
        Button reload = new Button("⟳");
        reload.setId("erasure-refresh");
        reload.setTooltip(new Tooltip("Read the key domains of the PII catalog again"));
        reload.setOnAction(e -> refresh());
        coverage.setId("erasure-coverage");
        coverage.setWrapText(true);
        coverage.getStyleClass().add("hint");
        value.setId("erasure-value");
        value.setPromptText("e.g. the e-mail address the request names (masked; cleared once used)");
        Button clear = new Button("Clear");
        clear.setId("erasure-clear");
        clear.setTooltip(new Tooltip("Clear the value and the result"));
        clear.setOnAction(e -> clear());
        reason.setId("erasure-reason");
        reason.setPromptText("The request and its reference, e.g. GDPR request 2026-117 (required; audited)");
        reason.setTextFormatter(new TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= RevealClient.MAX_REASON_LENGTH ? ch : null));
        // a Find stands for its inputs only
        domain.valueProperty().addListener((o, a, b) -> found.set(null));
        value.textProperty().addListener((o, a, b) -> found.set(null));
        reason.textProperty().addListener((o, a, b) -> found.set(null));

        find.setId("erasure-find");
        find.setTooltip(
                new Tooltip("Count the subject's rows in every dataset of the domain (nothing is deleted; audited)"));
        find.disableProperty()
                .bind(running.or(domain.valueProperty().isNull())
                        .or(value.textProperty().isEmpty())
                        .or(Bindings.createBooleanBinding(() -> reason.getText().isBlank(), reason.textProperty())));
        find.setOnAction(e -> find());
        // Enter in the value or the reason finds, as the button would (Erase is never a key press away)
        value.setOnAction(e -> find.fire());
        reason.setOnAction(e -> find.fire());
        erase.setId("erasure-erase");
        erase.getStyleClass().add("break-glass-button");
        erase.setTooltip(new Tooltip("Delete the rows Find counted, after you confirm (audited)"));
        erase.disableProperty()
                .bind(running.or(Bindings.createBooleanBinding(
                        () -> found.get() == null || total(found.get().answer()) == 0, found)));
        erase.setOnAction(e -> confirmErase());
        progress.setId("erasure-progress");
        progress.setPrefSize(20, 20);
        progress.visibleProperty().bind(running);
        for (var control : List.of(domain, reload, value, reason, clear)) {
            control.disableProperty().bind(running);
        }
        hint.setId("erasure-hint");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, label("Key _domain", domain), new HBox(6, domain, reload));
        form.add(coverage, 1, 1);
        form.addRow(2, label("Identifying _value", value), new HBox(6, value, clear));
        form.addRow(3, label("Rea_son", reason), reason);
        HBox.setHgrow(value, Priority.ALWAYS);
        GridPane.setHgrow(reason, Priority.ALWAYS);
        value.setPrefColumnCount(36);
        HBox buttons = new HBox(8, find, erase, progress, hint);
        buttons.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(hint, Priority.ALWAYS);

        summary.setId("erasure-summary");
        summary.setWrapText(true);
        summary.getStyleClass().add("title");
        rows.setId("erasure-rows");
        rows.setPlaceholder(new Label("Find shows here the subject's rows per dataset and table."));
        GrantColumns c = new GrantColumns("erasure-rows", () -> 0);
        rows.getColumns()
                .setAll(List.of(
                        c.<ErasureResponse.Rows>column("dataset", "Dataset", 160, ErasureResponse.Rows::dataset),
                        c.<ErasureResponse.Rows>column("table", "Table", 200, ErasureResponse.Rows::table),
                        c.<ErasureResponse.Rows>column("rows", "Rows", 100, ErasureResponse.Rows::rows)));
        rows.setPrefHeight(120);
        rows.setMaxWidth(480);
        token.setId("erasure-token");
        token.getStyleClass().add("chain-head");
        token.setWrapText(true);
        auditRow.setId("erasure-audit");
        auditRow.setWrapText(true);
        remains.setId("erasure-remains");
        remains.setWrapText(true);
        remains.getStyleClass().add("grant-detail");
        token.setVisible(false);
        token.managedProperty().bind(token.visibleProperty());

        Label title = new Label("Erase a data subject");
        title.getStyleClass().add("title");
        Label intro = new Label("The reveal service turns the identifying value into the ciphertext each deterministic"
                + " column of the key domain stores (its canonical form; nothing is decrypted), and the database finds"
                + " the rows holding it in every dataset of the domain. Find counts them; Erase deletes them. Both are"
                + " recorded in the audit chain under a token of the subject, never its value.");
        intro.setWrapText(true);
        intro.getStyleClass().add("hint");
        VBox box = new VBox(10, title, intro, form, buttons, summary, rows, token, auditRow, remains);
        box.setPadding(new Insets(10));
        box.setMaxWidth(980);
        root = new ScrollPane(box);
        root.setFitToWidth(true);
    }

    Node node() {
        return root;
    }

    TableView<ErasureResponse.Rows> rows() {
        return rows;
    }

    ComboBox<KeyDomain> domain() {
        return domain;
    }

    /** Whether a request to the service is under way. */
    BooleanProperty runningProperty() {
        return running;
    }

    /** Reads the key domains again, keeping the one chosen. */
    void refresh() {
        tasks.run("Reading the key domains of the PII catalog", governance::erasureDomains, this::setDomains);
    }

    private void setDomains(List<KeyDomain> all) {
        String keep = domain.getValue() == null ? null : domain.getValue().name();
        domain.getItems().setAll(all);
        domain.setValue(
                all.stream().filter(d -> d.name().equals(keep)).findFirst().orElse(all.isEmpty() ? null : all.get(0)));
    }

    private void find() {
        KeyDomain d = domain.getValue();
        String why = reason.getText();
        run("Finding", () -> service.erase(d.name(), value.getText(), why, false), answer -> {
            show(answer, d);
            if (total(answer) == 0) {
                value.clear(); // nothing to erase: the value has served
                hint.setText("Nothing to erase.");
            } else {
                found.set(new Found(d.name(), answer));
                hint.setText("Erase deletes these rows after you confirm.");
            }
        });
    }

    /** Asks with the counts Find showed; Cancel is the default. */
    private void confirmErase() {
        Found f = found.get();
        ButtonType go = new ButtonType("Erase", ButtonBar.ButtonData.OK_DONE);
        Alert alert =
                new Alert(Alert.AlertType.CONFIRMATION, confirmation(f.domain(), f.answer()), go, ButtonType.CANCEL);
        alert.setTitle("Erase a data subject");
        alert.setHeaderText(String.format(
                "Erase %,d row%s of this data subject?", total(f.answer()), total(f.answer()) == 1 ? "" : "s"));
        alert.getDialogPane().setId("erasureConfirmation");
        if (root.getScene() != null) {
            alert.initOwner(root.getScene().getWindow());
        }
        ((Button) alert.getDialogPane().lookupButton(go)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        alert.setOnHidden(e -> {
            if (alert.getResult() == go && found.get() == f) {
                erase(f);
            }
        });
        alert.show();
    }

    /** The dialog's text: the rows per dataset and table Find counted, and that it cannot be undone. */
    static String confirmation(String domain, ErasureResponse answer) {
        return "This deletes "
                + String.join(
                        ", ",
                        answer.rows().stream()
                                .filter(r -> r.rows() > 0)
                                .map(r -> String.format(
                                        "%,d row%s of %s (table %s)",
                                        r.rows(), r.rows() == 1 ? "" : "s", r.dataset(), r.table()))
                                .toList())
                + " — the rows holding this value in key domain " + domain + " — and records the erasure in the audit"
                + " chain under the subject's token. It cannot be undone.";
    }

    private void erase(Found f) {
        KeyDomain d = domain.getValue();
        String why = reason.getText();
        run("Erasing", () -> service.erase(f.domain(), value.getText(), why, true), answer -> {
            show(answer, d);
            value.clear();
            reason.clear();
            long before = total(f.answer());
            hint.setText(
                    total(answer) == before
                            ? "Erased."
                            : String.format(
                                    "Erased %,d rows where Find counted %,d:"
                                            + " rows were written or deleted in between.",
                                    total(answer), before));
        });
    }

    /** Runs a request to the service in a Task, the progress indicator turning and the form disabled meanwhile. */
    private void run(
            String what,
            java.util.concurrent.Callable<ErasureResponse> call,
            java.util.function.Consumer<ErasureResponse> onSuccess) {
        Task<ErasureResponse> task = new Task<>() {
            @Override
            protected ErasureResponse call() throws Exception {
                return call.call();
            }
        };
        task.setOnSucceeded(e -> {
            running.set(false);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            running.set(false);
            hint.setText(DbTasks.messageOf(task.getException()));
            hint.getStyleClass().add("error");
        });
        hint.getStyleClass().remove("error");
        hint.setText(what + "…");
        running.set(true);
        Thread t = new Thread(task, "inspector-erasure");
        t.setDaemon(true);
        t.start();
    }

    private void show(ErasureResponse answer, KeyDomain d) {
        Map<String, Long> perDataset = answer.rows().stream()
                .collect(Collectors.groupingBy(
                        ErasureResponse.Rows::dataset,
                        java.util.LinkedHashMap::new,
                        Collectors.summingLong(ErasureResponse.Rows::rows)));
        String datasets = String.join(
                ", ",
                perDataset.entrySet().stream()
                        .map(e -> String.format("%,d in %s", e.getValue(), e.getKey()))
                        .toList());
        long n = total(answer);
        summary.setText(
                answer.erased()
                        ? String.format(
                                "Deleted %,d row%s of this subject (key domain %s): %s.",
                                n, n == 1 ? "" : "s", d.name(), datasets)
                        : n == 0
                                ? "No row of any dataset of key domain " + d.name() + " holds this value."
                                : String.format(
                                        "Found %,d row%s of this subject (key domain %s): %s.",
                                        n, n == 1 ? "" : "s", d.name(), datasets));
        rows.getItems().setAll(answer.rows());
        token.setVisible(answer.subjectToken() != null);
        token.setText("Subject token " + answer.subjectToken() + " — the audit names the subject by it (SHA-256 of its"
                + " ciphertexts), never by the value.");
        auditRow.setText(
                answer.auditSeq() == null
                        ? ""
                        : "Audit chain row #" + answer.auditSeq() + " ("
                                + (answer.erased() ? AuditDesk.Erasure.ERASED : AuditDesk.Erasure.COUNTED) + ", by "
                                + login + ").");
    }

    /** Clears the value, the reason and the result. */
    void clear() {
        value.clear();
        reason.clear();
        summary.setText("");
        rows.getItems().clear();
        token.setVisible(false);
        auditRow.setText("");
        hint.getStyleClass().remove("error");
        hint.setText(NEEDS_FIND);
    }

    private static long total(ErasureResponse answer) {
        return answer.rows().stream().mapToLong(ErasureResponse.Rows::rows).sum();
    }

    private static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    /** A domain as "email — orders, tickets". */
    private static final class DomainCell extends ListCell<KeyDomain> {
        @Override
        protected void updateItem(KeyDomain d, boolean empty) {
            super.updateItem(d, empty);
            setText(empty || d == null ? null : d.name() + " — " + String.join(", ", d.datasets()));
        }
    }
}
