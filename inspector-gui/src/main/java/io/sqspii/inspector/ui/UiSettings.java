package io.sqspii.inspector.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * Tunables of the main window.
 *
 * @param pageSize      rows per page
 * @param revealTimeout how long revealed plaintext stays on screen
 * @param exportTarget  asks where to write a CSV export, given the owner window and a suggested file
 *                      name (null = cancelled)
 */
public record UiSettings(int pageSize, Duration revealTimeout, BiFunction<Window, String, File> exportTarget) {

    public static UiSettings defaults() {
        return new UiSettings(100, Duration.seconds(30), UiSettings::chooseCsv);
    }

    /**
     * Where the export dialog opens: the user's Documents folder (or home when there is none), never
     * the process's working directory (a source checkout when launched through Maven).
     */
    static Path defaultExportFolder() {
        Path home = Path.of(System.getProperty("user.home"));
        Path documents = home.resolve("Documents");
        return Files.isDirectory(documents) ? documents : home;
    }

    private static File chooseCsv(Window owner, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the filtered view (masked values) to CSV");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        chooser.setInitialDirectory(defaultExportFolder().toFile());
        chooser.setInitialFileName(suggestedName);
        return chooser.showSaveDialog(owner);
    }
}
