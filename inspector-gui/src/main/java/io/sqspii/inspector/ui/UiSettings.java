package io.sqspii.inspector.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.prefs.Preferences;
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
 * @param dataset       the dataset last chosen, shown first next time
 */
public record UiSettings(
        int pageSize, Duration revealTimeout, BiFunction<Window, String, File> exportTarget, Remembered dataset) {

    /** A preference kept between runs (or, in tests, in memory). */
    public interface Remembered {
        /** The value, or null. */
        String get();

        void set(String value);

        /** Kept in this object only. */
        static Remembered inMemory(String initial) {
            String[] v = {initial};
            return new Remembered() {
                @Override
                public String get() {
                    return v[0];
                }

                @Override
                public void set(String value) {
                    v[0] = value;
                }
            };
        }

        /** Kept with java.util.prefs, per OS user, as the recent connections are. */
        static Remembered preference(String key) {
            Preferences node = Preferences.userRoot().node("io/sqspii/inspector/ui");
            return new Remembered() {
                @Override
                public String get() {
                    return node.get(key, null);
                }

                @Override
                public void set(String value) {
                    if (value == null) {
                        node.remove(key);
                    } else {
                        node.put(key, value);
                    }
                }
            };
        }
    }

    /** Settings remembering nothing between runs. */
    public UiSettings(int pageSize, Duration revealTimeout, BiFunction<Window, String, File> exportTarget) {
        this(pageSize, revealTimeout, exportTarget, Remembered.inMemory(null));
    }

    public static UiSettings defaults() {
        return new UiSettings(100, Duration.seconds(30), UiSettings::chooseCsv, Remembered.preference("dataset"));
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
