package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.data.OverviewRepository;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.RevealClient;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
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

/** The main window: header, tabs Logins / Duplicates / Rejected / Audit, status bar. */
public final class MainView implements AutoCloseable {

    static final KeyCombination FILTER_KEY = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination REVEAL_KEY = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination COPY_KEY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination DISCONNECT_KEY = new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    private final Session session;
    private final RevealClient revealClient;
    private final DbTasks tasks;
    private final LoginsFilterPane loginsFilter;
    private final RejectedFilterPane rejectedFilter;
    private final TableBrowser logins;
    private final TableBrowser rejected;
    private final TableBrowser audit;
    private final DuplicatesView duplicates;
    private final OverviewView overview;
    private final Tab overviewTab;
    private final TabPane tabs = new TabPane();
    private final Tab loginsTab;
    private final Tab duplicatesTab;
    private final Tab rejectedTab;
    private final Tab auditTab;
    private final Label serviceBadge = new Label("reveal service: checking…");
    private final Button disconnect = new Button("Disconnect");
    private final BorderPane root = new BorderPane();
    private boolean closed;

    /**
     * @param revealClient the reveal service, with this login
     * @param onDisconnect runs after the session is closed by the Disconnect button (back to the connect dialog)
     */
    public MainView(Session session, String url, RevealClient revealClient, UiSettings settings, Runnable onDisconnect) {
        this.session = session;
        this.revealClient = revealClient;
        InspectorRepository repo = session.repository();
        this.tasks = new DbTasks(repo::cancelRunning);

        loginsFilter = new LoginsFilterPane(this::applyLoginsFilter);
        logins = new TableBrowser(TableSpec.LOGINS, Sort.desc("create_date"), repo, tasks, session, revealClient, settings,
                loginsFilter.node());
        rejectedFilter = new RejectedFilterPane(f -> rejected().setFilter(f));
        rejected = new TableBrowser(TableSpec.REJECTED, Sort.desc("create_date"), repo, tasks, session, revealClient, settings,
                rejectedFilter.node());
        audit = session.canReadAudit()
                ? new TableBrowser(TableSpec.AUDIT, Sort.desc("id"), repo, tasks, session, revealClient, settings, null) : null;
        duplicates = new DuplicatesView(repo, tasks, this::openGroup);
        overview = new OverviewView(new OverviewRepository(repo), tasks, loginsFilter::appliedFilter, this::openGroup);

        loginsTab = tab("Logins", "tab-logins", logins.node());
        duplicatesTab = tab("Duplicates", "tab-duplicates", duplicates.node());
        rejectedTab = tab("Rejected", "tab-rejected", rejected.node());
        Node auditContent = audit != null ? audit.node() : notice(
                "Login " + session.currentUser() + " may not read the audit log (it needs the pii_auditor role).");
        auditTab = tab("Audit", "tab-audit", auditContent);
        overviewTab = tab("Overview", "tab-overview", overview.node());
        tabs.getTabs().addAll(overviewTab, loginsTab, duplicatesTab, rejectedTab, auditTab);
        tabs.getSelectionModel().select(loginsTab);
        // the overview follows the Logins filters: recomputed whenever it is shown
        overviewTab.setOnSelectionChanged(e -> {
            if (overviewTab.isSelected()) {
                overview.refresh();
            }
        });
        // load each tab's data the first time it is shown
        duplicatesTab.setOnSelectionChanged(e -> once(duplicatesTab, duplicates::refresh));
        rejectedTab.setOnSelectionChanged(e -> once(rejectedTab, () -> {
            rejected.reload();
            tasks.run("Listing error kinds", repo::rejectionKinds, rejectedFilter::setKinds);
        }));
        auditTab.setOnSelectionChanged(e -> {
            if (audit != null) {
                once(auditTab, audit::reload);
            }
        });

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

    /** Loads the first tab and asks the reveal service whether it is up. */
    public void start() {
        logins.reload();
        checkRevealService();
    }

    /** Window title: database and login, so two windows (or a wrong database) are told apart at a glance. */
    public String title() {
        return session.database() + " as " + session.currentUser();
    }

    public void installShortcuts(Scene scene) {
        scene.getAccelerators().put(FILTER_KEY, () -> {
            tabs.getSelectionModel().select(loginsTab);
            loginsFilter.userId.requestFocus();
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
        if (!session.canReveal()) {
            serviceBadge.setText("reveal service: not used (no reveal right)");
            return;
        }
        Task<String> check = new Task<>() {
            @Override
            protected String call() {
                return revealClient.health();
            }
        };
        check.setOnSucceeded(e -> setServiceBadge("reveal service " + check.getValue(), true,
                revealClient.baseUri().toString()));
        check.setOnFailed(e -> setServiceBadge("reveal service unreachable", false, DbTasks.messageOf(check.getException())));
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
        if (t == loginsTab) {
            return logins;
        }
        if (t == rejectedTab) {
            return rejected;
        }
        return t == auditTab ? audit : null;
    }

    private void applyLoginsFilter(Filter f) {
        logins.setFilter(f);
    }

    /** Shows one duplicate group's rows: the Logins filters are cleared, else they could hide the group. */
    private void openGroup(String column, String value) {
        loginsFilter.showGroupOnly(column, value);
        tabs.getSelectionModel().select(loginsTab);
        loginsFilter.applyNow();
    }

    TableBrowser logins() {
        return logins;
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

    RejectedFilterPane rejectedFilter() {
        return rejectedFilter;
    }

    LoginsFilterPane loginsFilter() {
        return loginsFilter;
    }

    TabPane tabs() {
        return tabs;
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
        Label reveal = badge(switch (session.revealRight()) {
            case GRANTED -> "may reveal (pii_reader)";
            case NOT_GRANTED -> "no reveal (not pii_reader)";
            case NO_FUNCTION -> "no reveal function in this database";
        }, session.canReveal());
        reveal.setId("revealBadge");
        Label auditBadge = badge(session.canReadAudit() ? "audit log readable" : "no audit log access", session.canReadAudit());
        serviceBadge.setId("serviceBadge");
        serviceBadge.getStyleClass().addAll("badge", "badge-off");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox h = new HBox(8, who, where, spacer, reveal, auditBadge, serviceBadge, disconnect);
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
        logins.hideRevealed();
        rejected.hideRevealed();
        tasks.close();
        session.close();
        revealClient.close();
    }
}
