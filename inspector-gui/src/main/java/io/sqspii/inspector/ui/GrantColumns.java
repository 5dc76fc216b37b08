package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Grant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * The columns of a table of grants, declared once for the reader's, the approver's and the auditor's tables: each
 * table picks the ones it shows. The expiry countdown runs on the client from the seconds left by the server's clock
 * when the grants were read ({@code elapsed}), so a clock that is off does not shift it.
 */
final class GrantColumns {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final String id;
    private final LongSupplier elapsedSeconds;

    /**
     * @param id             the table's id, prefix of each column's id ({@code id-col-name})
     * @param elapsedSeconds seconds since the grants were read
     */
    GrantColumns(String id, LongSupplier elapsedSeconds) {
        this.id = id;
        this.elapsedSeconds = elapsedSeconds;
    }

    /** Seconds left now of {@code g} (null before approval). */
    Long secondsLeft(Grant g) {
        return g.secondsLeft() == null ? null : Math.max(0, g.secondsLeft() - elapsedSeconds.getAsLong());
    }

    /** The state now: an active grant whose countdown ran out is expired, whatever it was when read. */
    Grant.State stateNow(Grant g) {
        Long left = secondsLeft(g);
        return (g.state() == Grant.State.ACTIVE || g.state() == Grant.State.USED_UP) && left != null && left == 0
                ? Grant.State.EXPIRED
                : g.state();
    }

    TableColumn<Grant, Object> id() {
        return column("id", "#", 50, Grant::id);
    }

    TableColumn<Grant, Object> requester(String self) {
        return column(
                "requester",
                "Requester",
                130,
                g -> g.requester() + (g.requester().equals(self) ? " (yours)" : ""));
    }

    TableColumn<Grant, Object> purpose() {
        return column("purpose", "Purpose", 110, g -> (g.breakGlass() ? "⚠ " : "") + g.purpose());
    }

    TableColumn<Grant, Object> dataset() {
        return column("dataset", "Dataset", 100, Grant::dataset);
    }

    TableColumn<Grant, Object> columns() {
        return column("columns", "Columns", 200, g -> String.join(", ", g.columns()));
    }

    TableColumn<Grant, Object> state() {
        return column("state", "State", 80, g -> stateNow(g).label());
    }

    TableColumn<Grant, Object> cells() {
        return column("cells", "Cells used", 90, g -> g.budgetText() + (g.budgetUsed() >= 0.8 ? " ⚠" : ""));
    }

    TableColumn<Grant, Object> expires() {
        return column("expires", "Expires in", 100, g -> {
            Grant.State s = stateNow(g);
            Long left = secondsLeft(g);
            return s == Grant.State.PENDING
                    ? Grant.durationText(g.duration()) + " once approved"
                    : s == Grant.State.ACTIVE || s == Grant.State.USED_UP
                            ? Grant.countdown(left == null ? 0 : left)
                            : "—";
        });
    }

    TableColumn<Grant, Object> duration() {
        return column("duration", "Duration", 70, g -> Grant.durationText(g.duration()));
    }

    TableColumn<Grant, Object> ticket() {
        return column("ticket", "Ticket", 90, g -> g.ticket() == null ? "" : g.ticket());
    }

    TableColumn<Grant, Object> reason() {
        return column("reason", "Reason", 220, Grant::reason);
    }

    TableColumn<Grant, Object> requested() {
        return column("requested", "Requested", 140, g -> TIME.format(g.requestedAt()));
    }

    TableColumn<Grant, Object> decidedBy() {
        return column(
                "decidedBy",
                "Approved by",
                120,
                g -> g.decidedBy() != null
                        ? g.decidedBy()
                        : g.breakGlass()
                                ? "none (break-glass)"
                                : g.decidedAt() != null ? "none (purpose needs none)" : "");
    }

    TableColumn<Grant, Object> note() {
        return column("note", "Note", 160, g -> g.note() == null ? "" : g.note());
    }

    /** A column showing {@code value} of each grant; id {@code <table id>-col-<name>}. */
    <T> TableColumn<T, Object> column(String name, String title, double width, Function<T, Object> value) {
        TableColumn<T, Object> c = new TableColumn<>(title);
        c.setId(id + "-col-" + name);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return c;
    }

    /** Break-glass rows flagged (red) in {@code table}; {@code breakGlass} says which rows are. */
    static <T> void flagRows(TableView<T> table, java.util.function.Predicate<T> breakGlass) {
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("break-glass-row");
                if (!empty && item != null && breakGlass.test(item)) {
                    getStyleClass().add("break-glass-row");
                }
            }
        });
    }
}
