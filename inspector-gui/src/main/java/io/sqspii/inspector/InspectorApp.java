package io.sqspii.inspector;

import io.sqspii.inspector.ui.ConnectView;
import io.sqspii.inspector.ui.MainView;
import io.sqspii.inspector.ui.RecentConnections;
import io.sqspii.inspector.ui.Styles;
import io.sqspii.inspector.ui.UiSettings;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The inspector application: connect dialog first, then the main window; Disconnect goes back to the dialog. */
public final class InspectorApp extends Application {

    static final String TITLE = "sqs-pii-connect inspector";

    private MainView main;

    @Override
    public void start(Stage stage) {
        showConnect(stage);
        stage.show();
    }

    private void showConnect(Stage stage) {
        main = null;
        ConnectView connect = new ConnectView(RecentConnections.userDefault(), connected -> showMain(stage, connected));
        stage.setTitle(TITLE + " — connect");
        stage.setScene(Styles.styled(new Scene(connect.root())));
        stage.sizeToScene();
        stage.centerOnScreen();
    }

    private void showMain(Stage stage, ConnectView.Connected connected) {
        main = new MainView(
                connected.session(),
                connected.url(),
                connected.reveal(),
                UiSettings.defaults(),
                () -> showConnect(stage));
        Scene scene = Styles.styled(new Scene(main.root(), 1280, 760));
        main.installShortcuts(scene);
        stage.setTitle(main.title() + " — " + TITLE);
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
