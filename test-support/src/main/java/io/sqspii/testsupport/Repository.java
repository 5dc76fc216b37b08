package io.sqspii.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository for tests, found from the working directory up: Maven runs a module's tests in the
 * module's folder, an IDE often at the root, so a path relative to either would break in the other.
 */
public final class Repository {

    private Repository() {}

    /** {@code relative} (e.g. {@code connect-config/sql/roles.sql}) in the nearest folder, from here up, that has it. */
    public static Path file(String relative) {
        Path wanted = Path.of(relative);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(wanted))) {
                return dir.resolve(wanted);
            }
        }
        throw new IllegalStateException(wanted + " not found in " + Path.of("").toAbsolutePath() + " nor above");
    }
}
