package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker as connect-config/worker.properties locks it down, and as Prometheus sees it: REST needs the
 * basic-auth login, admin endpoints are off, connectors cannot override client settings, the config
 * providers reach only what the shipped configs use; the JMX exporter agent serves the source task's own
 * metrics and Connect's, with the values of a real run of the sample file.
 */
class WorkerLockdownAndMetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(sqspii|kafka)_[a-z_]+\\b");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SampleFileRun run;
    private static Pipeline pipeline;
    private static List<SentMessage> sent;
    private static Counts accounted;

    @BeforeAll
    static void runTheSampleFile() throws Exception {
        run = SampleFileRun.start(Duration.ofSeconds(120));
        pipeline = run.pipeline();
        sent = run.sent();
        accounted = run.accounted();
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void restRefusesRequestsWithoutTheLogin() throws Exception {
        URI connectors = URI.create(pipeline.worker().rest().baseUrl() + "/connectors");
        assertThat(get(connectors, null).statusCode()).isEqualTo(401);
        String wrong = "Basic "
                + Base64.getEncoder()
                        .encodeToString((RestCredentials.USER + ":not-the-password").getBytes(StandardCharsets.UTF_8));
        assertThat(get(connectors, wrong).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get(
                connectors, RestCredentials.forRun(pipeline.layout().runDir()).authorizationHeader());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains(pipeline.primary().source());
        // The credentials file is the run's alone.
        assertThat(Files.getPosixFilePermissions(
                        RestCredentials.forRun(pipeline.layout().runDir()).credentialsFile()))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void adminEndpointsAreOff() throws Exception {
        HttpResponse<String> loggers = get(
                URI.create(pipeline.worker().rest().baseUrl() + "/admin/loggers"),
                RestCredentials.forRun(pipeline.layout().runDir()).authorizationHeader());
        assertThat(loggers.statusCode()).isEqualTo(404);
    }

    @Test
    void aConnectorCannotOverrideTheWorkersClientSettings() {
        Map<String, String> sink =
                new LinkedHashMap<>(pipeline.config(pipeline.primary().sink(), 1, 1));
        assertThat(pipeline.worker().rest().validate("probe-sink", sink)).isEmpty();
        sink.put("consumer.override.max.poll.records", "5000");
        assertThat(pipeline.worker().rest().validate("probe-sink", sink))
                .hasEntrySatisfying(
                        "consumer.override.max.poll.records",
                        errors -> assertThat(String.join(" ", errors)).contains("None"));
    }

    @Test
    void configProvidersResolveOnlyWhatTheShippedConfigsUse() {
        Map<String, String> source =
                new LinkedHashMap<>(pipeline.config(pipeline.primary().source(), 1, 1));
        // Allow-listed variables resolve: the shipped source reads its queue (SQS_QUEUE_URL_BASE) and keysets
        // (PII_<NAME>_KEYSET) through them, and validates without an error.
        assertThat(pipeline.worker().rest().validate("probe", source)).isEmpty();
        // Another variable of the worker's environment does not: the key gets an error that shows no value of it.
        source.put("sqs.max.messages", "${env:AWS_SECRET_ACCESS_KEY}");
        assertThat(pipeline.worker().rest().validate("probe", source))
                .hasEntrySatisfying(
                        "sqs.max.messages",
                        errors -> assertThat(String.join(" ", errors))
                                .isNotEmpty()
                                .doesNotContain(EmbeddedElasticMq.SECRET_KEY));
        // Nor does a file, such as the REST login's own credentials: the connector policy refuses a secret
        // reference anywhere but the sinks' connection.password before the worker resolves it.
        source.put(
                "sqs.max.messages",
                "${file:" + RestCredentials.forRun(pipeline.layout().runDir()).credentialsFile() + ":"
                        + RestCredentials.USER + "}");
        assertThatThrownBy(() -> pipeline.worker().rest().validate("probe", source))
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("may not reference a secret provider");
    }

    /** Attack (review B3): a REST user resolves a secret into keys that refuse it; no error echoes the value. */
    @Test
    void aSecretResolvedIntoARefusingKeyIsNeverEchoedByValidation() {
        Map<String, String> source =
                new LinkedHashMap<>(pipeline.config(pipeline.primary().source(), 1, 1));
        source.put("sqs.assume.role.arn", "${env:JDBC_URL}");
        source.put("sqs.max.messages", "${env:JDBC_URL}");
        source.put("transforms.encryptBody.mode", "${env:JDBC_URL}");
        Map<String, List<String>> errors = pipeline.worker().rest().validate("probe", source);
        assertThat(errors).containsKeys("sqs.assume.role.arn", "sqs.max.messages", "transforms.encryptBody.mode");
        assertThat(errors.values())
                .flatMap(e -> e)
                .isNotEmpty()
                .allSatisfy(
                        m -> assertThat(m).doesNotContain("jdbc:postgresql:").doesNotContain("${env:"));
        // a topic is a dataset's or nothing: the policy refuses it before the worker resolves (and could echo) it
        source.put("topic", "${env:JDBC_URL}");
        assertThatThrownBy(() -> pipeline.worker().rest().validate("probe", source))
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("no dataset's topic")
                .hasMessageNotContaining("jdbc:postgresql:");
    }

    @Test
    void prometheusSeesTheSourceTaskAndConnectMetrics() {
        URI metrics = pipeline.worker().metricsUri();
        Map<String, String> task = Map.of("connector", pipeline.primary().source(), "task", "0");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    PrometheusText scrape = PrometheusText.scrape(metrics);
                    // every message was received and, once Kafka acked it, deleted
                    assertThat(scrape.value("sqspii_sqs_source_messages_received_total", task))
                            .isGreaterThanOrEqualTo(sent.size());
                    assertThat(scrape.value("sqspii_sqs_source_messages_deleted_total", task))
                            .isGreaterThanOrEqualTo(sent.size());
                    assertThat(scrape.value("sqspii_sqs_source_messages_in_flight", task))
                            .isZero();
                    assertThat(scrape.value("sqspii_sqs_source_messages_dead_lettered_total", task))
                            .isGreaterThanOrEqualTo(accounted.rejected())
                            .isPositive();
                    assertThat(scrape.series("sqspii_sqs_source_queue_approximate_depth"))
                            .isNotEmpty();
                    // Connect's own: task state, source writes, and the sink's lag (caught up: 0 on every partition)
                    assertThat(scrape.value(
                                    "kafka_connect_task_status",
                                    Map.of("connector", pipeline.primary().sink(), "task", "0", "status", "running")))
                            .isEqualTo(1.0);
                    assertThat(scrape.value("kafka_connect_source_task_source_record_write_total", task))
                            .isGreaterThanOrEqualTo(sent.size());
                    List<PrometheusText.Sample> lag = scrape.series("kafka_consumer_records_lag").stream()
                            .filter(s -> s.labels()
                                    .getOrDefault("client_id", "")
                                    .equals("connector-consumer-"
                                            + pipeline.primary().sink() + "-0"))
                            .toList();
                    assertThat(lag)
                            .isNotEmpty()
                            .allSatisfy(s -> assertThat(s.value()).isZero());
                    // every series the Grafana dashboard queries exists
                    assertThat(dashboardMetricNames())
                            .isNotEmpty()
                            .allSatisfy(name -> assertThat(scrape.series(name))
                                    .as("%s (queried by deploy/grafana)", name)
                                    .isNotEmpty());
                });
    }

    private static Set<String> dashboardMetricNames() throws IOException {
        Path dashboard = pipeline.layout().projectDir().resolve("deploy/grafana/sqs-pii-connect-dashboard.json");
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : JSON.readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC_NAME.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
