package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.reveal.GrantNeededException;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.reveal.RevealClient.Cell;
import io.sqspii.inspector.reveal.RevealClient.Revealed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.util.Duration;

/**
 * The rules of an audited reveal, without a window: who may reveal and why not now ({@link #blockerProperty()}),
 * when to ask first (a deterministic value shared by several rows, or more than {@link #CONFIRM_ABOVE}
 * cells), the reveal itself through the reveal service, how long the plaintext stays on screen, and when
 * hiding it also clears the clipboard. {@link RevealPanel} shows it; everything runs on the FX thread,
 * database and service calls through {@link Background}.
 *
 * <p>Plaintext lives only in {@link Shown}, never in the hint, the status line or a {@code toString()}.
 */
final class RevealFlow {

    /** Revealing more cells than this at once asks first. */
    static final int CONFIRM_ABOVE = 3;
    /** Shared values listed by name in the question; the rest are counted. */
    static final int SHARED_LISTED = 10;

    static final String AUDITED =
            "Audited: the database records you, the row, the column, the purpose and the reason first.";
    static final String NOTHING_REVEALED = "Nothing revealed.";
    static final String SCRUBBED = "Revealed text hidden and removed from the clipboard.";

    /** The reveal service ({@link RevealClient#reveal}): audits, then decrypts the stored values. */
    @FunctionalInterface
    interface Revealer {
        List<Revealed> reveal(List<Cell> cells, String purpose, String reason);
    }

    /**
     * A reveal the database refused for want of a grant: what to request (the dataset, the selected columns, the
     * purpose named).
     */
    record GrantNeed(String dataset, List<String> columns, String purpose) {}

    /** Rows holding the same ciphertext as a deterministic cell, itself included (counted in SQL). */
    @FunctionalInterface
    interface SharedRows {
        long count(Cell cell);
    }

    /** The system clipboard, as far as the scrub needs it. */
    interface ClipboardText {
        /** The text held, or null. */
        String text();

        void clear();
    }

    /** Asked before revealing: a header and the lines that say why. */
    record Question(String header, String text) {}

    /**
     * Revealed text on screen.
     *
     * @param text       one line a cell: the plaintext, or why it was not revealed
     * @param info       what was revealed and when it is hidden again (no plaintext)
     * @param plaintexts the revealed values, to take them off the clipboard when hidden
     */
    record Shown(String text, String info, List<String> plaintexts) {
        @Override
        public String toString() {
            return "Shown[" + plaintexts.size() + " plaintext(s)]";
        }
    }

    private final Session.RevealRight right;
    private final String login;
    /** The dataset whose table this is (purposes allow a dataset's columns). */
    private final String dataset;

    private final Duration hideAfter;
    private final SharedRows sharedRows;
    private final Revealer revealer;
    private final Background background;
    private final ClipboardText clipboard;
    private final Consumer<String> status;

    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final ReadOnlyStringWrapper blocker = new ReadOnlyStringWrapper(this, "blocker");
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper(this, "hint");
    private final ReadOnlyObjectWrapper<Question> question = new ReadOnlyObjectWrapper<>(this, "question");
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>(this, "shown");
    private final ObjectProperty<Purpose> purpose = new SimpleObjectProperty<>(this, "purpose");
    private final ReadOnlyObjectWrapper<List<Purpose>> choices =
            new ReadOnlyObjectWrapper<>(this, "choices", List.of());
    private final ReadOnlyObjectWrapper<GrantNeed> grantNeeded = new ReadOnlyObjectWrapper<>(this, "grantNeeded");
    private List<Purpose> purposes = List.of();
    private List<Cell> selection = List.of();
    /** Runs the reveal once the question is answered yes. */
    private Runnable onYes;

    /**
     * @param right      whether the login may execute the database's reveal function
     * @param hideAfter  how long revealed text stays on screen
     * @param sharedRows counts rows sharing a deterministic value (on the database thread)
     * @param revealer   the reveal service (on the database thread: one request at a time)
     * @param status     the window's status line
     */
    RevealFlow(
            Session.RevealRight right,
            String login,
            String dataset,
            Duration hideAfter,
            SharedRows sharedRows,
            Revealer revealer,
            Background background,
            ClipboardText clipboard,
            Consumer<String> status) {
        this.right = right;
        this.login = login;
        this.dataset = dataset;
        this.hideAfter = hideAfter;
        this.sharedRows = sharedRows;
        this.revealer = revealer;
        this.background = background;
        this.clipboard = clipboard;
        this.status = status;
        reason.addListener(o -> update());
        busy.addListener(o -> update());
        purpose.addListener(o -> update());
        update();
    }

    /** The purposes of the database (pii_purposes), read at connect and on ⟳. */
    void setPurposes(List<Purpose> all) {
        purposes = List.copyOf(all);
        updateChoices();
        update();
    }

    /** The purpose chosen for the next reveal: one of {@link #choicesProperty()}. */
    ObjectProperty<Purpose> purposeProperty() {
        return purpose;
    }

    /**
     * The purposes that allow every selected column (with nothing selected: some PII column of the table), not
     * retired, break-glass last.
     */
    ReadOnlyObjectProperty<List<Purpose>> choicesProperty() {
        return choices.getReadOnlyProperty();
    }

    /** Set when the database refused the last reveal for want of a grant: what to request. */
    ReadOnlyObjectProperty<GrantNeed> grantNeededProperty() {
        return grantNeeded.getReadOnlyProperty();
    }

    private List<String> selectedColumns() {
        return selection.stream().map(Cell::column).distinct().toList();
    }

    /**
     * Offers the purposes that fit the selection; keeps the chosen one if it still fits, else picks the only
     * everyday purpose there is (never break-glass, which is a deliberate choice).
     */
    private void updateChoices() {
        List<String> columns = selectedColumns();
        List<Purpose> fit = purposes.stream()
                .filter(p -> !p.retired())
                .filter(p -> columns.isEmpty()
                        ? p.allows().stream()
                                .anyMatch(a ->
                                        a.dataset().equals("*") || a.dataset().equals(dataset))
                        : p.allowsAll(dataset, columns))
                .toList();
        choices.set(fit);
        Purpose chosen = purpose.get();
        if (chosen != null && fit.stream().anyMatch(p -> p.code().equals(chosen.code()))) {
            purpose.set(fit.stream()
                    .filter(p -> p.code().equals(chosen.code()))
                    .findFirst()
                    .orElseThrow());
            return;
        }
        List<Purpose> everyday = fit.stream().filter(p -> !p.isBreakGlass()).toList();
        purpose.set(everyday.size() == 1 ? everyday.get(0) : null);
    }

    /** The reason typed for the next reveal (written to the audit log); cleared after each reveal. */
    StringProperty reasonProperty() {
        return reason;
    }

    /** True while the window runs database or service work: a reveal waits for it. */
    BooleanProperty busyProperty() {
        return busy;
    }

    /** Why revealing is not possible now, or null. */
    ReadOnlyStringProperty blockerProperty() {
        return blocker.getReadOnlyProperty();
    }

    /** The line next to the Reveal button: the blocker, what a reveal does, or how the last one went. */
    ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    /** A question waiting for {@link #answer}, or null. */
    ReadOnlyObjectProperty<Question> questionProperty() {
        return question.getReadOnlyProperty();
    }

    /** The revealed text on screen, or null. */
    ReadOnlyObjectProperty<Shown> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** How long revealed text stays on screen (unless the selection changes first). */
    Duration hideAfter() {
        return hideAfter;
    }

    /** The selected PII cells, one per (row, column), in selection order. */
    List<Cell> selection() {
        return selection;
    }

    /** A new selection hides what is revealed: the text belongs to the cells it was revealed for. */
    void select(List<Cell> cells) {
        selection = List.copyOf(cells);
        grantNeeded.set(null);
        hide();
        updateChoices();
        update();
    }

    private void update() {
        String why = blocker(right, login, selection, reason.get(), busy.get() || question.get() != null);
        if (why == null) {
            why = purposeBlocker();
        }
        blocker.set(why);
        hint.set(why == null ? AUDITED : why);
    }

    /** Why the chosen purpose does not do for the selection, or null. */
    private String purposeBlocker() {
        Purpose p = purpose.get();
        if (p != null) {
            return null;
        }
        return choices.get().isEmpty()
                ? "No purpose allows " + String.join(", ", selectedColumns()) + " of " + dataset
                        + ": a pii_admin defines purposes (pii_define_purpose)."
                : "Choose the purpose of this reveal: it is written to the audit log.";
    }

    /** Why revealing is not possible, or null; the right is checked even before a cell is selected. */
    static String blocker(Session.RevealRight right, String login, List<Cell> selection, String reason, boolean busy) {
        switch (right) {
            case NOT_GRANTED -> {
                return "Reveal needs the pii_reader role: login " + login + " may not execute pii_reveal.";
            }
            case NO_FUNCTION -> {
                return "This database has no pii_reveal function: apply connect-config/sql/schema.sql and roles.sql.";
            }
            default -> {}
        }
        if (selection.isEmpty()) {
            return "Select a cell of a PII column to reveal it.";
        }
        if (reason == null || reason.isBlank()) {
            return "Enter the detail of your reason (case, ticket): it is written to the audit log.";
        }
        return busy ? "Busy…" : null;
    }

    /**
     * Reveals the selection for the reason typed: counts, for each deterministic cell, the rows sharing
     * its ciphertext (the reveal exposes all of them), asks when that is more than one row or more than
     * {@link #CONFIRM_ABOVE} cells, then asks the service. Does nothing while {@link #blockerProperty()} is set.
     */
    void reveal() {
        if (blocker.get() != null) {
            return;
        }
        List<Cell> cells = selection;
        String why = reason.get();
        String code = purpose.get().code();
        grantNeeded.set(null);
        background.run(
                "Counting rows that share the selected values",
                () -> shares(cells),
                shares -> {
                    Question q = question(cells, shares);
                    if (q == null) {
                        send(cells, code, why, shares);
                        return;
                    }
                    onYes = () -> send(cells, code, why, shares);
                    question.set(q);
                    update();
                },
                hint::set);
    }

    private Map<Cell, Long> shares(List<Cell> cells) {
        Map<Cell, Long> shares = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.path() == null && c.table().requireColumn(c.column()).isDeterministic()) {
                shares.put(c, sharedRows.count(c));
            }
        }
        return shares;
    }

    /** The answer to {@link #questionProperty()}: reveal, or not. */
    void answer(boolean yes) {
        if (question.get() == null) {
            return;
        }
        Runnable go = onYes;
        onYes = null;
        question.set(null);
        update();
        if (yes) {
            go.run();
        } else {
            hint.set(NOTHING_REVEALED);
        }
    }

    /** What to ask before revealing {@code cells}, or null to reveal at once. */
    static Question question(List<Cell> cells, Map<Cell, Long> shares) {
        List<String> shared = new ArrayList<>();
        shares.forEach((c, n) -> {
            if (n > 1) {
                shared.add(String.format(
                        "%s of %s: the same value is in %,d rows — revealing it exposes all of them.",
                        c.column(), c.key(), n));
            }
        });
        boolean many = cells.size() > CONFIRM_ABOVE;
        if (!many && shared.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        if (many) {
            text.append(String.format(
                    "You are about to reveal %,d values. Each one is written to the audit log with your" + " reason.%n",
                    cells.size()));
        }
        for (int i = 0; i < shared.size(); i++) {
            if (i == SHARED_LISTED) {
                text.append(String.format("… and %,d more shared values.%n", shared.size() - SHARED_LISTED));
                break;
            }
            text.append(shared.get(i)).append('\n');
        }
        return new Question(
                many ? "Reveal " + cells.size() + " values?" : "Reveal a shared value?",
                text.toString().stripTrailing());
    }

    /** The service's answers, or the refusal for want of a grant (then nothing was revealed). */
    private record Answer(List<Revealed> values, String noGrant) {}

    private void send(List<Cell> cells, String code, String why, Map<Cell, Long> shares) {
        background.run(
                "Revealing (audited)",
                () -> {
                    try {
                        return new Answer(revealer.reveal(cells, code, why), null);
                    } catch (GrantNeededException e) {
                        return new Answer(null, e.getMessage());
                    }
                },
                answer -> {
                    if (answer.noGrant() != null) {
                        hint.set(answer.noGrant());
                        grantNeeded.set(new GrantNeed(
                                dataset,
                                cells.stream().map(Cell::column).distinct().toList(),
                                code));
                        return;
                    }
                    // a new reveal needs a new reason: a pasted value must not ride along into the next audit row
                    reason.set("");
                    hide();
                    shown.set(shown(answer.values(), shares, hideAfter));
                },
                hint::set);
    }

    /** The service's answers as shown: one line a cell, and a line that says what it was. */
    static Shown shown(List<Revealed> values, Map<Cell, Long> shares, Duration hideAfter) {
        StringBuilder sb = new StringBuilder();
        List<String> plaintexts = new ArrayList<>();
        int failed = 0;
        for (Revealed r : values) {
            if (values.size() > 1 || !r.ok()) {
                sb.append(r.cell().column())
                        .append(r.cell().path() == null ? "" : " " + r.cell().path())
                        .append(" of ")
                        .append(r.cell().key())
                        .append(": ");
            }
            if (r.ok()) {
                sb.append(r.plaintext());
                plaintexts.add(r.plaintext());
            } else {
                failed++;
                sb.append("not revealed — ").append(r.error());
            }
            sb.append('\n');
        }
        Cell one = values.get(0).cell();
        String what = values.size() == 1 ? one.column() + " of " + one.key() : values.size() + " values";
        Long sharing = values.size() == 1 ? shares.get(one) : null;
        String info = "Revealed " + what + (failed > 0 ? " (" + failed + " failed)" : "")
                + (sharing != null && sharing > 1 ? String.format(", a value %,d rows share", sharing) : "")
                + "; audit rows written. Hidden again in " + (int) hideAfter.toSeconds()
                + " s or when the selection changes.";
        return new Shown(sb.toString().stripTrailing(), info, List.copyOf(plaintexts));
    }

    /**
     * Hides the revealed text (after {@link #hideAfter()}, on a new selection, on Disconnect), and takes it
     * off the clipboard if it was copied there.
     */
    void hide() {
        Shown s = shown.get();
        if (s == null) {
            return;
        }
        if (!s.plaintexts().isEmpty() && scrubs(clipboard.text(), s.plaintexts())) {
            clipboard.clear();
            status.accept(SCRUBBED);
        }
        shown.set(null);
    }

    /** Whether clipboard text holds any of the revealed values (copied alone or with other text). */
    static boolean scrubs(String held, Collection<String> plaintexts) {
        return held != null && plaintexts.stream().anyMatch(p -> !p.isEmpty() && held.contains(p));
    }
}
