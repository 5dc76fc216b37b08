package io.sqspii.reveal;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.RevealApi;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reveal service: the only place people's PII reveals are decrypted. {@link #start} loads the keysets,
 * checks the listen address (plain HTTP on loopback only) and listens; {@link #main} runs it from a
 * properties file: {@code java -jar reveal-service.jar --config FILE}.
 */
public final class RevealServer implements AutoCloseable {
    /** Open connections at most (sun.net.httpserver.maxConnections): beyond it the JDK server closes new ones at once. */
    static final int MAX_CONNECTIONS = 256;
    /**
     * Request threads: the JDK server reads each request (and does the TLS handshake) on one with blocking
     * I/O, so a slow client holds one until the request timeout. One per open connection, made on demand:
     * no request waits in a queue behind a slow client's.
     */
    static final int REQUEST_THREADS = MAX_CONNECTIONS;
    /** Reveals at once, each holding one database connection as its analyst. */
    static final int REVEALS_AT_ONCE = 8;

    /**
     * The JDK server's limits, read once when its implementation class initialises (the first HttpServer of
     * the JVM): seconds to receive a whole request (TLS handshake, request line, headers, and the body until
     * the handler has read it), seconds to send an answer, seconds a kept-alive or new connection may idle,
     * and open connections at most. Without them a client that sends half a request holds a thread forever.
     * Set when this class initialises, before it creates a server, unless the JVM was started with them.
     */
    static final Map<String, String> SERVER_LIMITS = Map.of(
            "sun.net.httpserver.maxReqTime", "10",
            "sun.net.httpserver.maxRspTime", "30",
            "sun.net.httpserver.idleInterval", "30",
            "sun.net.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS),
            // The JDK server writes headers and body in two segments; with Nagle on, the body waits for the
            // client's delayed ACK (~40 ms a request).
            "sun.net.httpserver.nodelay", "true");

    static {
        SERVER_LIMITS.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final CatalogWatch catalog;
    private final AuditHeadWatch head;
    private final URI uri;

    private RevealServer(
            HttpServer server, ExecutorService executor, CatalogWatch catalog, AuditHeadWatch head, URI uri) {
        this.server = server;
        this.executor = executor;
        this.catalog = catalog;
        this.head = head;
        this.uri = uri;
    }

    /** Starts the service; IllegalArgumentException / IllegalStateException say what is wrong in the config. */
    public static RevealServer start(RevealConfig config) {
        Logger log = LoggerFactory.getLogger(RevealServer.class); // not static: main() picks the log config first
        InetSocketAddress address = new InetSocketAddress(config.listenHost(), config.listenPort());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("listen.host " + config.listenHost() + " does not resolve");
        }
        boolean tls = config.tlsKeystoreFile() != null;
        if (!tls && !address.getAddress().isLoopbackAddress()) {
            throw new IllegalStateException(
                    "refusing to listen on " + address.getAddress().getHostAddress()
                            + " without TLS: plain HTTP would carry passwords and plaintext over the network. Set "
                            + RevealConfig.TLS_KEYSTORE_FILE + " (PKCS12), or listen on 127.0.0.1");
        }
        KeyRing keys = KeyRing.load(config);
        TrustProbe.requirePasswordChecks(config.dbUrl(), config.probeUsers());
        HttpServer server;
        try {
            if (tls) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(
                        ServerTls.configurator(config.tlsKeystoreFile(), config.tlsKeystorePassword()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                REQUEST_THREADS, REQUEST_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "reveal-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        RevealDatabase database = RevealDatabase.of(config);
        CatalogWatch catalog = new CatalogWatch(database, keys);
        HostCheck hosts = new HostCheck(config.allowedHosts());
        server.createContext(RevealApi.HEALTH_PATH, new HealthHandler(keys, catalog))
                .getFilters()
                .add(hosts);
        AuditHeadWatch head = new AuditHeadWatch(database);
        MetricsHandler.Counters counters = new MetricsHandler.Counters();
        LoginGate gate = new LoginGate(database, config);
        server.createContext(RevealApi.REVEAL_PATH, new RevealHandler(database, keys, config, gate, counters))
                .getFilters()
                .add(hosts);
        server.createContext(RevealApi.ERASURE_PATH, new ErasureHandler(database, keys, gate))
                .getFilters()
                .add(hosts);
        server.createContext(MetricsHandler.PATH, new MetricsHandler(counters, head))
                .getFilters()
                .add(hosts);
        server.createContext("/", ex -> {
                    long t0 = System.nanoTime();
                    try (ex) {
                        Exchanges.error(
                                ex,
                                new ApiException(
                                        ErrorCode.NO_SUCH_RESOURCE,
                                        "no such resource: use POST /v1/reveal, POST /v1/erasure, "
                                                + "GET /health or GET /metrics"));
                    } finally {
                        AccessLog.line(ex, null, 0, 404, t0);
                    }
                })
                .getFilters()
                .add(hosts);
        server.start();
        URI uri = URI.create((tls ? "https" : "http") + "://" + hostForUri(address) + ":"
                + server.getAddress().getPort());
        log.info(
                "reveal service listening on {} ({}), database {}",
                uri,
                tls ? "TLS" : "plain HTTP on loopback only",
                config.dbUrlForLog());
        for (KeyRing.Loaded k : keys.loaded()) {
            log.info(
                    "keyset {} ({}): key ids {}{}",
                    k.name(),
                    k.mode().configName(),
                    k.keyIds(),
                    k.cleartext() ? " - CLEAR-TEXT keyset, development only" : "");
        }
        log.info(
                "PII catalog: datasets {}, keysets {}",
                catalog.catalog().datasets().stream().map(d -> d.name()).toList(),
                catalog.catalog().keysets());
        log.info(
                "limits: {} cells per minute per login, {} cells per request, {} reveals at once; failed logins per "
                        + "minute: {} per login and address, {} per address, {} from failing addresses; HTTP: {}",
                config.rateLimitCellsPerMinute(),
                config.maxCellsPerRequest(),
                REVEALS_AT_ONCE,
                config.authFailuresPerMinute(),
                config.authFailuresPerMinutePerAddress(),
                config.authFailuresPerMinuteGlobal(),
                serverLimits());
        return new RevealServer(server, executor, catalog, head, uri);
    }

    /** The limits in force as far as the properties say (the JDK read them at its first server). */
    private static String serverLimits() {
        return SERVER_LIMITS.keySet().stream()
                .sorted()
                .map(k -> k.substring("sun.net.httpserver.".length()) + "=" + System.getProperty(k))
                .collect(Collectors.joining(" "));
    }

    private static String hostForUri(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        catalog.close();
        head.close();
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        if (args.length != 2 || !args[0].equals("--config")) {
            err.println("usage: java -jar reveal-service.jar --config FILE   (settings: reveal-service/README.md)");
            return 2;
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "reveal-service-log4j2.xml");
        }
        RevealServer server;
        try {
            server = start(RevealConfig.load(Path.of(args[1])));
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("reveal-service: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "reveal-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
