package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.JsonText;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.RevealClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.beans.InvalidationListener;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The reveal controls under a table with PII columns: the reason field, Reveal and why it is not possible
 * now, the confirmation, and the revealed text (kept in place while hidden, so nothing moves). The rules
 * are the {@link RevealFlow}'s; this view feeds it the selected PII cells and shows its state.
 */
final class RevealPanel {

    private final TableSpec spec;
    private final TableView<Row> table;
    private final RevealFlow flow;
    private final TextField reason = new TextField();
    private final RevealAction action;
    private final HBox bar;
    private final VBox revealedBox;

    /**
     * @param onRequestGrant opens the grant request for a reveal refused for want of a grant (null: not offered)
     */
    RevealPanel(
            String id,
            TableSpec spec,
            TableView<Row> table,
            RevealFlow flow,
            Consumer<RevealFlow.GrantNeed> onRequestGrant) {
        this.spec = spec;
        this.table = table;
        this.flow = flow;
        action = new RevealAction(flow, reason);

        reason.setId(id + "-reason");
        reason.setPromptText("Detail of the reason: case, ticket (required, audited) — Enter reveals");
        reason.setTextFormatter(new TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= RevealClient.MAX_REASON_LENGTH ? ch : null));
        reason.textProperty().bindBidirectional(flow.reasonProperty());
        reason.setOnAction(e -> action.execute());
        HBox.setHgrow(reason, Priority.ALWAYS);
        Button reveal = new Button("Reveal");
        reveal.setId(id + "-reveal");
        reveal.getStyleClass().add("reveal-button");
        reveal.setOnAction(e -> action.execute());
        reveal.setTooltip(new Tooltip("Reveal the selected PII cells through the reveal service, audited ("
                + MainView.REVEAL_KEY.getDisplayText() + ", or Enter in the reason field)"));
        reveal.disableProperty().bind(flow.blockerProperty().isNotNull());
        Label hint = new Label();
        hint.setId(id + "-revealHint");
        hint.getStyleClass().add("hint");
        hint.setWrapText(false);
        hint.textProperty().bind(flow.hintProperty());
        ComboBox<Purpose> purpose = new ComboBox<>();
        purpose.setId(id + "-purpose");
        purpose.setPromptText("Purpose…");
        purpose.setPrefWidth(260);
        purpose.setCellFactory(l -> new PurposeCell());
        purpose.setButtonCell(new PurposeCell());
        purpose.setTooltip(
                new Tooltip("Why you reveal: the purposes (pii_purposes) that allow the selected columns. A reveal"
                        + " needs an active grant of yours for that purpose."));
        flow.choicesProperty().addListener((o, before, now) -> {
            Purpose keep = flow.purposeProperty().get();
            purpose.getItems().setAll(now);
            purpose.setValue(keep);
        });
        purpose.getItems().setAll(flow.choicesProperty().get());
        purpose.valueProperty().bindBidirectional(flow.purposeProperty());
        Button request = new Button("Request a grant…");
        request.setId(id + "-requestGrant");
        request.setTooltip(new Tooltip("Open the grant request for these columns and this purpose (Grants tab)"));
        request.visibleProperty()
                .bind(
                        onRequestGrant == null
                                ? new SimpleBooleanProperty(false)
                                : flow.grantNeededProperty().isNotNull());
        request.managedProperty().bind(request.visibleProperty());
        request.setOnAction(e -> {
            if (onRequestGrant != null && flow.grantNeededProperty().get() != null) {
                onRequestGrant.accept(flow.grantNeededProperty().get());
            }
        });
        bar = new HBox(6, new Label("Reveal:"), purpose, reason, reveal, request, hint);
        bar.setAlignment(Pos.CENTER_LEFT);

        TextArea revealed = new TextArea();
        revealed.setId(id + "-revealed");
        revealed.setEditable(false);
        revealed.setWrapText(true);
        revealed.setPrefRowCount(3);
        Label info = new Label();
        info.getStyleClass().add("hint");
        revealedBox = new VBox(2, info, revealed);
        revealedBox.getStyleClass().add("revealed-box");
        revealedBox.setId(id + "-revealedBox");
        // always managed: showing and hiding the panel never moves the pager or the reason bar
        revealedBox.setVisible(false);
        PauseTransition hideTimer = new PauseTransition(flow.hideAfter());
        hideTimer.setOnFinished(e -> flow.hide());
        flow.shownProperty().addListener((o, before, shown) -> {
            hideTimer.stop();
            revealed.setText(shown == null ? "" : shown.text());
            info.setText(shown == null ? "" : shown.info());
            revealedBox.setVisible(shown != null);
            if (shown != null) {
                hideTimer.playFromStart();
            }
        });
        flow.questionProperty().addListener((o, before, q) -> {
            if (q != null) {
                ask(q);
            }
        });
        table.getSelectionModel().getSelectedCells().addListener((InvalidationListener)
                o -> flow.select(selectedPiiCells()));
    }

    /** A purpose as the picker shows it: its code and description; break-glass flagged. */
    static final class PurposeCell extends ListCell<Purpose> {
        @Override
        protected void updateItem(Purpose p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? null : (p.isBreakGlass() ? "⚠ " : "") + p.label());
            getStyleClass().remove("break-glass");
            if (!empty && p != null && p.isBreakGlass()) {
                getStyleClass().add("break-glass");
            }
        }
    }

    /** The reason bar and the revealed text, in that order (below the pager). */
    List<Node> nodes() {
        return List.of(bar, revealedBox);
    }

    TextField reasonField() {
        return reason;
    }

    /** Ctrl+R: reveal the selection, or ask for a reason first. */
    void revealShortcut() {
        action.execute();
    }

    /** Selected cells of PII columns, in selection order, one per (row, column). */
    private List<RevealClient.Cell> selectedPiiCells() {
        Map<String, RevealClient.Cell> cells = new LinkedHashMap<>();
        for (TablePosition<?, ?> pos : table.getSelectionModel().getSelectedCells()) {
            Column c = TableColumns.columnAt(pos);
            if (c != null && c.hasPiiItems()) {
                // a jsonb array: each PII value in its elements is revealed (and audited) on its own, by path
                Row row = table.getItems().get(pos.getRow());
                for (String path : JsonText.arrayPaths(row.text(c.name()), c.itemPointers())) {
                    cells.putIfAbsent(
                            row.key() + "\u0000" + c.name() + "\u0000" + path,
                            new RevealClient.Cell(spec, row.key(), c.name(), path));
                }
            } else if (c != null && c.isPii()) {
                Row row = table.getItems().get(pos.getRow());
                cells.putIfAbsent(row.key() + "\u0000" + c.name(), new RevealClient.Cell(spec, row.key(), c.name()));
            }
        }
        return new ArrayList<>(cells.values());
    }

    /** The flow's question as a dialog; the safe choice is the default (Enter or Esc cancels). */
    private void ask(RevealFlow.Question q) {
        ButtonType go = new ButtonType("Reveal", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, q.text(), go, ButtonType.CANCEL);
        alert.setTitle("Reveal PII");
        alert.setHeaderText(q.header());
        alert.getDialogPane().setId("revealConfirmation");
        if (bar.getScene() != null) {
            alert.initOwner(bar.getScene().getWindow());
        }
        ((Button) alert.getDialogPane().lookupButton(go)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        alert.setOnHidden(e -> flow.answer(alert.getResult() == go));
        alert.show();
    }

    /** Hides revealed text and takes it off the clipboard (Disconnect). */
    void hide() {
        flow.hide();
    }

    /** The system clipboard's text, for the reveal flow's scrub. */
    static final class SystemClipboard implements RevealFlow.ClipboardText {
        @Override
        public String text() {
            Clipboard c = Clipboard.getSystemClipboard();
            return c.hasString() ? c.getString() : null;
        }

        @Override
        public void clear() {
            Clipboard.getSystemClipboard().clear();
        }
    }
}
