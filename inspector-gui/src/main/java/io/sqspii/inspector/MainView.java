package io.sqspii.inspector;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/** The main window: header, tabs Logins / Duplicates / Rejected / Audit, status bar. */
final class MainView implements AutoCloseable {

    private final Session session;
    private final DbTasks tasks;
    private final LoginsFilterPane loginsFilter;
    private final TableBrowser logins;
    private final TableBrowser rejected;
    private final TableBrowser audit;
    private final DuplicatesView duplicates;
    private final TabPane tabs = new TabPane();
    private final Tab loginsTab;
    private final Tab duplicatesTab;
    private final Tab rejectedTab;
    private final Tab auditTab;
    private final BorderPane root = new BorderPane();

    /**
     * @param keys the loaded keys, or null when the analyst connected without keys
     */
    MainView(Session session, String url, Decryptor keys, UiSettings settings) {
        this.session = session;
        InspectorRepository repo = new InspectorRepository(session.connection());
        this.tasks = new DbTasks(repo::cancelRunning);
        RevealService reveal = new RevealService(session, repo, keys);

        loginsFilter = new LoginsFilterPane(this::applyLoginsFilter);
        logins = new TableBrowser(TableSpec.LOGINS, Sort.desc("create_date"), repo, tasks, reveal, settings, loginsFilter.node());
        rejected = new TableBrowser(TableSpec.REJECTED, Sort.desc("create_date"), repo, tasks, reveal, settings, null);
        audit = session.canReadAudit()
                ? new TableBrowser(TableSpec.AUDIT, Sort.desc("id"), repo, tasks, reveal, settings, null) : null;
        duplicates = new DuplicatesView(repo, tasks, this::openGroup);

        loginsTab = tab("Logins", "tab-logins", logins.node());
        duplicatesTab = tab("Duplicates", "tab-duplicates", duplicates.node());
        rejectedTab = tab("Rejected", "tab-rejected", rejected.node());
        Node auditContent = audit != null ? audit.node() : notice(
                "Login " + session.currentUser() + " may not read the audit log (it needs the pii_auditor role).");
        auditTab = tab("Audit", "tab-audit", auditContent);
        tabs.getTabs().addAll(loginsTab, duplicatesTab, rejectedTab, auditTab);
        // load each tab's data the first time it is shown
        duplicatesTab.setOnSelectionChanged(e -> once(duplicatesTab, duplicates::refresh));
        rejectedTab.setOnSelectionChanged(e -> once(rejectedTab, rejected::reload));
        auditTab.setOnSelectionChanged(e -> {
            if (audit != null) {
                once(auditTab, audit::reload);
            }
        });

        root.setTop(header(url, keys));
        root.setCenter(tabs);
        root.setBottom(tasks.statusBar());
        root.getStyleClass().add("main");
    }

    Parent root() {
        return root;
    }

    /** Loads the first tab. */
    void start() {
        logins.reload();
    }

    void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(loginsTab);
            loginsFilter.userId.requestFocus();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), () -> {
            TableBrowser b = currentBrowser();
            if (b != null) {
                b.revealShortcut();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN), () -> {
            TableBrowser b = currentBrowser();
            if (b != null) {
                b.copySelection();
            }
        });
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

    private void openGroup(String column, String value) {
        loginsFilter.setGroupFilter(column, value);
        tabs.getSelectionModel().select(loginsTab);
        logins.setFilter(loginsFilter.filter());
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

    DuplicatesView duplicates() {
        return duplicates;
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

    private Node header(String url, Decryptor keys) {
        Label who = new Label(session.currentUser());
        who.getStyleClass().add("user");
        who.setId("currentUser");
        Label where = new Label("on " + url);
        where.getStyleClass().add("hint");
        Label reveal = badge(session.canReveal() ? "may reveal (pii_reader)" : "no reveal (not pii_reader)", session.canReveal());
        reveal.setId("revealBadge");
        Label auditBadge = badge(session.canReadAudit() ? "audit log readable" : "no audit log access", session.canReadAudit());
        boolean loginKeys = keys != null && keys.hasKey(TableSpec.LOGINS, TableSpec.LOGINS.requireColumn("masked_ip"));
        boolean bodyKeys = keys != null && keys.hasKey(TableSpec.REJECTED, TableSpec.REJECTED.requireColumn("encrypted_body"));
        Label keyBadge = badge("keys: " + (loginKeys ? "logins ✓" : "logins ✗") + "  " + (bodyKeys ? "rejected ✓" : "rejected ✗"),
                loginKeys || bodyKeys);
        keyBadge.setId("keyBadge");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox h = new HBox(8, who, where, spacer, reveal, auditBadge, keyBadge);
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

    @Override
    public void close() {
        tasks.close();
        session.close();
    }
}
