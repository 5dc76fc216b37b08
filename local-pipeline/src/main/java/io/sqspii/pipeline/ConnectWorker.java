package io.sqspii.pipeline;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka Connect worker in distributed mode in a child JVM, configured by
 * {@code connect-config/worker.properties} with only the deployment-specific keys replaced (bootstrap
 * servers, REST listener, plugin.path, the file provider's allowed path). Connector secrets and endpoints reach it as environment
 * variables, read by the {@code ${env:...}} config provider — as in a container. Its REST API needs the
 * run's basic-auth credentials ({@link RestCredentials}); the Prometheus JMX exporter agent serves its
 * metrics on a loopback port, with the rules of deploy/prometheus/ (as in the image).
 */
final class ConnectWorker implements AutoCloseable {

    /** Plugin classes the pipeline's connector configs use: the worker is ready when it lists them. */
    static final List<String> REQUIRED_PLUGINS =
            List.of("io.sqspii.sqs.SqsSourceConnector", "io.debezium.connector.jdbc.JdbcSinkConnector");

    static final String EXTRA_JVM_OPTIONS = "LOCAL_PIPELINE_WORKER_JVM_OPTIONS";

    private final ChildJvm process;
    private final ConnectRest rest;
    private final URI metrics;

    private ConnectWorker(ChildJvm process, ConnectRest rest, URI metrics) {
        this.process = process;
        this.rest = rest;
        this.metrics = metrics;
    }

    /**
     * Starts a worker; {@code restPort} 0 picks a free one. A restarted worker passes its previous port, so
     * it rejoins as the same member URL.
     */
    static ConnectWorker start(
            PipelineLayout layout,
            String bootstrapServers,
            Map<String, String> environment,
            int restPort,
            String name) {
        int port = restPort == 0 ? FreePorts.next() : restPort;
        Properties props = new Properties();
        Path template = layout.connectConfig("worker.properties");
        try (Reader in = Files.newBufferedReader(template)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
        props.setProperty("bootstrap.servers", bootstrapServers);
        props.setProperty("listeners", "http://127.0.0.1:" + port);
        props.setProperty("rest.advertised.host.name", "127.0.0.1");
        props.setProperty("plugin.path", layout.pluginsDir().toString());
        // The file config provider reads only files under this run's secrets folder (the sinks' password).
        props.setProperty(
                "config.providers.file.param.allowed.paths", layout.secretsDir().toString());
        // The connector policy reads the PII catalog with the sinks' login, password from the same file.
        props.setProperty(
                "sqspii.policy.catalog.password",
                "${file:" + layout.secretsDir().resolve("jdbc.properties") + ":password}");
        // ElasticMQ and the tests' and bench's SQS proxies listen on loopback ports chosen at run time.
        props.setProperty("sqspii.policy.source.allowed.endpoint.hosts", "127.0.0.1");
        Path config = layout.runDir().resolve(name + ".properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "generated from " + template + " by the local pipeline");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        RestCredentials credentials = RestCredentials.forRun(layout.runDir());
        int metricsPort = FreePorts.next();
        String agent = "-javaagent:" + layout.jmxExporterAgent() + "=127.0.0.1:" + metricsPort + ":"
                + layout.jmxExporterRules();
        List<String> jvmOptions = new ArrayList<>(List.of("-Xms512m", "-Xmx1g", credentials.jvmOption(), agent));
        jvmOptions.addAll(extraJvmOptions());
        ChildJvm jvm = ChildJvm.start(
                name,
                layout,
                jvmOptions,
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of(config.toString()),
                environment,
                layout.runDir().resolve(name + ".log"));
        ConnectWorker worker = new ConnectWorker(
                jvm,
                new ConnectRest("http://127.0.0.1:" + port, jvm, credentials),
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
        worker.rest.awaitPlugins(REQUIRED_PLUGINS, Duration.ofSeconds(120));
        return worker;
    }

    /**
     * Options from {@value #EXTRA_JVM_OPTIONS} (space-separated), after the defaults so they win: for measuring
     * a heap size or recording a profile ({@code -XX:StartFlightRecording=filename=worker.jfr}) of the worker.
     */
    private static List<String> extraJvmOptions() {
        return ChildJvm.options(System.getenv(EXTRA_JVM_OPTIONS));
    }

    ConnectRest rest() {
        return rest;
    }

    /** The Prometheus endpoint of the worker's JMX exporter agent. */
    URI metricsUri() {
        return metrics;
    }

    ChildJvm process() {
        return process;
    }

    int restPort() {
        return rest.port();
    }

    /** A crash: the worker dies without leaving its group, committing offsets or flushing its producer. */
    void kill() {
        process.kill();
    }

    /** A clean stop (SIGTERM): tasks stop, acks already received are turned into deletes. */
    @Override
    public void close() {
        process.close();
    }
}
