package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.CsvExport;
import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.RevealClient;
import java.io.File;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A server-paged, server-sorted view of one table with reveal and export. Sorting a column header
 * re-queries the database (keyset paging, both directions); the visible page is all the client holds.
 */
final class TableBrowser {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");
    static final int ABBREVIATE = 14;
    /** Revealing more cells than this at once asks first. */
    static final int CONFIRM_ABOVE = 3;

    private final TableSpec spec;
    private final InspectorRepository repo;
    private final DbTasks tasks;
    private final Session session;
    private final RevealClient reveal;
    private final UiSettings settings;

    private final TableView<Row> table = new TableView<>();
    private final Button first = new Button("« First");
    private final Button prev = new Button("◀ Prev");
    private final Button next = new Button("Next ▶");
    private final Button last = new Button("Last »");
    private final Label pageLabel = new Label();
    private final Label rowCount = new Label();
    private final Button export = new Button("Export CSV…");
    private final TextField reason = new TextField();
    private final Button revealButton = new Button("Reveal");
    private final Label revealHint = new Label();
    private final TextArea revealed = new TextArea();
    private final Label revealedInfo = new Label();
    private final VBox revealedBox;
    private final PauseTransition hideTimer;
    private final VBox root;
    /** Plaintext now on screen, to take it off the clipboard when it is hidden. */
    private final List<String> shownPlaintext = new ArrayList<>();

    private Filter filter = Filter.NONE;
    private Sort sort;
    private int pageIndex;
    private boolean hasNext;
    /** Rows matching the filter (for Last and the page label), or -1 while counting. */
    private long total = -1;
    private boolean loading;
    private Alert confirmation;

    TableBrowser(TableSpec spec, Sort initialSort, InspectorRepository repo, DbTasks tasks, Session session,
                 RevealClient reveal, UiSettings settings, Node filterPane) {
        this.spec = spec;
        this.repo = repo;
        this.tasks = tasks;
        this.session = session;
        this.reveal = reveal;
        this.settings = settings;
        this.sort = initialSort;
        String id = spec.name();

        table.setId(id + "-table");
        table.getSelectionModel().setCellSelectionEnabled(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label("No rows."));
        for (Column c : spec.columns()) {
            table.getColumns().add(column(c));
        }
        table.setSortPolicy(tv -> {
            if (!tv.getSortOrder().isEmpty()) {
                TableColumn<Row, ?> c = tv.getSortOrder().get(0);
                Sort s = new Sort((String) c.getUserData(), c.getSortType() == TableColumn.SortType.ASCENDING);
                if (!s.equals(sort)) {
                    sort = s;
                    Platform.runLater(this::reload);
                }
            }
            return true;
        });
        TableColumn<Row, ?> sortCol = table.getColumns().get(spec.indexOf(initialSort.column()));
        sortCol.setSortType(initialSort.ascending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
        table.getSortOrder().add(sortCol);
        VBox.setVgrow(table, Priority.ALWAYS);

        first.setId(id + "-first");
        prev.setId(id + "-prev");
        next.setId(id + "-next");
        last.setId(id + "-last");
        pageLabel.setId(id + "-page");
        rowCount.setId(id + "-count");
        export.setId(id + "-export");
        first.setTooltip(new Tooltip("First page (Home in the pager)"));
        prev.setTooltip(new Tooltip("Previous page (Page Up in the table)"));
        next.setTooltip(new Tooltip("Next page (Page Down in the table)"));
        last.setTooltip(new Tooltip("Last page (End in the pager)"));
        export.setTooltip(new Tooltip("Write every row of this filtered, sorted view to CSV (PII stays ciphertext)"));
        first.setOnAction(e -> showFirst());
        prev.setOnAction(e -> showPrevious());
        next.setOnAction(e -> showNext());
        last.setOnAction(e -> showLast());
        export.setOnAction(e -> exportInteractive());
        // the page label sits after the buttons and has room for large numbers: the buttons never move
        pageLabel.setMinWidth(300);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox pager = new HBox(6, first, prev, next, last, pageLabel, spacer, rowCount, export);
        pager.setAlignment(Pos.CENTER_LEFT);
        pager.setId(id + "-pager");

        reason.setId(id + "-reason");
        reason.setPromptText("Reason for revealing (required, audited) — Enter reveals");
        reason.setTextFormatter(new TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= RevealClient.MAX_REASON_LENGTH ? ch : null));
        reason.setOnAction(e -> revealShortcut());
        HBox.setHgrow(reason, Priority.ALWAYS);
        revealButton.setId(id + "-reveal");
        revealButton.getStyleClass().add("reveal-button");
        revealButton.setOnAction(e -> revealSelection());
        revealButton.setTooltip(new Tooltip("Reveal the selected PII cells through the reveal service, audited ("
                + MainView.REVEAL_KEY.getDisplayText() + ", or Enter in the reason field)"));
        revealHint.setId(id + "-revealHint");
        revealHint.getStyleClass().add("hint");
        revealHint.setWrapText(false);
        HBox revealBar = new HBox(6, new Label("Reveal:"), reason, revealButton, revealHint);
        revealBar.setAlignment(Pos.CENTER_LEFT);

        revealed.setId(id + "-revealed");
        revealed.setEditable(false);
        revealed.setWrapText(true);
        revealed.setPrefRowCount(3);
        revealedInfo.getStyleClass().add("hint");
        revealedBox = new VBox(2, revealedInfo, revealed);
        revealedBox.getStyleClass().add("revealed-box");
        revealedBox.setId(id + "-revealedBox");
        // always managed: showing and hiding the panel never moves the pager or the reason bar
        revealedBox.setVisible(false);
        hideTimer = new PauseTransition(settings.revealTimeout());
        hideTimer.setOnFinished(e -> hideRevealed());

        table.getSelectionModel().getSelectedCells().addListener((javafx.beans.InvalidationListener) o -> {
            hideRevealed();
            updateRevealState();
        });
        reason.textProperty().addListener((o, a, b) -> updateRevealState());
        tasks.runningProperty().addListener((o, a, b) -> updateRevealState());
        table.setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case PAGE_DOWN -> {
                    if (e.isShortcutDown() || isLastRowFocused()) {
                        showNext();
                        e.consume();
                    }
                }
                case PAGE_UP -> {
                    if (e.isShortcutDown() || table.getFocusModel().getFocusedIndex() <= 0) {
                        showPrevious();
                        e.consume();
                    }
                }
                default -> {
                }
            }
        });

        List<Node> children = new ArrayList<>();
        if (filterPane != null) {
            children.add(filterPane);
        }
        children.add(table);
        children.add(pager);
        if (spec.columns().stream().anyMatch(Column::isPii)) {
            children.addAll(List.of(revealBar, revealedBox));
        }
        root = new VBox(6);
        root.getChildren().addAll(children);
        root.setPadding(new Insets(8));
        updatePager();
        updateRevealState();
    }

    Node node() {
        return root;
    }

    TableView<Row> table() {
        return table;
    }

    TextField reasonField() {
        return reason;
    }

    Filter filter() {
        return filter;
    }

    Sort sort() {
        return sort;
    }

    /** Applies a new filter and shows its first page. */
    void setFilter(Filter f) {
        this.filter = f;
        reload();
    }

    /** First page and row count for the current filter and sort. */
    void reload() {
        total = -1;
        showFirst();
        rowCount.setText("counting…");
        tasks.run("Counting rows", () -> repo.count(spec, filter), n -> {
            total = n;
            rowCount.setText(String.format("%,d rows", n));
            updatePager();
        }, msg -> rowCount.setText(""));
    }

    // --- paging: keyset pages forward (after the last row) and backward (before the first row) ---

    private void showFirst() {
        load(0, null, sort, settings.pageSize(), false, false);
    }

    private void showNext() {
        if (loading || !hasNext || table.getItems().isEmpty()) {
            return;
        }
        Row lastRow = table.getItems().get(table.getItems().size() - 1);
        load(pageIndex + 1, cursorOf(lastRow), sort, settings.pageSize(), false, false);
    }

    private void showPrevious() {
        if (loading || pageIndex == 0) {
            return;
        }
        if (table.getItems().isEmpty()) {
            showFirst();
            return;
        }
        // the page we came from follows
        load(pageIndex - 1, cursorOf(table.getItems().get(0)), reversed(sort), settings.pageSize(), true, true);
    }

    private void showLast() {
        if (loading || total < 0) {
            return;
        }
        int size = settings.pageSize();
        int lastIndex = total == 0 ? 0 : (int) ((total - 1) / size);
        int rowsOnLast = total == 0 ? size : (int) (total - (long) lastIndex * size);
        load(lastIndex, null, reversed(sort), rowsOnLast, true, false);
    }

    private Page.Cursor cursorOf(Row row) {
        return new Page.Cursor(row.get(sort.column()), row.key());
    }

    private static Sort reversed(Sort s) {
        return new Sort(s.column(), !s.ascending());
    }

    /**
     * Loads one page. Backward pages are read in the reversed order (which is the exact mirror of the
     * forward order, NULLs and ties included) and turned around; {@code moreAfter} says whether rows
     * follow a backward page (after Prev: yes; the last page: no).
     */
    private void load(int index, Page.Cursor after, Sort order, int limit, boolean backward, boolean moreAfter) {
        Filter f = filter;
        loading = true;
        updatePager();
        tasks.run("Loading " + spec.name(), () -> repo.page(spec, f, order, after, limit), page -> {
            loading = false;
            List<Row> rows = new ArrayList<>(page.rows());
            if (backward) {
                java.util.Collections.reverse(rows);
                if (index > 0 && rows.size() < settings.pageSize() && after != null) {
                    // fewer rows before this page than a page: rows were deleted meanwhile; start over
                    showFirst();
                    return;
                }
                hasNext = moreAfter;
            } else {
                hasNext = page.hasNext();
            }
            pageIndex = index;
            table.getItems().setAll(rows);
            table.getSelectionModel().clearSelection();
            table.scrollTo(0);
            updatePager();
        }, msg -> {
            loading = false;
            updatePager();
        });
    }

    private boolean isLastRowFocused() {
        int i = table.getFocusModel().getFocusedIndex();
        return i >= table.getItems().size() - 1;
    }

    /**
     * Buttons are not disabled while a page loads (clicks are ignored instead): a disabled button
     * loses the keyboard focus, which would jump elsewhere (to Export) after every Next.
     */
    private void updatePager() {
        Button focused = focusedPagerButton();
        boolean atStart = pageIndex == 0;
        first.setDisable(atStart);
        prev.setDisable(atStart);
        next.setDisable(!hasNext && !loading);
        last.setDisable(!hasNext && !loading || total < 0);
        if (focused != null && focused.isDisabled()) {
            keepFocusInPager(focused);
        }
        int size = settings.pageSize();
        long from = (long) pageIndex * size + (table.getItems().isEmpty() ? 0 : 1);
        long to = (long) pageIndex * size + table.getItems().size();
        String pages = total < 0 ? "" : String.format(" of %,d", Math.max(1, (total + size - 1) / size));
        pageLabel.setText(String.format("Page %,d%s · rows %,d–%,d", pageIndex + 1, pages, from, to));
    }

    private Button focusedPagerButton() {
        for (Button b : new Button[] {first, prev, next, last}) {
            if (b.isFocused()) {
                return b;
            }
        }
        return null;
    }

    /** A pager button that became disabled hands the focus to its neighbour, not to the next control in the window. */
    private void keepFocusInPager(Button disabled) {
        Button[] candidates = disabled == first || disabled == prev ? new Button[] {next, last} : new Button[] {prev, first};
        for (Button b : candidates) {
            if (!b.isDisabled()) {
                b.requestFocus();
                return;
            }
        }
        table.requestFocus();
    }

    // --- reveal -------------------------------------------------------------------------------

    /** Selected cells of PII columns, in selection order, one per (row, column). */
    List<RevealClient.Cell> selectedPiiCells() {
        Map<String, RevealClient.Cell> cells = new LinkedHashMap<>();
        for (TablePosition<?, ?> pos : table.getSelectionModel().getSelectedCells()) {
            if (pos.getRow() < 0 || pos.getTableColumn() == null) {
                continue;
            }
            String colName = (String) pos.getTableColumn().getUserData();
            if (spec.requireColumn(colName).isPii()) {
                Row row = table.getItems().get(pos.getRow());
                cells.putIfAbsent(row.key() + "\u0000" + colName, new RevealClient.Cell(spec, row.key(), colName));
            }
        }
        return new ArrayList<>(cells.values());
    }

    private void updateRevealState() {
        String why = revealBlocker();
        revealButton.setDisable(why != null);
        revealHint.setText(why == null ? "Audited: the database records you, the row, the column and the reason first." : why);
    }

    /** Why reveal is not possible right now, or null. */
    private String revealBlocker() {
        if (spec.columns().stream().noneMatch(Column::isPii)) {
            return "This table holds no PII.";
        }
        // the role is checked even before a cell is selected
        switch (session.revealRight()) {
            case NOT_GRANTED -> {
                return "Reveal needs the pii_reader role: login " + session.currentUser()
                        + " may not execute pii_reveal.";
            }
            case NO_FUNCTION -> {
                return "This database has no pii_reveal function: apply connect-config/sql/schema.sql and roles.sql.";
            }
            default -> {
            }
        }
        if (selectedPiiCells().isEmpty()) {
            return "Select a cell of a PII column to reveal it.";
        }
        if (reason.getText() == null || reason.getText().isBlank()) {
            return "Enter a reason: it is written to the audit log.";
        }
        if (tasks.runningProperty().get() > 0 || confirmation != null) {
            return "Busy…";
        }
        return null;
    }

    /** Ctrl+R or Enter in the reason field: reveal the selection, or ask for a reason first. */
    void revealShortcut() {
        if (!revealButton.isDisabled()) {
            revealSelection();
        } else if (reason.getText() == null || reason.getText().isBlank()) {
            reason.requestFocus();
        }
    }

    /**
     * Counts, for each deterministic cell, the rows sharing its ciphertext (all of them are exposed
     * by the reveal), asks when that is more than one row or more than {@link #CONFIRM_ABOVE} cells,
     * then reveals.
     */
    private void revealSelection() {
        if (revealBlocker() != null) {
            return;
        }
        List<RevealClient.Cell> cells = selectedPiiCells();
        String why = reason.getText();
        tasks.run("Counting rows that share the selected values", () -> {
            Map<RevealClient.Cell, Long> shares = new LinkedHashMap<>();
            for (RevealClient.Cell c : cells) {
                if (spec.requireColumn(c.column()).isDeterministic()) {
                    shares.put(c, repo.rowsSharingValue(spec, c.key(), c.column()));
                }
            }
            return shares;
        }, shares -> confirmThenReveal(cells, why, shares), msg -> revealHint.setText(msg));
    }

    private void confirmThenReveal(List<RevealClient.Cell> cells, String why, Map<RevealClient.Cell, Long> shares) {
        List<String> shared = new ArrayList<>();
        shares.forEach((c, n) -> {
            if (n > 1) {
                shared.add(String.format("%s of %s: the same value is in %,d rows — revealing it exposes all of them.",
                        c.column(), c.key(), n));
            }
        });
        if (cells.size() <= CONFIRM_ABOVE && shared.isEmpty()) {
            doReveal(cells, why, shares);
            return;
        }
        StringBuilder text = new StringBuilder();
        if (cells.size() > CONFIRM_ABOVE) {
            text.append(String.format("You are about to reveal %,d values. Each one is written to the audit log with your"
                    + " reason.%n", cells.size()));
        }
        int listed = 0;
        for (String s : shared) {
            if (listed++ == 10) {
                text.append(String.format("… and %,d more shared values.%n", shared.size() - 10));
                break;
            }
            text.append(s).append('\n');
        }
        ButtonType go = new ButtonType("Reveal", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text.toString().stripTrailing(), go, ButtonType.CANCEL);
        alert.setTitle("Reveal PII");
        alert.setHeaderText(cells.size() > CONFIRM_ABOVE ? "Reveal " + cells.size() + " values?" : "Reveal a shared value?");
        alert.getDialogPane().setId("revealConfirmation");
        if (root.getScene() != null) {
            alert.initOwner(root.getScene().getWindow());
        }
        // the safe choice is the default: Enter or Esc cancels
        ((Button) alert.getDialogPane().lookupButton(go)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        confirmation = alert;
        updateRevealState();
        alert.setOnHidden(e -> {
            confirmation = null;
            boolean ok = alert.getResult() == go;
            updateRevealState();
            if (ok) {
                doReveal(cells, why, shares);
            } else {
                revealHint.setText("Nothing revealed.");
            }
        });
        alert.show();
    }

    private void doReveal(List<RevealClient.Cell> cells, String why, Map<RevealClient.Cell, Long> shares) {
        tasks.run("Revealing (audited)", () -> reveal.reveal(cells, why), values -> {
            // a new reveal needs a new reason: a pasted value must not ride along into the next audit row
            reason.clear();
            showRevealed(values, shares);
        }, msg -> revealHint.setText(msg));
    }

    private void showRevealed(List<RevealClient.Revealed> values, Map<RevealClient.Cell, Long> shares) {
        hideRevealed();
        StringBuilder sb = new StringBuilder();
        int failed = 0;
        for (RevealClient.Revealed r : values) {
            if (values.size() > 1 || !r.ok()) {
                sb.append(r.cell().column()).append(" of ").append(r.cell().key()).append(": ");
            }
            if (r.ok()) {
                sb.append(r.plaintext());
                shownPlaintext.add(r.plaintext());
            } else {
                failed++;
                sb.append("not revealed — ").append(r.error());
            }
            sb.append('\n');
        }
        revealed.setText(sb.toString().stripTrailing());
        RevealClient.Cell one = values.get(0).cell();
        String what = values.size() == 1 ? one.column() + " of " + one.key() : values.size() + " values";
        Long sharing = values.size() == 1 ? shares.get(one) : null;
        revealedInfo.setText("Revealed " + what + (failed > 0 ? " (" + failed + " failed)" : "")
                + (sharing != null && sharing > 1 ? String.format(", a value %,d rows share", sharing) : "")
                + "; audit rows written. Hidden again in " + (int) settings.revealTimeout().toSeconds()
                + " s or when the selection changes.");
        revealedBox.setVisible(true);
        hideTimer.playFromStart();
    }

    /** Hides revealed text, and takes it off the clipboard if it was copied from there. */
    void hideRevealed() {
        hideTimer.stop();
        if (!shownPlaintext.isEmpty()) {
            Clipboard clipboard = Clipboard.getSystemClipboard();
            if (clipboard.hasString()) {
                String held = clipboard.getString();
                if (held != null && shownPlaintext.stream().anyMatch(p -> !p.isEmpty() && held.contains(p))) {
                    clipboard.clear();
                    tasks.statusLabel().setText("Revealed text hidden and removed from the clipboard.");
                }
            }
            shownPlaintext.clear();
        }
        revealed.clear();
        revealedInfo.setText("");
        revealedBox.setVisible(false);
    }

    // --- copy and export ----------------------------------------------------------------------

    /** Ctrl+C: the selected cells' stored values (ciphertext for PII), tab-separated, one line per row. */
    void copySelection() {
        Map<Integer, List<String>> byRow = new LinkedHashMap<>();
        List<TablePosition<?, ?>> cells = new ArrayList<>();
        for (TablePosition<?, ?> pos : table.getSelectionModel().getSelectedCells()) {
            cells.add(pos);
        }
        cells.sort((a, b) -> a.getRow() != b.getRow() ? Integer.compare(a.getRow(), b.getRow())
                : Integer.compare(a.getColumn(), b.getColumn()));
        for (TablePosition<?, ?> pos : cells) {
            if (pos.getRow() < 0 || pos.getTableColumn() == null) {
                continue;
            }
            Object v = table.getItems().get(pos.getRow()).get((String) pos.getTableColumn().getUserData());
            byRow.computeIfAbsent(pos.getRow(), r -> new ArrayList<>()).add(display(v, false));
        }
        if (byRow.isEmpty()) {
            return;
        }
        String text = String.join("\n", byRow.values().stream().map(l -> String.join("\t", l)).toList());
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
        tasks.statusLabel().setText("Copied " + cells.size() + " cell(s).");
    }

    private void exportInteractive() {
        File target = settings.exportTarget().apply(root.getScene() == null ? null : root.getScene().getWindow(),
                spec.name() + ".csv");
        if (target != null) {
            exportTo(target);
        }
    }

    /** Writes every row of the current filtered, sorted view to {@code target} (masked values only). */
    void exportTo(File target) {
        Filter f = filter;
        Sort s = sort;
        File absolute = target.getAbsoluteFile();
        final javafx.concurrent.Task<?>[] self = new javafx.concurrent.Task<?>[1];
        self[0] = tasks.run("Exporting to " + absolute,
                () -> CsvExport.export(repo, spec, f, s, absolute.toPath(), () -> self[0] != null && self[0].isCancelled()),
                n -> tasks.statusLabel().setText(String.format("Exported %,d rows to %s", n, absolute)));
    }

    // --- cells --------------------------------------------------------------------------------

    private TableColumn<Row, Object> column(Column c) {
        TableColumn<Row, Object> col = new TableColumn<>(c.name());
        col.setUserData(c.name());
        col.setId(spec.name() + "-col-" + c.name());
        col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue().get(c.name())));
        boolean pii = c.isPii();
        col.setCellFactory(tc -> new TableCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setTooltip(null);
                    getStyleClass().remove("pii-cell");
                    return;
                }
                setText(display(item, pii));
                if (pii) {
                    if (!getStyleClass().contains("pii-cell")) {
                        getStyleClass().add("pii-cell");
                    }
                    setTooltip(new Tooltip(item.toString()));
                } else {
                    setTooltip(null);
                }
            }
        });
        col.setPrefWidth(switch (c.name()) {
            case "message_id" -> 150;
            case "user_id", "analyst" -> 270;
            case "create_date", "at" -> 160;
            case "masked_ip", "masked_device_id", "encrypted_body" -> 140;
            case "error", "reason", "failure" -> 260;
            default -> 95;
        });
        return col;
    }

    static String display(Object value, boolean abbreviate) {
        if (value == null) {
            return "";
        }
        if (value instanceof OffsetDateTime t) {
            return TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        String s = value.toString();
        return abbreviate && s.length() > ABBREVIATE ? s.substring(0, ABBREVIATE) + "…" : s;
    }
}
