package io.sqspii.inspector.ui;

import javafx.scene.control.TextField;

/**
 * Reveal: the button, Ctrl+R and Enter in the reason field. Reveals the selection when the flow allows it;
 * otherwise, without a reason, puts the keyboard in the reason field.
 */
final class RevealAction {

    private final RevealFlow flow;
    private final TextField reason;

    RevealAction(RevealFlow flow, TextField reason) {
        this.flow = flow;
        this.reason = reason;
    }

    void execute() {
        if (flow.blockerProperty().get() == null) {
            flow.reveal();
        } else if (flow.reasonProperty().get() == null
                || flow.reasonProperty().get().isBlank()) {
            reason.requestFocus();
        }
    }
}
