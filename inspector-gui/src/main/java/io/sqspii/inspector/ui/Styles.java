package io.sqspii.inspector.ui;

import javafx.scene.Scene;

/** The application's stylesheet. */
public final class Styles {
    private Styles() {}

    public static Scene styled(Scene scene) {
        scene.getStylesheets().add(Styles.class.getResource("inspector.css").toExternalForm());
        return scene;
    }
}
