package io.sqspii.inspector;

import java.io.File;
import java.util.function.Function;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * Tunables of the main window.
 *
 * @param pageSize      rows per page
 * @param revealTimeout how long revealed plaintext stays on screen
 * @param exportTarget  asks where to write a CSV export (null = cancelled)
 */
record UiSettings(int pageSize, Duration revealTimeout, Function<Window, File> exportTarget) {

    static UiSettings defaults() {
        return new UiSettings(100, Duration.seconds(30), UiSettings::chooseCsv);
    }

    private static File chooseCsv(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the filtered view (masked values) to CSV");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        chooser.setInitialFileName("user_logins.csv");
        return chooser.showSaveDialog(owner);
    }
}
