package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.JdbcUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Recently used JDBC URLs, user names and reveal service URLs, kept with java.util.prefs. Passwords are
 * never stored: there is no method that could store one, and JDBC URLs are kept without their credential
 * parameters ({@link JdbcUrl#withoutCredentials}), also when read back (an earlier version stored them
 * as typed; the next {@link #remember} rewrites them).
 */
public final class RecentConnections {

    static final int MAX = 8;

    private final Preferences node;

    RecentConnections(Preferences node) {
        this.node = node;
    }

    public static RecentConnections userDefault() {
        return new RecentConnections(Preferences.userRoot().node("io/sqspii/inspector/recent"));
    }

    List<String> urls() {
        return list("url");
    }

    List<String> users() {
        return list("user");
    }

    List<String> revealUrls() {
        return list("revealUrl");
    }

    String last(String kind) {
        return clean(kind, node.get("last." + kind, ""));
    }

    /** Remembers a successful connection's URL and user, and the reveal service URL used. */
    void remember(String url, String user, String revealUrl) {
        push("url", url);
        push("user", user);
        push("revealUrl", revealUrl);
        try {
            node.flush();
        } catch (BackingStoreException ignored) {
            // remembering is a convenience; failing to store it must not block the analyst
        }
    }

    private List<String> list(String kind) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String v = node.get(kind + "." + i, null);
            if (v != null && !v.isBlank() && !out.contains(clean(kind, v))) {
                out.add(clean(kind, v));
            }
        }
        return out;
    }

    /** What may be kept of a value: a JDBC URL without credential parameters. */
    private static String clean(String kind, String value) {
        return kind.equals("url") ? JdbcUrl.withoutCredentials(value) : value;
    }

    private void push(String kind, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        value = clean(kind, value);
        List<String> values = list(kind);
        values.remove(value);
        values.add(0, value);
        for (int i = 0; i < MAX; i++) {
            if (i < values.size()) {
                node.put(kind + "." + i, values.get(i));
            } else {
                node.remove(kind + "." + i);
            }
        }
        node.put("last." + kind, value);
    }
}
