package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B10: every analyst's password goes to whatever answers at db.url. Without sslmode=verify-full a rogue
 * server or a man in the middle on the network collects them, so the service refuses a non-loopback
 * db.url without it; and db.url's parameters (sslpassword=...) never reach the log.
 */
class DbUrlWithoutVerifiedTlsAttackTest {
    static final String SECRET = "sslpw-6d2a9c";

    @TempDir
    Path dir;

    @Test
    void aNetworkDbUrlWithoutVerifyFullIsRefused() {
        TestKeys keys = TestKeys.generate(dir);
        for (String url : new String[] {
            "jdbc:postgresql://db.internal.example:5432/pii?sslpassword=" + SECRET,
            "jdbc:postgresql://10.0.0.5/pii?sslmode=require&sslpassword=" + SECRET,
            "jdbc:postgresql://127.0.0.1:5432,db.internal.example:5432/pii?sslmode=prefer",
            "jdbc:postgresql://[2001:db8::5]:5432/pii?sslmode=verify-ca"
        }) {
            Properties p = keys.serviceConfig(url);
            assertThatThrownBy(() -> RevealConfig.from(p))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("db.url")
                    .hasMessageContaining("sslmode=verify-full")
                    .hasMessageNotContaining(SECRET)
                    .hasMessageNotContaining("db.internal.example");
        }
        for (String url : new String[] {
            "jdbc:postgresql://db.internal.example:5432/pii?sslmode=verify-full",
            "jdbc:postgresql://127.0.0.1:5432/pii",
            "jdbc:postgresql://localhost/pii",
            "jdbc:postgresql://[::1]/pii",
            "jdbc:postgresql:pii"
        }) {
            assertThat(RevealConfig.from(keys.serviceConfig(url)).dbUrl()).isEqualTo(url);
        }
    }

    @Test
    void theDbUrlsParametersAreNotLogged() throws SQLException {
        CapturedLog captured = new CapturedLog();
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            Properties p = keys.serviceConfig(db.url + "?ApplicationName=" + SECRET);
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                assertThat(server.port()).isPositive();
            }
        } finally {
            captured.close();
        }
        assertThat(captured.text()).contains("listening on").doesNotContain(SECRET);
    }
}
