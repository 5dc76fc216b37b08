package io.sqspii.inspector;

import javafx.application.Application;

/**
 * Entry point for a plain class path (app image, java -cp): a main class that is not itself an
 * Application lets JavaFX start from jars on the class path.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Application.launch(InspectorApp.class, args);
    }
}
