package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.RevealConfig;
import io.sqspii.reveal.RevealServer;
import io.sqspii.testsupport.DevKeys;
import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reveal service as --follow starts it (loopback, the pipeline's database, the dev keysets) reveals what
 * the pipeline's SMT wrote with those keysets, for a pii_reader login.
 */
class LocalRevealServiceTest {

    @Test
    void theServicesDbUrlDropsTheCredentialsOfPgUrlAndKeepsTheRest() {
        assertThat(new PipelineDatabase("jdbc:postgresql://h:5432/db?user=postgres", "u", null).urlWithoutCredentials())
                .isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(new PipelineDatabase(
                                "jdbc:postgresql://h/db?sslmode=verify-full&USER=postgres&password=pw&ssl=true",
                                "u",
                                null)
                        .urlWithoutCredentials())
                .isEqualTo("jdbc:postgresql://h/db?sslmode=verify-full&ssl=true");
        assertThat(new PipelineDatabase("jdbc:postgresql://h/db?userx=1", "u", null).urlWithoutCredentials())
                .isEqualTo("jdbc:postgresql://h/db?userx=1");
        assertThat(new PipelineDatabase("jdbc:postgresql://h/db?user=postgres", "u", null).sinkUrl())
                .isEqualTo("jdbc:postgresql://h/db?reWriteBatchedInserts=true");
    }

    @Test
    void withPgUrlCarryingTheSuperuserTheFollowConfigStillStartsAndRevealsAsTheReader() throws Exception {
        PipelineLayout layout = PipelineLayout.fromSystemProperties();
        String reader =
                "lp_reader_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        // the service refuses a server that trusts logins: the password-checking cluster
        try (TestDatabase test = TestDatabase.createCheckingPasswords()) {
            // PG_URL=jdbc:postgresql://.../db?user=postgres, as a developer may set it
            PipelineDatabase db = new PipelineDatabase(
                    test.database().url() + "?user=postgres",
                    "postgres",
                    PasswordCheckingPostgres.shared().password());
            Properties handedOver = LocalRevealService.config(
                    layout, db, List.of(RunDataset.shipped(layout, RunDataset.USER_LOGINS)), 0, "unused");
            handedOver.setProperty("db.url", db.url());
            assertThatThrownBy(() -> RevealConfig.from(handedOver)).hasMessageContaining("must not carry 'user'");
            db.applySchema(layout.connectConfig("sql/schema.sql"), layout.connectConfig("sql/roles.sql"));
            db.applyDataset(RunDataset.shipped(layout, RunDataset.USER_LOGINS));
            PiiCipher dev = PiiCipher.forKeyset(
                    KeysetSource.cleartextFile(DevKeys.file(DevKeys.DETERMINISTIC)),
                    CipherMode.DETERMINISTIC,
                    "user_logins");
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO user_logins (message_id, user_id, "
                            + "device_type, masked_ip, masked_device_id, app_version, create_date) VALUES ('m-1', 'u-1', 'web', ?, "
                            + "'not-revealed', '2.3.0', now())")) {
                ps.setString(1, dev.encrypt("ip", "10.1.2.3"));
                ps.executeUpdate();
                s.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'pw' IN ROLE pii_reader");
            }
            db.prepareDemoPurposes();
            String servicePassword = db.prepareRevealServiceLogin();
            try (RevealServer server = RevealServer.start(RevealConfig.from(LocalRevealService.config(
                    layout, db, List.of(RunDataset.shipped(layout, RunDataset.USER_LOGINS)), 0, servicePassword)))) {
                assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
                HttpResponse<String> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(server.uri().resolve("/v1/reveal"))
                                        .header(
                                                "Authorization",
                                                "Basic "
                                                        + Base64.getEncoder()
                                                                .encodeToString((reader + ":pw")
                                                                        .getBytes(StandardCharsets.UTF_8)))
                                        .header(
                                                "Content-Type",
                                                "application/json") // the service refuses other types (browser-borne
                                        // requests)
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"purpose\":\"" + PipelineDatabase.DEMO_PURPOSE_NO_APPROVAL
                                                        + "\",\"reason\":\"local run\",\"cells\":[{\"table\":\"user_logins\","
                                                        + "\"rowKey\":\"m-1\",\"column\":\"masked_ip\"}]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"plaintext\":\"10.1.2.3\"");
                try (Connection c = db.connect();
                        Statement s = c.createStatement();
                        java.sql.ResultSet rs = s.executeQuery("SELECT analyst, outcome FROM pii_access_log")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(reader);
                    assertThat(rs.getString(2)).isEqualTo("revealed");
                }
            } finally {
                try (Connection c = db.connect();
                        Statement s = c.createStatement()) {
                    s.execute("DROP OWNED BY " + reader);
                    s.execute("DROP ROLE " + reader);
                }
            }
        }
    }
}
