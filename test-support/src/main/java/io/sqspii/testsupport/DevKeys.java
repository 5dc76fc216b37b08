package io.sqspii.testsupport;

import java.nio.file.Path;

/**
 * The committed development keysets (connect-config/dev/keys: clear text, for tests and local runs only), by the
 * keyset names the dataset definitions use. Paths only: reading one is the crypto core's job
 * ({@code KeysetSource.cleartextFile}), and test-support does not depend on it.
 */
public final class DevKeys {

    /** The keyset names the committed files cover, as the datasets' default {@code keysets} name them. */
    public static final String DETERMINISTIC = "deterministic";

    public static final String RANDOMIZED = "randomized";

    private DevKeys() {}

    /** The folder of the committed keysets. */
    public static Path dir() {
        return Repository.file("connect-config/dev/keys");
    }

    /** connect-config/dev/keys/pii-{@code keyset}.json. */
    public static Path file(String keyset) {
        return dir().resolve("pii-" + keyset + ".json");
    }
}
