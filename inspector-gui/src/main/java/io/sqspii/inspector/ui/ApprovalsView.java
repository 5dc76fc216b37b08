package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.GovernanceRepository;
import io.sqspii.inspector.model.Grant;
import java.util.List;
import javafx.animation.Animation;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The Approvals tab of a pii_approver: requests waiting for a decision (requester, dataset, columns, purpose,
 * duration, ticket, reason), approved or rejected with a note through pii_decide_grant; the open grants, revoked
 * through pii_revoke_grant. The approver's own requests are listed as "yours" and cannot be decided here (the
 * database refuses them too).
 */
final class ApprovalsView {

    static final String OWN_REQUEST = "Your own request: another approver decides it.";

    private final GovernanceRepository governance;
    private final DbTasks tasks;
    private final String login;
    private final TableView<Grant> pending = new TableView<>();
    private final TableView<Grant> open = new TableView<>();
    private final TextField note = new TextField();
    private final Label hint = new Label();
    private final ScrollPane root;
    private long readAt = System.nanoTime();

    ApprovalsView(GovernanceRepository governance, DbTasks tasks, String login) {
        this.governance = governance;
        this.tasks = tasks;
        this.login = login;
        GrantColumns pc = new GrantColumns("approvals-pending", () -> (System.nanoTime() - readAt) / 1_000_000_000L);
        GrantColumns oc = new GrantColumns("approvals-open", () -> (System.nanoTime() - readAt) / 1_000_000_000L);

        pending.setId("approvals-pending");
        pending.setPlaceholder(new Label("No request waits for a decision."));
        pending.getColumns()
                .setAll(List.of(
                        pc.id(),
                        pc.requester(login),
                        pc.dataset(),
                        pc.columns(),
                        pc.purpose(),
                        pc.duration(),
                        pc.ticket(),
                        pc.reason(),
                        pc.requested()));
        pending.setPrefHeight(220);
        note.setId("approvals-note");
        note.setPromptText("Note for the requester and the audit (optional)");
        note.setTextFormatter(new TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= io.sqspii.reveal.api.RevealApi.MAX_REASON ? ch : null));
        HBox.setHgrow(note, Priority.ALWAYS);
        BooleanBinding undecidable = Bindings.createBooleanBinding(
                () -> {
                    Grant g = pending.getSelectionModel().getSelectedItem();
                    return g == null || g.requester().equals(login);
                },
                pending.getSelectionModel().selectedItemProperty());
        Button approve = new Button("Approve");
        approve.setId("approvals-approve");
        approve.getStyleClass().add("reveal-button");
        approve.disableProperty().bind(undecidable);
        approve.setOnAction(e -> decide(true));
        Button reject = new Button("Reject");
        reject.setId("approvals-reject");
        reject.disableProperty().bind(undecidable);
        reject.setOnAction(e -> decide(false));
        hint.setId("approvals-hint");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        // a selection says what deciding it means; the outcome of the last decision stays until then
        pending.getSelectionModel().selectedItemProperty().addListener((o, before, g) -> {
            if (g != null) {
                hint.setText(
                        g.requester().equals(login)
                                ? OWN_REQUEST
                                : "Grant #" + g.id() + ": the clock starts when" + " you approve ("
                                        + Grant.durationText(g.duration()) + ").");
            }
        });

        open.setId("approvals-open");
        open.setPlaceholder(new Label("No open grant."));
        open.getColumns()
                .setAll(List.of(
                        oc.id(),
                        oc.requester(login),
                        oc.purpose(),
                        oc.dataset(),
                        oc.columns(),
                        oc.state(),
                        oc.cells(),
                        oc.expires(),
                        oc.decidedBy(),
                        oc.ticket()));
        open.setPrefHeight(220);
        GrantColumns.flagRows(open, Grant::breakGlass);
        Button revoke = new Button("Revoke");
        revoke.setId("approvals-revoke");
        revoke.setTooltip(new Tooltip("End the selected grant now (pii_revoke_grant), with the note above"));
        revoke.disableProperty()
                .bind(open.getSelectionModel().selectedItemProperty().isNull());
        revoke.setOnAction(e -> revoke());
        Button refresh = new Button("⟳");
        refresh.setId("approvals-refresh");
        refresh.setTooltip(new Tooltip("Read the requests and grants again"));
        refresh.setOnAction(e -> refresh());

        Label pendingTitle = new Label("Requests waiting for a decision");
        pendingTitle.getStyleClass().add("title");
        Label openTitle = new Label("Open grants");
        openTitle.getStyleClass().add("title");
        HBox decideBar = new HBox(8, note, approve, reject, refresh);
        decideBar.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(10, pendingTitle, pending, decideBar, hint, openTitle, open, new HBox(8, revoke));
        box.setPadding(new Insets(10));
        root = new ScrollPane(box);
        root.setFitToWidth(true);
        Timeline tick =
                new Timeline(new javafx.animation.KeyFrame(javafx.util.Duration.seconds(1), e -> open.refresh()));
        tick.setCycleCount(Animation.INDEFINITE);
        tick.play();
    }

    Node node() {
        return root;
    }

    TableView<Grant> pending() {
        return pending;
    }

    TableView<Grant> open() {
        return open;
    }

    /** Reads every grant: the requested ones to decide, the open ones to watch. */
    void refresh() {
        tasks.run("Reading grant requests", () -> governance.grants(false), all -> {
            readAt = System.nanoTime();
            pending.getItems()
                    .setAll(all.stream()
                            .filter(g -> g.state() == Grant.State.PENDING)
                            .toList());
            open.getItems()
                    .setAll(all.stream()
                            .filter(g -> g.state() == Grant.State.ACTIVE || g.state() == Grant.State.USED_UP)
                            .toList());
        });
    }

    private void decide(boolean approve) {
        Grant g = pending.getSelectionModel().getSelectedItem();
        if (g == null || g.requester().equals(login)) {
            return;
        }
        String n = note.getText();
        tasks.run(
                (approve ? "Approving" : "Rejecting") + " grant #" + g.id(),
                () -> {
                    governance.decide(g.id(), approve, n);
                    return g.id();
                },
                id -> {
                    hint.setText("Grant #" + id + (approve ? " approved." : " rejected."));
                    note.clear();
                    refresh();
                },
                hint::setText);
    }

    private void revoke() {
        Grant g = open.getSelectionModel().getSelectedItem();
        if (g == null) {
            return;
        }
        String n = note.getText();
        tasks.run(
                "Revoking grant #" + g.id(),
                () -> {
                    governance.revoke(g.id(), n);
                    return g.id();
                },
                id -> {
                    hint.setText("Grant #" + id + " revoked.");
                    note.clear();
                    refresh();
                },
                hint::setText);
    }
}
