package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.data.OverviewRepository;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.RevealClient;
import java.util.List;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The main window: header with the dataset picker, tabs Overview / Rows / Duplicates / Rejected / Grants /
 * Approvals / Audit / Erasure, status bar. The datasets are the PII catalog's; Rows, Duplicates, Rejected and the
 * Overview show the chosen one. The tabs follow what the login may do: Grants for one that may request grants
 * (pii_reader), Approvals for one that may decide them (pii_approver), Audit (the auditor's desk and the log) for one
 * that may read the audit log, Erasure for one that may erase data subjects (pii_eraser), the dataset tabs for one that
 * may read a dataset (or may do nothing else, to be told why).
 */
public final class MainView implements AutoCloseable {

    static final KeyCombination FILTER_KEY = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination REVEAL_KEY = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination COPY_KEY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination DISCONNECT_KEY =
            new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    private final Session session;
    private final RevealClient revealClient;
    private final DbTasks tasks;
    private final InspectorRepository repo;
    private final UiSettings settings;
    private final ComboBox<Dataset> picker = new ComboBox<>();
    private final Button refreshDatasets = new Button("⟳");
    private Dataset dataset;
    /** The catalog's datasets as last read. */
    private List<Dataset> datasets = List.of();

    private FilterPane rowsFilter;
    private FilterPane rejectedFilter;
    private TableBrowser rows;
    private TableBrowser rejected;
    private final TableBrowser audit;
    private final DuplicatesView duplicates;
    private final OverviewView overview;
    private final Tab overviewTab;
    private final TabPane tabs = new TabPane();
    private final Tab rowsTab;
    private final Tab duplicatesTab;
    private final Tab rejectedTab;
    private final Tab auditTab;
    /** Null unless the login may request grants (pii_reader). */
    private final GrantsView grants;

    private final Tab grantsTab;
    /** Null unless the login may decide grants (pii_approver). */
    private final ApprovalsView approvals;

    private final Tab approvalsTab;
    /** Null unless the login may read the audit log (pii_auditor). */
    private final AuditDeskView desk;

    private final TabPane auditTabs = new TabPane();
    private final Tab deskTab;
    private final Tab logTab;
    /** Null unless the login may erase data subjects (pii_eraser). */
    private final ErasureView erasure;

    private final Tab erasureTab;
    private final Label serviceBadge = new Label("reveal service: checking…");
    private final Button disconnect = new Button("Disconnect");
    private final BorderPane root = new BorderPane();
    private boolean closed;
    private boolean started;
    private final RevealClient revealClientForBrowsers;
    /** Opens the grant request after a reveal refused for want of a grant; null for a login that may not request. */
    private java.util.function.Consumer<RevealFlow.GrantNeed> requestGrant;

    /**
     * @param revealClient the reveal service, with this login
     * @param onDisconnect runs after the session is closed by the Disconnect button (back to the connect dialog)
     */
    public MainView(
            Session session, String url, RevealClient revealClient, UiSettings settings, Runnable onDisconnect) {
        this.session = session;
        this.revealClient = revealClient;
        this.repo = session.repository();
        this.settings = settings;
        this.tasks = new DbTasks(repo::cancelRunning);

        audit = session.canReadAudit()
                ? new TableBrowser(
                        TableSpec.AUDIT,
                        null,
                        Sort.desc("id"),
                        repo,
                        tasks,
                        session,
                        revealClient,
                        settings,
                        null,
                        null)
                : null;
        duplicates = new DuplicatesView(repo, tasks, () -> datasets, this::openGroup);
        overview = new OverviewView(
                new OverviewRepository(repo),
                tasks,
                () -> dataset,
                () -> rowsFilter == null ? Filter.NONE : rowsFilter.appliedFilter(),
                this::openGroup);

        rowsTab = tab("Rows", "tab-rows", new StackPane());
        duplicatesTab = tab("Duplicates", "tab-duplicates", duplicates.node());
        rejectedTab = tab("Rejected", "tab-rejected", new StackPane());
        desk = session.canReadAudit() ? new AuditDeskView(session.governance(), tasks, settings.exportTarget()) : null;
        deskTab = tab("Desk", "tab-desk", desk != null ? desk.node() : new StackPane());
        logTab = tab("Log", "tab-log", audit != null ? audit.node() : new StackPane());
        auditTabs.getTabs().setAll(List.of(deskTab, logTab));
        auditTab = tab("Audit", "tab-audit", auditTabs);
        grants = session.canRequestGrants()
                ? new GrantsView(session.governance(), tasks, session.currentUser(), session.purposes())
                : null;
        grantsTab = tab("Grants", "tab-grants", grants != null ? grants.node() : new StackPane());
        approvals = session.canDecideGrants()
                ? new ApprovalsView(session.governance(), tasks, session.currentUser())
                : null;
        approvalsTab = tab("Approvals", "tab-approvals", approvals != null ? approvals.node() : new StackPane());
        erasure = session.canErase()
                ? new ErasureView(session.governance(), tasks, revealClient, session.currentUser())
                : null;
        erasureTab = tab("Erasure", "tab-erasure", erasure != null ? erasure.node() : new StackPane());
        // the key domains are read the first time the tab is shown (again on ⟳)
        erasureTab.setOnSelectionChanged(e -> once(erasureTab, () -> {
            if (erasure != null) {
                erasure.refresh();
            }
        }));
        if (grants != null) {
            requestGrant = need -> {
                tabs.getSelectionModel().select(grantsTab);
                grants.prefill(need);
            };
        }
        // grants change by others' hands (approvals, expiry): read again whenever shown
        grantsTab.setOnSelectionChanged(e -> {
            if (grantsTab.isSelected() && grants != null) {
                grants.refresh();
            }
        });
        approvalsTab.setOnSelectionChanged(e -> {
            if (approvalsTab.isSelected() && approvals != null) {
                approvals.refresh();
            }
        });
        deskTab.setOnSelectionChanged(e -> {
            if (desk != null && deskTab.isSelected() && auditTab.isSelected()) {
                desk.refresh();
            }
        });
        logTab.setOnSelectionChanged(e -> {
            if (audit != null && logTab.isSelected()) {
                once(logTab, audit::reload);
            }
        });
        overviewTab = tab("Overview", "tab-overview", overview.node());
        // the overview follows the Rows filters: recomputed whenever it is shown
        overviewTab.setOnSelectionChanged(e -> {
            if (overviewTab.isSelected()) {
                overview.refresh();
            }
        });
        // each tab's data is loaded the first time it is shown (again after another dataset is chosen)
        rowsTab.setOnSelectionChanged(e -> once(rowsTab, () -> {
            if (rows != null) {
                rows.reload();
            }
        }));
        duplicatesTab.setOnSelectionChanged(e -> once(duplicatesTab, duplicates::refresh));
        rejectedTab.setOnSelectionChanged(e -> once(rejectedTab, () -> {
            if (rejected != null) {
                rejected.reload();
            }
        }));
        auditTab.setOnSelectionChanged(e -> {
            if (auditTab.isSelected()) {
                loadAudit();
            }
        });

        picker.setId("datasetPicker");
        picker.setTooltip(
                new Tooltip("The dataset shown in Rows, Duplicates, Rejected and the Overview (the PII catalog's)"));
        picker.setOnAction(e -> {
            Dataset d = picker.getValue();
            if (d != null && (dataset == null || !d.equals(dataset))) {
                choose(d);
            }
        });
        refreshDatasets.setId("datasetRefresh");
        refreshDatasets.setTooltip(new Tooltip("Read the PII catalog again: datasets applied since show up"));
        refreshDatasets.setOnAction(e -> tasks.run("Reading the PII catalog", repo::datasets, this::setDatasets));
        refreshDatasets.addEventHandler(
                javafx.event.ActionEvent.ACTION,
                e -> tasks.run(
                        "Reading the purposes", () -> session.governance().purposes(), this::setPurposes));
        refreshDatasets.addEventHandler(javafx.event.ActionEvent.ACTION, e -> {
            if (erasure != null) {
                erasure.refresh();
            }
        });
        this.revealClientForBrowsers = revealClient;
        setDatasets(session.datasets());

        disconnect.setId("disconnectButton");
        disconnect.setTooltip(new Tooltip("Close this session and log in again, e.g. as another login ("
                + DISCONNECT_KEY.getDisplayText() + ")"));
        disconnect.setOnAction(e -> {
            close();
            onDisconnect.run();
        });
        root.setTop(header(url));
        root.setCenter(tabs);
        root.setBottom(tasks.statusBar());
        root.getStyleClass().add("main");
    }

    public Parent root() {
        return root;
    }

    /**
     * Shows the chosen dataset's rows, or, when this login may read no dataset table, the first of its own tabs (an
     * auditor's audit desk, an eraser's Erasure); and asks the reveal service whether it is up.
     */
    public void start() {
        started = true;
        if (tabs.getTabs().contains(rowsTab) && (dataset != null && dataset.readable() || browsingOnly())) {
            tabs.getSelectionModel().select(rowsTab);
        } else {
            tabs.getTabs().stream()
                    .filter(t -> t == auditTab || t == approvalsTab || t == grantsTab || t == erasureTab)
                    .findFirst()
                    .ifPresent(tabs.getSelectionModel()::select);
        }
        // selecting the already selected first tab fires no change: load it here
        Tab t = tabs.getSelectionModel().getSelectedItem();
        if (t == rowsTab) {
            once(rowsTab, () -> {
                if (rows != null) {
                    rows.reload();
                }
            });
        } else if (t == auditTab) {
            loadAudit();
        } else if (t == approvalsTab) {
            approvals.refresh();
        } else if (t == grantsTab) {
            grants.refresh();
        } else if (t == erasureTab) {
            once(erasureTab, erasure::refresh);
        }
        checkRevealService();
    }

    /** Loads the Audit tab's inner tab shown: the desk each time, the log once. */
    private void loadAudit() {
        if (deskTab.isSelected() && desk != null) {
            desk.refresh();
        } else if (logTab.isSelected() && audit != null) {
            once(logTab, audit::reload);
        }
    }

    /** The purposes read again (⟳): the reveal panels and the grant request offer them. */
    void setPurposes(List<io.sqspii.inspector.model.Purpose> purposes) {
        for (TableBrowser b : new TableBrowser[] {rows, rejected}) {
            if (b != null) {
                b.setPurposes(purposes);
            }
        }
        if (grants != null) {
            grants.setPurposes(purposes);
        }
    }

    /**
     * The datasets to offer (the catalog read again): keeps the chosen one when it is still there, else the
     * remembered one, else the first this login may read.
     */
    void setDatasets(List<Dataset> all) {
        String keep = dataset != null ? dataset.name() : settings.dataset().get();
        Dataset next = all.stream()
                .filter(d -> d.name().equals(keep))
                .findFirst()
                .or(() -> all.stream().filter(Dataset::readable).findFirst())
                .or(() -> all.stream().findFirst())
                .orElse(null);
        datasets = List.copyOf(all);
        picker.getItems().setAll(all);
        showTabs();
        boolean changed = next == null || dataset == null || !next.equals(dataset);
        if (next != null) {
            picker.setValue(next);
        }
        if (changed) {
            choose(next);
        }
    }

    /**
     * The tabs this login can use: the dataset tabs when it may read a dataset's table (or when it may not read
     * the audit log either, so the Rows tab says why), Audit when it may read the audit log.
     */
    private void showTabs() {
        List<Tab> usable = new java.util.ArrayList<>();
        if (browsingOnly() || datasets.stream().anyMatch(Dataset::readable)) {
            usable.addAll(List.of(overviewTab, rowsTab, duplicatesTab, rejectedTab));
        }
        if (grants != null) {
            usable.add(grantsTab);
        }
        if (approvals != null) {
            usable.add(approvalsTab);
        }
        if (audit != null) {
            usable.add(auditTab);
        }
        if (erasure != null) {
            usable.add(erasureTab);
        }
        if (!tabs.getTabs().equals(usable)) {
            tabs.getTabs().setAll(usable);
        }
    }

    /** Whether this login has none of the tabs of a role (Grants, Approvals, Audit, Erasure): only the dataset tabs. */
    private boolean browsingOnly() {
        return audit == null && grants == null && approvals == null && erasure == null;
    }

    /** Shows dataset {@code d} (null: none applied) in Rows, Duplicates, Rejected and the Overview. */
    void choose(Dataset d) {
        if (rows != null) {
            rows.hideRevealed();
        }
        if (rejected != null) {
            rejected.hideRevealed();
        }
        dataset = d;
        rows = null;
        rejected = null;
        rowsFilter = null;
        rejectedFilter = null;
        if (d != null) {
            settings.dataset().set(d.name());
        }
        if (d != null && d.table() != null && d.readable()) {
            rowsFilter = new FilterPane(d.table(), f -> rows.setFilter(f));
            rows = new TableBrowser(
                    d.table(),
                    d.name(),
                    d.table().defaultSort(),
                    repo,
                    tasks,
                    session,
                    revealClientForBrowsers,
                    settings,
                    rowsFilter.node(),
                    requestGrant);
            rowsTab.setContent(rows.node());
        } else {
            rowsTab.setContent(notice(
                    d == null
                            ? "No dataset in this database's PII catalog yet: apply one with `dataset apply`,"
                                    + " then refresh (⟳)."
                            : "Login " + session.currentUser() + " may not read " + tableName(d.table(), d.name())
                                    + " (it needs the analyst role)."));
        }
        if (d != null && d.rejected() != null && d.rejectedReadable()) {
            rejectedFilter = new FilterPane(d.rejected(), f -> rejected.setFilter(f));
            rejected = new TableBrowser(
                    d.rejected(),
                    d.name(),
                    d.rejected().defaultSort(),
                    repo,
                    tasks,
                    session,
                    revealClientForBrowsers,
                    settings,
                    rejectedFilter.node(),
                    requestGrant);
            rejectedTab.setContent(rejected.node());
        } else {
            rejectedTab.setContent(notice(
                    d == null
                            ? "No dataset."
                            : "Login " + session.currentUser() + " may not read "
                                    + tableName(d.rejected(), d.name() + "'s rejected table") + "."));
        }
        duplicates.setTable(rows == null ? null : d.table());
        for (Tab t : List.of(rowsTab, duplicatesTab, rejectedTab)) {
            t.getProperties().remove("loaded");
        }
        Tab shown = tabs.getSelectionModel().getSelectedItem();
        if (!started) {
            return;
        }
        if (shown == rowsTab || shown == duplicatesTab || shown == rejectedTab) {
            // the tab's own handler loads it once
            shown.getOnSelectionChanged().handle(null);
        } else if (shown == overviewTab) {
            overview.refresh();
        }
    }

    private static String tableName(TableSpec t, String otherwise) {
        return t == null ? otherwise : t.name();
    }

    /** The dataset shown. */
    Dataset dataset() {
        return dataset;
    }

    ComboBox<Dataset> datasetPicker() {
        return picker;
    }

    /** The dataset the settings remember (shown first next time). */
    String datasetPickerChoice() {
        return settings.dataset().get();
    }

    /** Window title: database and login, so two windows (or a wrong database) are told apart at a glance. */
    public String title() {
        return session.database() + " as " + session.currentUser();
    }

    public void installShortcuts(Scene scene) {
        scene.getAccelerators().put(FILTER_KEY, () -> {
            tabs.getSelectionModel().select(rowsTab);
            if (rowsFilter != null && rowsFilter.firstField() != null) {
                rowsFilter.firstField().requestFocus();
            }
        });
        scene.getAccelerators().put(REVEAL_KEY, () -> {
            TableBrowser b = currentBrowser();
            if (b != null) {
                b.revealShortcut();
            }
        });
        scene.getAccelerators().put(COPY_KEY, () -> {
            TableBrowser b = currentBrowser();
            if (b != null) {
                b.copySelection();
            }
        });
        scene.getAccelerators().put(DISCONNECT_KEY, disconnect::fire);
        // Esc cancels a running query (fields that use Esc themselves consume it first)
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (tasks.runningProperty().get() > 0) {
                tasks.cancelCurrent();
            }
        });
    }

    private void checkRevealService() {
        if (!session.canReveal() && !session.canErase()) {
            serviceBadge.setText("reveal service: not used (no reveal or erasure right)");
            return;
        }
        Task<String> check = new Task<>() {
            @Override
            protected String call() {
                return revealClient.health();
            }
        };
        check.setOnSucceeded(e -> setServiceBadge(
                "reveal service " + check.getValue(),
                true,
                revealClient.baseUri().toString()));
        check.setOnFailed(
                e -> setServiceBadge("reveal service unreachable", false, DbTasks.messageOf(check.getException())));
        Thread t = new Thread(check, "inspector-reveal-health");
        t.setDaemon(true);
        t.start();
    }

    private void setServiceBadge(String text, boolean ok, String tooltip) {
        serviceBadge.setText(text);
        serviceBadge.getStyleClass().removeAll("badge-ok", "badge-off");
        serviceBadge.getStyleClass().add(ok ? "badge-ok" : "badge-off");
        serviceBadge.setTooltip(new Tooltip(tooltip));
    }

    private TableBrowser currentBrowser() {
        Tab t = tabs.getSelectionModel().getSelectedItem();
        if (t == rowsTab) {
            return rows;
        }
        if (t == rejectedTab) {
            return rejected;
        }
        return t == auditTab && logTab.isSelected() ? audit : null;
    }

    /** Shows one duplicate group's rows: the Rows filters are cleared, else they could hide the group. */
    private void openGroup(String column, String value) {
        if (rowsFilter == null) {
            return;
        }
        rowsFilter.showGroupOnly(column, value);
        // marked loaded first: the group's page is the one to load, not the unfiltered first page
        rowsTab.getProperties().put("loaded", Boolean.TRUE);
        tabs.getSelectionModel().select(rowsTab);
        rowsFilter.applyNow();
    }

    TableBrowser rows() {
        return rows;
    }

    TableBrowser rejected() {
        return rejected;
    }

    TableBrowser audit() {
        return audit;
    }

    OverviewView overview() {
        return overview;
    }

    Tab overviewTab() {
        return overviewTab;
    }

    DuplicatesView duplicates() {
        return duplicates;
    }

    FilterPane rejectedFilter() {
        return rejectedFilter;
    }

    FilterPane rowsFilter() {
        return rowsFilter;
    }

    TabPane tabs() {
        return tabs;
    }

    GrantsView grants() {
        return grants;
    }

    ApprovalsView approvals() {
        return approvals;
    }

    AuditDeskView desk() {
        return desk;
    }

    Tab grantsTab() {
        return grantsTab;
    }

    Tab approvalsTab() {
        return approvalsTab;
    }

    Tab auditTab() {
        return auditTab;
    }

    ErasureView erasure() {
        return erasure;
    }

    Tab erasureTab() {
        return erasureTab;
    }

    /** The Audit tab's own tabs: Desk, Log. */
    TabPane auditTabs() {
        return auditTabs;
    }

    DbTasks tasks() {
        return tasks;
    }

    private Node header(String url) {
        Label who = new Label(session.currentUser());
        who.getStyleClass().add("user");
        who.setId("currentUser");
        Label where = new Label("on " + url);
        where.getStyleClass().add("hint");
        Label reveal = badge(
                switch (session.revealRight()) {
                    case GRANTED -> "may reveal (pii_reader)";
                    case NOT_GRANTED -> "no reveal (not pii_reader)";
                    case NO_FUNCTION -> "no reveal function in this database";
                },
                session.canReveal());
        reveal.setId("revealBadge");
        Label auditBadge =
                badge(session.canReadAudit() ? "audit log readable" : "no audit log access", session.canReadAudit());
        serviceBadge.setId("serviceBadge");
        serviceBadge.getStyleClass().addAll("badge", "badge-off");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label datasetLabel = new Label("Dataset");
        datasetLabel.setLabelFor(picker);
        // the badges give way first: the dataset's name stays readable
        datasetLabel.setMinWidth(Region.USE_PREF_SIZE);
        picker.setMinWidth(150);
        refreshDatasets.setMinWidth(Region.USE_PREF_SIZE);
        HBox h = new HBox(
                8,
                who,
                where,
                datasetLabel,
                picker,
                refreshDatasets,
                spacer,
                reveal,
                auditBadge,
                serviceBadge,
                disconnect);
        h.setAlignment(Pos.CENTER_LEFT);
        h.setPadding(new Insets(6, 10, 6, 10));
        h.getStyleClass().add("header");
        return h;
    }

    private static Label badge(String text, boolean ok) {
        Label l = new Label(text);
        l.getStyleClass().addAll("badge", ok ? "badge-ok" : "badge-off");
        return l;
    }

    private static Tab tab(String title, String id, Node content) {
        Tab t = new Tab(title, content);
        t.setId(id);
        t.setClosable(false);
        return t;
    }

    private static Node notice(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("hint");
        StackPane p = new StackPane(l);
        p.setPadding(new Insets(20));
        return p;
    }

    private static void once(Tab tab, Runnable load) {
        if (tab.isSelected() && tab.getProperties().putIfAbsent("loaded", Boolean.TRUE) == null) {
            load.run();
        }
    }

    /** Hides revealed text, stops the database thread, closes the session and wipes the reveal password. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (rows != null) {
            rows.hideRevealed();
        }
        if (rejected != null) {
            rejected.hideRevealed();
        }
        if (erasure != null) {
            erasure.clear();
        }
        tasks.close();
        session.close();
        revealClient.close();
    }
}
