package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.DevKeys;
import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * U3 against --follow: the PostgreSQL of PG_URL (default localhost:5432, as here and on CI) trusts loopback, so
 * a reveal service there would let anyone in as postgres with any password. --follow's database choice moves the
 * run to a private password-checking PostgreSQL; there, {@code postgres:definitely-wrong} gets 401 and reveals
 * nothing, and a demo reader with its password reveals. A PG_URL the user set that trusts is refused.
 */
class AnyPasswordThroughFollowAttackTest {

    private static final String CELL = "{\"purpose\":\"" + PipelineDatabase.DEMO_PURPOSE_NO_APPROVAL
            + "\",\"reason\":\"U3\",\"cells\":[{\"table\":\"user_logins\","
            + "\"rowKey\":\"m-1\",\"column\":\"masked_ip\"}]}";

    @Test
    void onATrustingServerFollowsRevealServiceRefusesAWrongPasswordAndRevealsForTheDemoReader() throws Exception {
        PipelineDatabase trusting = PipelineDatabase.fromEnvironment();
        assumeTrue(
                trusting.letsAnyPasswordIn(), "needs PG_URL's server to trust loopback, as localhost:5432 does here");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PipelineDatabase chosen =
                FollowDatabase.choose(trusting, false, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(chosen.url())
                .isNotEqualTo(trusting.url())
                .startsWith("jdbc:postgresql://127.0.0.1:")
                .endsWith("/" + trusting.databaseName());
        assertThat(chosen.letsAnyPasswordIn()).isFalse();
        String said = printed.toString(StandardCharsets.UTF_8);
        assertThat(said).contains("trusts loopback", "unauthenticated", "inspector database URL " + chosen.url());
        assertThat(said).doesNotContain(PasswordCheckingPostgres.shared().password());

        // a database of its own on the chosen server, so that a local run's rows stay out of the way
        PipelineLayout layout = PipelineLayout.fromSystemProperties();
        String name = "sqspii_u3_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        PipelineDatabase db = chosen.withDatabase(name);
        db.createIfMissing();
        try {
            db.applySchema(layout.connectConfig("sql/schema.sql"), layout.connectConfig("sql/roles.sql"));
            db.applyDataset(RunDataset.shipped(layout, RunDataset.USER_LOGINS));
            PiiCipher dev = PiiCipher.forKeyset(
                    KeysetSource.cleartextFile(DevKeys.file(DevKeys.DETERMINISTIC)),
                    CipherMode.DETERMINISTIC,
                    "user_logins");
            try (Connection c = db.connect();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO user_logins "
                            + "(message_id, user_id, device_type, masked_ip, masked_device_id, app_version, create_date) "
                            + "VALUES ('m-1', 'u-1', 'web', ?, 'not-revealed', '2.3.0', now())")) {
                ps.setString(1, dev.encrypt("ip", "10.1.2.3"));
                ps.executeUpdate();
            }
            try (LocalRevealService reveal =
                    LocalRevealService.start(layout, db, List.of(RunDataset.shipped(layout, RunDataset.USER_LOGINS)))) {
                URI uri = URI.create(reveal.uri()).resolve("/v1/reveal");

                HttpResponse<String> attack = post(uri, "postgres", "definitely-wrong");
                assertThat(attack.statusCode()).isEqualTo(401);
                assertThat(attack.body()).doesNotContain("10.1.2.3");
                assertThat(auditRows(db)).isZero();

                Properties logins = new Properties();
                try (Reader r = Files.newBufferedReader(reveal.loginsFile())) {
                    logins.load(r);
                }
                String demoReader = db.demoLogin("pii_reader");
                HttpResponse<String> reader = post(uri, demoReader, logins.getProperty(demoReader));
                assertThat(reader.statusCode()).isEqualTo(200);
                assertThat(reader.body()).contains("\"plaintext\":\"10.1.2.3\"");
                assertThat(auditRows(db)).isEqualTo(1);
            }
        } finally {
            try (Connection c = chosen.withDatabase("postgres").connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aPgUrlTheUserSetThatTrustsIsRefusedWithoutQuotingIt() {
        PipelineDatabase trusting = PipelineDatabase.fromEnvironment();
        assumeTrue(
                trusting.letsAnyPasswordIn(), "needs PG_URL's server to trust loopback, as localhost:5432 does here");
        PipelineDatabase given = new PipelineDatabase(trusting.url() + "?password=s3cret-in-url", "postgres", null);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThatThrownBy(() ->
                        FollowDatabase.choose(given, true, new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PG_URL")
                .hasMessageContaining("scram-sha-256")
                .hasMessageContaining("unset PG_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-in-url", trusting.url()));
        assertThat(printed.size()).isZero();
    }

    @Test
    void aServerThatChecksPasswordsIsKept() {
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        PipelineDatabase checking = new PipelineDatabase(pg.url("sqspii"), pg.superuser(), pg.password());
        assertThat(FollowDatabase.choose(checking, true, new PrintStream(new ByteArrayOutputStream())))
                .isSameAs(checking);
    }

    private static HttpResponse<String> post(URI uri, String login, String password) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString((login + ":" + password)
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(CELL))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static long auditRows(PipelineDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
