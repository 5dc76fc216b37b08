package io.sqspii.inspector;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The inspector application: connect dialog first, then the main window. */
public final class InspectorApp extends Application {

    static final String TITLE = "sqs-pii-connect inspector";

    private MainView main;

    @Override
    public void start(Stage stage) {
        ConnectView connect = new ConnectView(RecentConnections.userDefault(), KeyRing::load,
                (session, connected) -> showMain(stage, session, connected));
        stage.setTitle(TITLE + " — connect");
        stage.setScene(Styles.styled(new Scene(connect.root())));
        stage.show();
    }

    private void showMain(Stage stage, Session session, ConnectView.Connected connected) {
        main = new MainView(session, connected.url(), connected.keys(), UiSettings.defaults());
        Scene scene = Styles.styled(new Scene(main.root(), 1280, 760));
        main.installShortcuts(scene);
        stage.setTitle(TITLE + " — " + session.currentUser());
        stage.setScene(scene);
        stage.centerOnScreen();
        main.start();
    }

    @Override
    public void stop() {
        if (main != null) {
            main.close();
        }
    }

}
