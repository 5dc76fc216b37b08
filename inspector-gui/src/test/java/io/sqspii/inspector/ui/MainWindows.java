package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.TestDb;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Opens the main window as the app does after a connect (tests only; every test login's password is "pw"). */
final class MainWindows {

    /** Where no reveal service listens: for logins that never reveal. */
    static final String NO_SERVICE = "http://127.0.0.1:9";

    private MainWindows() {
    }

    static MainView show(Stage stage, TestDb db, String login, String revealUrl, UiSettings settings, Runnable onDisconnect) {
        Session session = Session.open(db.settings(login, "pw"));
        MainView main = new MainView(session, db.url, new RevealClient(revealUrl, login, "pw".toCharArray()), settings,
                onDisconnect);
        Scene scene = Styles.styled(new Scene(main.root(), 1280, 760));
        main.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        main.start();
        return main;
    }
}
