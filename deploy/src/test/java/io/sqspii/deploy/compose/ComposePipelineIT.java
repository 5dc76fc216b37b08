package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.dataset.Definition;
import io.sqspii.pipeline.load.LoadGenerator;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The container path end to end: builds the images and runs docker-compose.yml as a user would
 * ({@code docker compose up --build}): every definition of datasets/ applied and its generated connectors registered
 * by the datasets service, each sample sent to its queue; then checks PostgreSQL through the analyst's own login.
 * Runs where a Docker engine exists; JUnit reports it as skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposePipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Per-run passwords: the compose file reads them from the environment, as from .env.
    private static final Map<String, String> PASSWORDS = Map.of(
            "POSTGRES_PASSWORD", UUID.randomUUID().toString(),
            "PIPELINE_DB_PASSWORD", UUID.randomUUID().toString(),
            "ANALYST_DB_PASSWORD", UUID.randomUUID().toString(),
            "PII_READER_DB_PASSWORD", UUID.randomUUID().toString(),
            "PII_AUDITOR_DB_PASSWORD", UUID.randomUUID().toString(),
            "REVEAL_SERVICE_DB_PASSWORD", UUID.randomUUID().toString(),
            "CONNECT_REST_PASSWORD", UUID.randomUUID().toString(),
            "REVEAL_TLS_KEYSTORE_PASSWORD", UUID.randomUUID().toString());

    private static ComposeProject project;
    private static ComposeContainer compose;

    @BeforeAll
    static void up() {
        project = ComposeProject.load();
        compose = new ComposeContainer(new File(project.root.toFile(), "docker-compose.yml"))
                .withBuild(true)
                .withEnv(PASSWORDS)
                .withEnv("POSTGRES_HOST_PORT", "15433")
                .withRemoveVolumes(true)
                .withExposedService("postgres", 5432, Wait.forHealthcheck())
                .withExposedService("connect", 8083, Wait.forHealthcheck())
                .withExposedService("connect", 9404)
                .withExposedService("reveal", 8089, Wait.forHealthcheck())
                .withStartupTimeout(Duration.ofMinutes(20));
        compose.start();
    }

    @AfterAll
    static void down() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void everySampleMessageOfEveryDatasetEndsUpAsARowOrARejectedRow() throws Exception {
        try (Connection analyst = connect("demo_analyst", PASSWORDS.get("ANALYST_DB_PASSWORD"))) {
            for (Definition d : project.definitions()) {
                List<String> sample = LoadGenerator.bodiesOf(
                        project.root.resolve("datasets").resolve(d.name()).resolve("sample.jsonl"));
                await().atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> assertThat(count(analyst, d.table()) + count(analyst, d.rejectedTable()))
                                .as(d.name())
                                .isEqualTo(sample.size()));
                assertThat(count(analyst, d.rejectedTable())).as(d.name()).isPositive();
                assertThat(count(analyst, d.table())).as(d.name()).isPositive();
            }
            // the catalog the datasets service applied lists every dataset
            try (Statement st = analyst.createStatement();
                    ResultSet rs = st.executeQuery("SELECT dataset FROM pii_datasets ORDER BY dataset")) {
                List<String> applied = new java.util.ArrayList<>();
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
                assertThat(applied)
                        .containsExactlyElementsOf(project.definitions().stream()
                                .map(Definition::name)
                                .sorted()
                                .toList());
            }
        }
    }

    @Test
    void userLoginsPiiIsStoredAsCiphertextOnly() throws Exception {
        List<String> sample = LoadGenerator.bodiesOf(project.root.resolve("datasets/user_logins/sample.jsonl"));
        Set<String> clearIps = new HashSet<>();
        for (String line : sample) {
            try {
                JsonNode ip = JSON.readTree(line).path("ip");
                if (ip.isTextual()) {
                    clearIps.add(ip.asText());
                }
            } catch (Exception malformed) {
                // malformed bodies are part of the sample; they go to user_logins_rejected
            }
        }
        try (Connection analyst = connect("demo_analyst", PASSWORDS.get("ANALYST_DB_PASSWORD"))) {
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> assertThat(count(analyst, "user_logins")).isPositive());
            try (Statement st = analyst.createStatement();
                    ResultSet rs = st.executeQuery("SELECT masked_ip, masked_device_id FROM user_logins")) {
                while (rs.next()) {
                    assertThat(clearIps).doesNotContain(rs.getString(1));
                    assertThat(rs.getString(2)).isNotBlank();
                }
            }
            // the analyst login may browse but not write the audit log
            assertThatThrownBy(() -> analyst.createStatement()
                            .executeUpdate("INSERT INTO pii_access_log (table_name, row_key, column_name, reason) "
                                    + "VALUES ('user_logins', 'x', 'masked_ip', 'test')"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void connectRestNeedsTheLoginAndMetricsAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String rest =
                "http://" + compose.getServiceHost("connect", 8083) + ":" + compose.getServicePort("connect", 8083);
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(rest + "/connectors")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String login = Base64.getEncoder()
                .encodeToString(
                        ("connect-admin:" + PASSWORDS.get("CONNECT_REST_PASSWORD")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> admin = http.send(
                HttpRequest.newBuilder(URI.create(rest + "/connectors"))
                        .header("Authorization", "Basic " + login)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(200);
        List<String> registered = new java.util.ArrayList<>();
        JSON.readTree(admin.body()).forEach(n -> registered.add(n.asText()));
        assertThat(registered)
                .containsExactlyInAnyOrderElementsOf(project.connectors().keySet());
        String metrics = "http://" + compose.getServiceHost("connect", 9404) + ":"
                + compose.getServicePort("connect", 9404) + "/metrics";
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(metrics))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .contains("sqspii_sqs_source_messages_received_total"));
    }

    private static Connection connect(String user, String password) throws SQLException {
        String url = "jdbc:postgresql://" + compose.getServiceHost("postgres", 5432) + ":"
                + compose.getServicePort("postgres", 5432) + "/"
                + project.environment("postgres").get("POSTGRES_DB");
        return DriverManager.getConnection(url, user, password);
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
