package io.sqspii.sqs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin version, from a resource Maven fills in at build time. */
final class Version {
    private static final String VERSION = load();

    private Version() {}

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
