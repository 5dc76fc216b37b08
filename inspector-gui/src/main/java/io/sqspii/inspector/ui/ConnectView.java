package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.ConnectionSettings;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.reveal.RevealClient;
import java.util.Arrays;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The connect dialog: JDBC URL, the analyst's own login and password, and the reveal service's URL
 * (reveals go there with the same login; the inspector holds no keys). Failures (bad password,
 * unreachable server, missing tables) are shown in full in the dialog, which grows to fit them. The
 * password is only held in memory: wiped after the JDBC login, and kept by the reveal client for the
 * session's reveals.
 */
public final class ConnectView {

    static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/sqspii";

    /** What a successful connect hands to the main window. */
    public record Connected(Session session, String url, RevealClient reveal) {}

    private final RecentConnections recent;
    private final Consumer<Connected> onConnected;

    final ComboBox<String> url = new ComboBox<>();
    final ComboBox<String> user = new ComboBox<>();
    final PasswordField password = new PasswordField();
    final ComboBox<String> revealUrl = new ComboBox<>();
    final Label error = new Label();
    final Button connect = new Button("_Connect");
    final Button cancel = new Button("Cancel");
    private final ProgressIndicator progress = new ProgressIndicator();
    private final VBox root;
    private Task<?> running;

    public ConnectView(RecentConnections recent, Consumer<Connected> onConnected) {
        this.recent = recent;
        this.onConnected = onConnected;

        url.setId("connectUrl");
        url.setEditable(true);
        url.getItems().setAll(recent.urls());
        url.setValue(recent.last("url").isEmpty() ? DEFAULT_URL : recent.last("url"));
        url.setPrefWidth(420);
        user.setId("connectUser");
        user.setEditable(true);
        user.getItems().setAll(recent.users());
        user.setValue(recent.last("user"));
        user.setPrefWidth(420);
        password.setId("connectPassword");
        password.setPromptText("your PostgreSQL password (never stored)");
        revealUrl.setId("revealUrl");
        revealUrl.setEditable(true);
        revealUrl.getItems().setAll(recent.revealUrls());
        revealUrl.setValue(recent.last("revealUrl").isEmpty() ? RevealClient.DEFAULT_URL : recent.last("revealUrl"));
        revealUrl.setPrefWidth(420);
        revealUrl.setTooltip(
                new Tooltip("The reveal service decrypts for you after the database has written the audit row;"
                        + " it uses the same login and password. https:// when it is not on this machine: plain http:// is"
                        + " refused except to loopback (127.0.0.1, ::1, localhost)."));

        error.setId("connectError");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.setMaxWidth(560);
        error.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        connect.setId("connectButton");
        connect.setDefaultButton(true);
        connect.setOnAction(e -> connect());
        connect.setTooltip(new Tooltip("Connect (Enter)"));
        cancel.setId("connectCancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> cancelConnect());
        cancel.setDisable(true);
        cancel.setTooltip(new Tooltip("Stop connecting (Esc)"));
        progress.setPrefSize(20, 20);
        progress.setVisible(false);

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(labels, fields);
        int r = 0;
        g.addRow(r++, label("_JDBC URL", url), url);
        g.addRow(r++, label("_User", user), user);
        g.addRow(r++, label("_Password", password), password);
        g.addRow(r++, label("_Reveal service", revealUrl), revealUrl);

        Label title = new Label("Connect to the sqs-pii-connect database");
        title.getStyleClass().add("title");
        Label note = new Label("Use your own PostgreSQL login: browsing needs the analyst role, revealing PII the"
                + " pii_reader role. Reveals go to the reveal service, which has the database write the audit row"
                + " before it decrypts; this app holds no keys.");
        note.setWrapText(true);
        note.setMaxWidth(560);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.getStyleClass().add("hint");
        HBox buttons = new HBox(8, progress, cancel, connect);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        root = new VBox(12, title, note, g, error, buttons);
        root.setPadding(new Insets(16));
        root.getStyleClass().add("connect");
        // the dialog grows with the message: it is never cut off
        error.textProperty().addListener((o, a, b) -> {
            if (this.root.getScene() != null && this.root.getScene().getWindow() != null) {
                this.root.getScene().getWindow().sizeToScene();
            }
        });
    }

    public Parent root() {
        return root;
    }

    private static Label label(String text, javafx.scene.Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        return l;
    }

    private void connect() {
        error.setText("");
        String u = textOf(url);
        String who = textOf(user);
        String service = textOf(revealUrl);
        try {
            RevealClient.parseBase(service);
        } catch (InspectorException e) {
            error.setText(e.getMessage());
            return;
        }
        char[] pw = password.getText().toCharArray();
        ConnectionSettings settings = new ConnectionSettings(u, who, pw);
        RevealClient reveal = new RevealClient(service, who, pw);
        Arrays.fill(pw, '\0');
        Task<Session> task = new Task<>() {
            @Override
            protected Session call() {
                return Session.open(settings);
            }
        };
        task.setOnSucceeded(e -> {
            busy(false);
            password.clear();
            recent.remember(u, who, service);
            onConnected.accept(new Connected(task.getValue(), u, reveal));
        });
        task.setOnFailed(e -> {
            busy(false);
            reveal.close();
            error.setText(DbTasks.messageOf(task.getException()));
        });
        task.setOnCancelled(e -> {
            busy(false);
            reveal.close();
        });
        running = task;
        busy(true);
        Thread t = new Thread(task, "inspector-connect");
        t.setDaemon(true);
        t.start();
    }

    private void cancelConnect() {
        if (running != null && running.isRunning()) {
            running.cancel(false);
            error.setText("Cancelled.");
        }
    }

    private void busy(boolean b) {
        progress.setVisible(b);
        connect.setDisable(b);
        cancel.setDisable(!b);
    }

    private static String textOf(ComboBox<String> box) {
        String t = box.getEditor().getText();
        return t == null || t.isBlank() ? (box.getValue() == null ? "" : box.getValue()) : t.strip();
    }
}
