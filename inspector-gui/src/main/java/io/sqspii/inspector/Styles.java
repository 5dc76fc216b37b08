package io.sqspii.inspector;

import javafx.scene.Scene;

/** The application's stylesheet. */
final class Styles {
    private Styles() {
    }

    static Scene styled(Scene scene) {
        scene.getStylesheets().add(Styles.class.getResource("inspector.css").toExternalForm());
        return scene;
    }
}
