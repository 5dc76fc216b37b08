package io.sqspii.inspector;

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
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A server-paged, server-sorted view of one table with reveal and export. Sorting a column header
 * re-queries the database (keyset paging); the visible page is all the client holds.
 */
final class TableBrowser {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");
    static final int ABBREVIATE = 14;

    private final TableSpec spec;
    private final InspectorRepository repo;
    private final DbTasks tasks;
    private final RevealService reveal;
    private final UiSettings settings;

    private final TableView<Row> table = new TableView<>();
    private final Button first = new Button("« First");
    private final Button prev = new Button("◀ Prev");
    private final Button next = new Button("Next ▶");
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

    private Filter filter = Filter.NONE;
    private Sort sort;
    /** Cursor before each visited page: index 0 is the first page (null cursor). */
    private final List<Page.Cursor> pageStarts = new ArrayList<>();
    private int pageIndex;
    private Page.Cursor nextCursor;
    private boolean loading;

    TableBrowser(TableSpec spec, Sort initialSort, InspectorRepository repo, DbTasks tasks, RevealService reveal,
                 UiSettings settings, Node filterPane) {
        this.spec = spec;
        this.repo = repo;
        this.tasks = tasks;
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
        pageLabel.setId(id + "-page");
        rowCount.setId(id + "-count");
        export.setId(id + "-export");
        first.setOnAction(e -> loadPage(0));
        prev.setOnAction(e -> loadPage(pageIndex - 1));
        next.setOnAction(e -> loadPage(pageIndex + 1));
        export.setOnAction(e -> exportInteractive());
        first.disableProperty().bind(tasks.runningProperty().greaterThan(0));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox pager = new HBox(6, first, prev, pageLabel, next, spacer, rowCount, export);
        pager.setAlignment(Pos.CENTER_LEFT);

        reason.setId(id + "-reason");
        reason.setPromptText("Reason for revealing (required, audited)");
        reason.setTextFormatter(new javafx.scene.control.TextFormatter<String>(
                ch -> ch.getControlNewText().length() <= RevealService.MAX_REASON_LENGTH ? ch : null));
        HBox.setHgrow(reason, Priority.ALWAYS);
        revealButton.setId(id + "-reveal");
        revealButton.getStyleClass().add("reveal-button");
        revealButton.setOnAction(e -> revealSelection());
        revealHint.setId(id + "-revealHint");
        revealHint.getStyleClass().add("hint");
        HBox revealBar = new HBox(6, new Label("Reveal:"), reason, revealButton);
        revealBar.setAlignment(Pos.CENTER_LEFT);

        revealed.setId(id + "-revealed");
        revealed.setEditable(false);
        revealed.setWrapText(true);
        revealed.setPrefRowCount(3);
        revealedInfo.getStyleClass().add("hint");
        revealedBox = new VBox(2, revealedInfo, revealed);
        revealedBox.getStyleClass().add("revealed-box");
        revealedBox.setId(id + "-revealedBox");
        revealedBox.setVisible(false);
        revealedBox.setManaged(false);
        hideTimer = new PauseTransition(settings.revealTimeout());
        hideTimer.setOnFinished(e -> hideRevealed());

        table.getSelectionModel().getSelectedCells().addListener((javafx.beans.InvalidationListener) o -> {
            hideRevealed();
            updateRevealState();
        });
        reason.textProperty().addListener((o, a, b) -> updateRevealState());
        tasks.runningProperty().addListener((o, a, b) -> updateRevealState());

        List<Node> children = new ArrayList<>();
        if (filterPane != null) {
            children.add(filterPane);
        }
        children.add(table);
        children.add(pager);
        if (spec.columns().stream().anyMatch(Column::isPii)) {
            children.addAll(List.of(revealBar, revealHint, revealedBox));
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
        pageStarts.clear();
        pageStarts.add(null);
        loadPage(0);
        rowCount.setText("counting…");
        tasks.run("Counting rows", () -> repo.count(spec, filter), n -> rowCount.setText(String.format("%,d rows", n)),
                msg -> rowCount.setText(""));
    }

    private void loadPage(int index) {
        if (index < 0 || index >= pageStarts.size() + (nextCursor != null ? 1 : 0)) {
            return;
        }
        Page.Cursor after = index < pageStarts.size() ? pageStarts.get(index) : nextCursor;
        Filter f = filter;
        Sort s = sort;
        loading = true;
        updatePager();
        tasks.run("Loading " + spec.name(), () -> repo.page(spec, f, s, after, settings.pageSize()), page -> {
            loading = false;
            while (pageStarts.size() <= index) {
                pageStarts.add(after);
            }
            pageIndex = index;
            nextCursor = page.next();
            table.getItems().setAll(page.rows());
            table.getSelectionModel().clearSelection();
            updatePager();
        }, msg -> {
            loading = false;
            updatePager();
        });
    }

    private void updatePager() {
        prev.setDisable(loading || pageIndex == 0);
        next.setDisable(loading || nextCursor == null);
        int from = pageIndex * settings.pageSize() + (table.getItems().isEmpty() ? 0 : 1);
        int to = pageIndex * settings.pageSize() + table.getItems().size();
        pageLabel.setText("Page " + (pageIndex + 1) + " · rows " + from + "–" + to);
    }

    // --- reveal -------------------------------------------------------------------------------

    /** Selected cells of PII columns, in selection order, one per (row, column). */
    List<RevealService.Cell> selectedPiiCells() {
        Map<String, RevealService.Cell> cells = new LinkedHashMap<>();
        for (TablePosition<?, ?> pos : table.getSelectionModel().getSelectedCells()) {
            if (pos.getRow() < 0 || pos.getTableColumn() == null) {
                continue;
            }
            String colName = (String) pos.getTableColumn().getUserData();
            if (spec.requireColumn(colName).isPii()) {
                Row row = table.getItems().get(pos.getRow());
                cells.putIfAbsent(row.key() + "\u0000" + colName, new RevealService.Cell(spec, row.key(), colName));
            }
        }
        return new ArrayList<>(cells.values());
    }

    private void updateRevealState() {
        String why = revealBlocker();
        revealButton.setDisable(why != null);
        revealHint.setText(why == null ? "Reveal writes an audit row (you, the row, the column, the reason) before showing the value." : why);
    }

    /** Why reveal is not possible right now, or null. */
    private String revealBlocker() {
        String piiColumn = spec.columns().stream().filter(Column::isPii).map(Column::name).findFirst().orElse(null);
        if (piiColumn == null) {
            return "This table holds no PII.";
        }
        // role and key problems are shown even before a cell is selected
        RevealService.Availability base = reveal.availability(spec, piiColumn);
        if (!base.allowed()) {
            return base.reason();
        }
        List<RevealService.Cell> cells = selectedPiiCells();
        if (cells.isEmpty()) {
            return "Select a cell of a PII column to reveal it.";
        }
        for (RevealService.Cell c : cells) {
            RevealService.Availability a = reveal.availability(spec, c.column());
            if (!a.allowed()) {
                return a.reason();
            }
        }
        if (reason.getText() == null || reason.getText().isBlank()) {
            return "Enter a reason: it is written to the audit log.";
        }
        if (tasks.runningProperty().get() > 0) {
            return "Busy…";
        }
        return null;
    }

    /** Ctrl+R: reveal the selection, or ask for a reason first. */
    void revealShortcut() {
        if (!revealButton.isDisabled()) {
            revealSelection();
        } else if (reason.getText() == null || reason.getText().isBlank()) {
            reason.requestFocus();
        }
    }

    private void revealSelection() {
        if (revealBlocker() != null) {
            return;
        }
        List<RevealService.Cell> cells = selectedPiiCells();
        String why = reason.getText();
        tasks.run("Revealing (audited)", () -> reveal.reveal(cells, why), this::showRevealed,
                msg -> revealHint.setText(msg));
    }

    private void showRevealed(List<RevealService.Revealed> values) {
        StringBuilder sb = new StringBuilder();
        for (RevealService.Revealed r : values) {
            if (values.size() > 1) {
                sb.append(r.cell().column()).append(" of ").append(r.cell().key()).append(": ");
            }
            sb.append(r.plaintext()).append('\n');
        }
        revealed.setText(sb.toString().stripTrailing());
        String what = values.size() == 1
                ? values.get(0).cell().column() + " of " + values.get(0).cell().key()
                : values.size() + " values";
        revealedInfo.setText("Revealed " + what + " (audit row written). Hidden again in "
                + (int) settings.revealTimeout().toSeconds() + " s or when the selection changes.");
        revealedBox.setVisible(true);
        revealedBox.setManaged(true);
        hideTimer.playFromStart();
    }

    void hideRevealed() {
        hideTimer.stop();
        revealed.clear();
        revealedBox.setVisible(false);
        revealedBox.setManaged(false);
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
        File target = settings.exportTarget().apply(root.getScene() == null ? null : root.getScene().getWindow());
        if (target != null) {
            exportTo(target);
        }
    }

    /** Writes every row of the current filtered, sorted view to {@code target} (masked values only). */
    void exportTo(File target) {
        Filter f = filter;
        Sort s = sort;
        final javafx.concurrent.Task<?>[] self = new javafx.concurrent.Task<?>[1];
        self[0] = tasks.run("Exporting to " + target.getName(),
                () -> CsvExport.export(repo, spec, f, s, target.toPath(), () -> self[0] != null && self[0].isCancelled()),
                n -> tasks.statusLabel().setText(String.format("Exported %,d rows to %s", n, target.getName())));
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
            case "error", "reason" -> 260;
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
