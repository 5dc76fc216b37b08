package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The review's attacks of a Connect REST user (B3, U2, U6) against a real worker that runs the shipped
 * connectors: connect-config/worker.properties' connector policy (connect-policy) refuses each with 403
 * and leaves the running connectors as they were; the shipped configs are accepted.
 */
class ConnectorPolicyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase db;
    private static TestDatabase attackerDb;
    private static Pipeline pipeline;

    @BeforeAll
    static void startThePipelineWithTheShippedConnectors() {
        db = TestDatabase.create();
        attackerDb = TestDatabase.create();
        pipeline = Pipeline.start(PipelineLayout.fromSystemProperties(), db.database(), 60);
        pipeline.registerConnectors(1, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
            if (attackerDb != null) {
                attackerDb.close();
            }
        }
    }

    @Test
    void theShippedConnectorConfigsAreAccepted() throws Exception {
        for (String name : pipeline.connectorNames()) {
            Map<String, String> config = pipeline.config(name);
            HttpResponse<String> put = send("PUT", "/connectors/" + name + "/config", config);
            assertThat(put.statusCode()).as(name + ": " + put.body()).isEqualTo(200);
            assertThat(pipeline.worker().rest().validate(name, config)).as(name).isEmpty();
        }
        for (String name : pipeline.connectorNames()) {
            pipeline.worker().rest().awaitRunning(name, 1, Duration.ofSeconds(90));
        }
    }

    @Test
    void registerACopyOfTheSourceWithoutTheEncryptionTransformsIsRefused() throws Exception {
        Map<String, String> clear = withoutEncryption(source());
        HttpResponse<String> post = send("POST", "/connectors", Map.of("name", "sqs-source-clear", "config", clear));
        assertRefused(post, "must encrypt device_id (deterministic), ip (deterministic), body (dead letters)");
        assertThat(connectors()).doesNotContain("sqs-source-clear");
    }

    /** The rules come from the PII catalog in the database: a topic no applied dataset owns gets no source. */
    @Test
    void aSourceOfATopicNoDatasetOwnsIsRefused() throws Exception {
        Map<String, String> stray = source();
        stray.put("topic", "scratch-copy");
        assertRefused(
                send("POST", "/connectors", Map.of("name", "stray", "config", stray)),
                "topic names no dataset's topic in the PII catalog");
        assertThat(connectors()).doesNotContain("stray");
    }

    @Test
    void replaceTheSourceConfigWithoutTheEncryptionTransformsIsRefused() throws Exception {
        HttpResponse<String> put =
                send("PUT", "/connectors/" + pipeline.primary().source() + "/config", withoutEncryption(source()));
        assertRefused(put, "must encrypt");
        HttpResponse<String> patch = send(
                "PATCH",
                "/connectors/" + pipeline.primary().source() + "/config",
                Map.of("transforms", "rename,created"));
        assertRefused(patch, "must encrypt");
        // the running connector still encrypts
        JsonNode running =
                JSON.readTree(send("GET", "/connectors/" + pipeline.primary().source() + "/config", null)
                        .body());
        assertThat(running.path("transforms").asText()).isEqualTo(source().get("transforms"));
    }

    /** Review B3, the oracle: a source, encryption in place, reading a look-alike queue of the attacker's. */
    @Test
    void pointTheSourceAtALookAlikeQueueForAnEncryptionOracleIsRefused() throws Exception {
        Map<String, String> oracle = source();
        // an address of the documentation range: the policy refuses it before anything connects
        oracle.put("sqs.endpoint.override", "http://192.0.2.1:9324");
        assertRefused(
                send("POST", "/connectors", Map.of("name", "oracle", "config", oracle)),
                "sqs.endpoint.override is not one of sqspii.policy.source.allowed.endpoints");
        oracle = source();
        oracle.put("sqs.queue.url", "http://127.0.0.1:80@192.0.2.1:9324/000000000000/codebook");
        assertRefused(
                send("PUT", "/connector-plugins/SqsSourceConnector/config/validate", withName(oracle, "oracle")),
                "sqs.queue.url is not sqspii.policy.source.queue.url.base/<queue>");
        assertThat(connectors()).doesNotContain("oracle");
    }

    @Test
    void switchOffEncryptionOfValidRecordsByFlippingItsPredicateIsRefused() throws Exception {
        Map<String, String> flipped = source();
        flipped.put("transforms.encryptDeterministic.negate", "false");
        assertRefused(
                send("PUT", "/connectors/" + pipeline.primary().source() + "/config", flipped),
                "must encrypt device_id (deterministic), ip (deterministic) with");
    }

    @Test
    void aSinkToAnotherDatabaseIsRefused() throws Exception {
        Map<String, String> sink = sink();
        sink.put("connection.url", attackerDb.database().sinkUrl());
        sink.put("topics", pipeline.primary().topic());
        assertRefused(
                send("POST", "/connectors", Map.of("name", "exfiltrate", "config", sink)),
                "connection.url is not one of sqspii.policy.jdbc.allowed.urls");
        assertThat(connectors()).doesNotContain("exfiltrate");
        try (Connection c = attackerDb.database().connect();
                Statement s = c.createStatement();
                ResultSet tables = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            tables.next();
            assertThat(tables.getInt(1))
                    .as("nothing was written to the other database")
                    .isZero();
        }
    }

    @Test
    void aMysqlSinkForLocalInfileIsRefusedAndTheWorkerHasNoMysqlOrMariadbDriver() throws Exception {
        Map<String, String> sink = sink();
        sink.put("connection.url", "jdbc:mysql://127.0.0.1:3306/x?allowLoadLocalInfile=true");
        assertRefused(send("POST", "/connectors", Map.of("name", "infile", "config", sink)), "connection.url");
        assertRefused(
                send("PUT", "/connector-plugins/JdbcSinkConnector/config/validate", withName(sink, "infile")),
                "connection.url");
        sink.put("connection.url", "jdbc:mariadb://127.0.0.1:3306/x?allowLocalInfile=true");
        assertRefused(send("PUT", "/connectors/infile/config", sink), "connection.url");

        // and had the policy let it through: no plugin and no jar of the worker's class path holds such a driver
        List<Path> jars = workerJars();
        assertThat(jars).as("plugin.path and the worker class path").isNotEmpty();
        List<String> drivers = new ArrayList<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry services = zip.getEntry("META-INF/services/java.sql.Driver");
                if (services != null) {
                    drivers.addAll(new String(zip.getInputStream(services).readAllBytes())
                            .lines()
                            .map(String::trim)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .toList());
                }
                assertThat(zip.stream().map(ZipEntry::getName))
                        .as(jar.toString())
                        .noneMatch(n -> n.startsWith("com/mysql/") || n.startsWith("org/mariadb/"));
            }
        }
        assertThat(drivers).containsOnly("org.postgresql.Driver");
        Path sinkPlugin = pipeline.layout().pluginsDir().resolve("debezium-connector-jdbc");
        try (Stream<Path> files = Files.list(sinkPlugin);
                URLClassLoader loader =
                        new URLClassLoader(files.map(ConnectorPolicyIT::url).toArray(URL[]::new), null)) {
            assertThatThrownBy(() -> Class.forName("com.mysql.cj.jdbc.Driver", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("org.mariadb.jdbc.Driver", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(Class.forName("io.debezium.connector.jdbc.JdbcSinkConnector", false, loader))
                    .isNotNull();
        }
    }

    @Test
    void registerMirrorSourceConnectorIsRefused() throws Exception {
        Map<String, String> mirror = new LinkedHashMap<>();
        mirror.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
        mirror.put("source.cluster.alias", "here");
        mirror.put("target.cluster.alias", "there");
        mirror.put("source.cluster.bootstrap.servers", pipeline.kafka().bootstrapServers());
        mirror.put("target.cluster.bootstrap.servers", "127.0.0.1:1");
        mirror.put("topics", pipeline.primary().topic());
        assertRefused(
                send("POST", "/connectors", Map.of("name", "mirror", "config", mirror)),
                "connector.class is not one of sqspii.policy.allowed.connector.classes");
        assertRefused(
                send("PUT", "/connector-plugins/MirrorSourceConnector/config/validate", withName(mirror, "mirror")),
                "connector.class");
        assertThat(connectors()).doesNotContain("mirror");
        assertThat(send("GET", "/connector-plugins?connectorsOnly=true", null).body())
                .doesNotContain("Mirror");
    }

    @Test
    void validateProbeReadingTheDatabasePasswordIsRefused() throws Exception {
        String password = sinkPassword();
        Map<String, String> probe = withName(source(), "probe");
        probe.put(
                "sqs.assume.role.arn",
                "${file:" + pipeline.layout().secretsDir().resolve("jdbc.properties") + ":password}");
        HttpResponse<String> viaFile = send("PUT", "/connector-plugins/SqsSourceConnector/config/validate", probe);
        assertRefused(viaFile, "sqs.assume.role.arn may not reference a secret provider");
        assertThat(viaFile.body()).doesNotContain(password);
        // the env provider no longer reaches the password (it is in no variable the allow-list names)
        probe.put("sqs.assume.role.arn", "${env:JDBC_PASSWORD}");
        HttpResponse<String> viaEnv = send("PUT", "/connector-plugins/SqsSourceConnector/config/validate", probe);
        assertThat(viaEnv.body()).doesNotContain(password);
    }

    @Test
    void logTheOriginalRecordsInClearIsRefused() throws Exception {
        Map<String, String> logging = source();
        logging.put("errors.tolerance", "all");
        logging.put("errors.log.enable", "true");
        logging.put("errors.log.include.messages", "true");
        assertRefused(
                send("PUT", "/connectors/" + pipeline.primary().source() + "/config", logging),
                "errors.log.include.messages=true");
    }

    private static void assertRefused(HttpResponse<String> response, String reason) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .startsWith("connector policy: ")
                .contains(reason);
    }

    private static Map<String, String> source() {
        return new LinkedHashMap<>(pipeline.config(pipeline.primary().source()));
    }

    private static Map<String, String> sink() {
        return new LinkedHashMap<>(pipeline.config(pipeline.primary().sink()));
    }

    /** The source's chain minus both EncryptFields transforms: what "drop the SMT" submits. */
    private static Map<String, String> withoutEncryption(Map<String, String> config) {
        Map<String, String> clear = new LinkedHashMap<>(config);
        clear.keySet().removeIf(k -> k.startsWith("transforms.encrypt"));
        clear.put("transforms", "rename,created");
        return clear;
    }

    private static Map<String, String> withName(Map<String, String> config, String name) {
        Map<String, String> named = new LinkedHashMap<>(config);
        named.put("name", name);
        return named;
    }

    private static List<String> connectors() throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(send("GET", "/connectors", null).body()).forEach(n -> names.add(n.asText()));
        return names;
    }

    private static String sinkPassword() throws IOException {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(pipeline.layout().secretsDir().resolve("jdbc.properties"))) {
            props.load(in);
        }
        return props.getProperty("password");
    }

    /** Every jar the worker can load: its plugin folders and its class path. */
    private static List<Path> workerJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> plugins = Files.walk(pipeline.layout().pluginsDir())) {
            plugins.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
        }
        for (String entry : pipeline.layout().childClassPath().split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        return jars;
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(pipeline.worker().rest().baseUrl() + path))
                    .timeout(Duration.ofSeconds(60))
                    .header(
                            "Authorization",
                            RestCredentials.forRun(pipeline.layout().runDir()).authorizationHeader());
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
