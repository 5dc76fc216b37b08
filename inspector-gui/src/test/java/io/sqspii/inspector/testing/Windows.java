package io.sqspii.inspector.testing;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.ui.MainView;
import io.sqspii.inspector.ui.Styles;
import io.sqspii.inspector.ui.UiSettings;
import java.io.File;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * Main windows opened and closed within one test, for flows that pass from one login to another (a reader requests,
 * an approver decides, an auditor reviews): each as the app shows it after a connect, on a stage of its own. Close
 * one before opening the next, so that lookups find the nodes of the window in front.
 */
public final class Windows {

    private Windows() {
    }

    /** The window of {@code login} (password {@value InspectorWindow#PASSWORD}); Export CSV… writes to {@code exportTo}. */
    public static MainView open(TestDb db, String login, String revealUrl, File exportTo) {
        // the size of InspectorWindow's: it fits Monocle's headless screen
        return open(db, login, revealUrl, exportTo, 1280, 760);
    }

    /** As {@link #open(TestDb, String, String, File)}, the scene {@code width} x {@code height}. */
    public static MainView open(TestDb db, String login, String revealUrl, File exportTo, double width, double height) {
        return Fx.call(() -> {
            Session session = Session.open(db.settings(login, InspectorWindow.PASSWORD));
            UiSettings settings = new UiSettings(50, Duration.seconds(30), (owner, name) -> exportTo,
                    UiSettings.Remembered.inMemory(null));
            MainView view = new MainView(session, db.url,
                    new RevealClient(revealUrl, login, InspectorWindow.PASSWORD.toCharArray()), settings, () -> { });
            Stage stage = new Stage();
            Scene scene = Styles.styled(new Scene(view.root(), width, height));
            view.installShortcuts(scene);
            stage.setScene(scene);
            stage.show();
            view.start();
            return view;
        });
    }

    /** Closes the window as Disconnect does, and its stage. */
    public static void close(MainView view) {
        Fx.run(() -> {
            Stage stage = (Stage) view.root().getScene().getWindow();
            view.close();
            stage.close();
        });
    }
}
