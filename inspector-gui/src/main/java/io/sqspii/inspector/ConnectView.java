package io.sqspii.inspector;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The connect dialog: JDBC URL, the analyst's own login and password, and where the keys come from.
 * Failures (bad password, unreachable server, missing tables, unreadable keyset) are shown in the
 * dialog as a sentence. The password is only held in memory and wiped after use.
 */
final class ConnectView {

    /** Loads the keys for a choice; returns null for {@link KeysetChoice#NONE}. */
    @FunctionalInterface
    interface KeyLoader {
        Decryptor load(KeysetChoice choice);
    }

    static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/postgres";

    private final RecentConnections recent;
    private final KeyLoader keyLoader;
    private final BiConsumer<Session, Connected> onConnected;

    final ComboBox<String> url = new ComboBox<>();
    final ComboBox<String> user = new ComboBox<>();
    final PasswordField password = new PasswordField();
    final RadioButton fileMode = new RadioButton("Keyset files (clear text: development only)");
    final RadioButton kmsMode = new RadioButton("Keyset files encrypted with a KMS key");
    final TextField deterministic = new TextField();
    final TextField randomized = new TextField();
    final TextField kmsUri = new TextField();
    final Label error = new Label();
    final Button connect = new Button("Connect");
    final Button cancel = new Button("Cancel");
    private final ProgressIndicator progress = new ProgressIndicator();
    private final VBox root;
    private Task<?> running;

    /** What a successful connect hands to the main window. */
    record Connected(String url, Decryptor keys) {
    }

    ConnectView(RecentConnections recent, KeyLoader keyLoader, BiConsumer<Session, Connected> onConnected) {
        this.recent = recent;
        this.keyLoader = keyLoader;
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

        ToggleGroup keyMode = new ToggleGroup();
        fileMode.setToggleGroup(keyMode);
        kmsMode.setToggleGroup(keyMode);
        fileMode.setId("keyModeFile");
        kmsMode.setId("keyModeKms");
        boolean lastKms = "kms".equals(recent.last("keyMode"));
        (lastKms ? kmsMode : fileMode).setSelected(true);
        deterministic.setId("deterministicKeyset");
        deterministic.setText(recent.last("deterministic"));
        deterministic.setPromptText("keyset of masked_ip / masked_device_id (optional)");
        randomized.setId("randomizedKeyset");
        randomized.setText(recent.last("randomized"));
        randomized.setPromptText("keyset of encrypted_body (optional)");
        kmsUri.setId("kmsUri");
        kmsUri.setText(recent.last("kmsUri"));
        kmsUri.setPromptText("aws-kms://arn:aws:kms:region:account:key/id");
        kmsUri.disableProperty().bind(kmsMode.selectedProperty().not());

        error.setId("connectError");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.setMaxWidth(560);
        connect.setId("connectButton");
        connect.setDefaultButton(true);
        connect.setOnAction(e -> connect());
        cancel.setId("connectCancel");
        cancel.setOnAction(e -> cancelConnect());
        cancel.setDisable(true);
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
        g.addRow(r++, new Label("JDBC URL"), url);
        g.addRow(r++, new Label("User"), user);
        g.addRow(r++, new Label("Password"), password);
        g.add(new Label("Keys"), 0, r);
        g.add(new VBox(4, fileMode, kmsMode), 1, r++);
        g.addRow(r++, new Label("Deterministic keyset"), withBrowse(deterministic));
        g.addRow(r++, new Label("Randomized keyset"), withBrowse(randomized));
        g.addRow(r++, new Label("KMS key URI"), kmsUri);

        Label title = new Label("Connect to the sqs-pii-connect database");
        title.getStyleClass().add("title");
        Label note = new Label("Use your own PostgreSQL login: browsing needs the analyst role, revealing PII the"
                + " pii_reader role and the key; every reveal is written to the audit log first.");
        note.setWrapText(true);
        note.setMaxWidth(560);
        note.getStyleClass().add("hint");
        HBox buttons = new HBox(8, progress, cancel, connect);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        root = new VBox(12, title, note, g, error, buttons);
        root.setPadding(new Insets(16));
        root.getStyleClass().add("connect");
    }

    Parent root() {
        return root;
    }

    private HBox withBrowse(TextField field) {
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Keyset file");
            File f = fc.showOpenDialog(root.getScene().getWindow());
            if (f != null) {
                field.setText(f.getAbsolutePath());
            }
        });
        HBox.setHgrow(field, Priority.ALWAYS);
        return new HBox(6, field, browse);
    }

    KeysetChoice keysetChoice() {
        return new KeysetChoice(path(deterministic.getText()), path(randomized.getText()),
                kmsMode.isSelected() ? blankToNull(kmsUri.getText()) : null);
    }

    private void connect() {
        error.setText("");
        KeysetChoice keys = keysetChoice();
        if (kmsMode.isSelected() && keys.kmsUri() == null) {
            error.setText("Enter the KMS key URI, or choose clear-text keyset files.");
            return;
        }
        for (Path p : new Path[] {keys.deterministicFile(), keys.randomizedFile()}) {
            if (p != null && !Files.isReadable(p)) {
                error.setText("Cannot read the keyset file " + p + ".");
                return;
            }
        }
        String u = textOf(url);
        String who = textOf(user);
        ConnectionSettings settings = new ConnectionSettings(u, who, password.getText().toCharArray());
        Task<Object[]> task = new Task<>() {
            @Override
            protected Object[] call() {
                Session s = Session.open(settings);
                try {
                    Decryptor d = keys.isEmpty() ? null : keyLoader.load(keys);
                    return new Object[] {s, d};
                } catch (RuntimeException e) {
                    s.close();
                    throw e instanceof InspectorException ? e
                            : new InspectorException("Cannot load the keys: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " — " + e.getMessage()), e);
                }
            }
        };
        task.setOnSucceeded(e -> {
            busy(false);
            password.clear();
            recent.remember(u, who, keys);
            Object[] v = task.getValue();
            onConnected.accept((Session) v[0], new Connected(u, (Decryptor) v[1]));
        });
        task.setOnFailed(e -> {
            busy(false);
            error.setText(DbTasks.messageOf(task.getException()));
        });
        task.setOnCancelled(e -> busy(false));
        running = task;
        busy(true);
        Thread t = new Thread(task, "inspector-connect");
        t.setDaemon(true);
        t.start();
    }

    private void cancelConnect() {
        if (running != null) {
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
        return t == null || t.isBlank() ? (box.getValue() == null ? "" : box.getValue()) : t;
    }

    private static Path path(String s) {
        String v = blankToNull(s);
        return v == null ? null : Path.of(v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
