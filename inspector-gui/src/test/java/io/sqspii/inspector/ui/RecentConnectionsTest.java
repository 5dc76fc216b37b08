package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review finding B12 (JDBC URL in java.util.prefs): whatever reaches {@link RecentConnections}, credential
 * parameters never reach the preferences file, and ones an earlier version stored are not shown again.
 */
class RecentConnectionsTest {

    final Preferences prefs = Preferences.userRoot().node("io/sqspii/inspector/test-" + UUID.randomUUID());

    @AfterEach
    void cleanup() throws BackingStoreException {
        prefs.removeNode();
    }

    @Test
    void aJdbcUrlWithCredentialParametersIsStoredWithoutThem() throws BackingStoreException {
        RecentConnections recent = new RecentConnections(prefs);
        recent.remember(
                "jdbc:postgresql://db:5432/sqspii?sslmode=verify-full&password=hunter2&SSLPassword=k3y&user=bob&ssl=true",
                "alice",
                "https://reveal:8089");
        assertThat(recent.urls()).containsExactly("jdbc:postgresql://db:5432/sqspii?sslmode=verify-full&ssl=true");
        assertThat(recent.last("url")).isEqualTo("jdbc:postgresql://db:5432/sqspii?sslmode=verify-full&ssl=true");
        assertThat(values()).noneMatch(v -> v.contains("hunter2") || v.contains("k3y") || v.contains("bob"));

        recent.remember("jdbc:postgresql://db/x?password=only", "alice", "https://reveal:8089");
        assertThat(recent.urls())
                .containsExactly(
                        "jdbc:postgresql://db/x", "jdbc:postgresql://db:5432/sqspii?sslmode=verify-full&ssl=true");
    }

    @Test
    void aPasswordAnEarlierVersionStoredIsNeitherShownNorKept() throws BackingStoreException {
        prefs.put("url.0", "jdbc:postgresql://db/old?password=hunter2");
        prefs.put("last.url", "jdbc:postgresql://db/old?password=hunter2");
        RecentConnections recent = new RecentConnections(prefs);
        assertThat(recent.urls()).containsExactly("jdbc:postgresql://db/old");
        assertThat(recent.last("url")).isEqualTo("jdbc:postgresql://db/old");
        recent.remember("jdbc:postgresql://db/new", "alice", "https://reveal:8089");
        assertThat(values()).noneMatch(v -> v.contains("hunter2"));
    }

    private List<String> values() throws BackingStoreException {
        List<String> out = new ArrayList<>();
        for (String k : prefs.keys()) {
            out.add(prefs.get(k, ""));
        }
        return out;
    }
}
