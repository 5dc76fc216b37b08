package io.sqspii.reveal;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reveal service: the only place people's PII reveals are decrypted. {@link #start} loads the keysets,
 * checks the listen address (plain HTTP on loopback only) and listens; {@link #main} runs it from a
 * properties file: {@code java -jar reveal-service.jar --config FILE}.
 */
public final class RevealServer implements AutoCloseable {
    /** Request threads: each holds one database connection while it works. */
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI uri;

    private RevealServer(HttpServer server, ExecutorService executor, URI uri) {
        this.server = server;
        this.executor = executor;
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
            throw new IllegalStateException("refusing to listen on " + address.getAddress().getHostAddress()
                    + " without TLS: plain HTTP would carry passwords and plaintext over the network. Set "
                    + RevealConfig.TLS_KEYSTORE_FILE + " (PKCS12), or listen on 127.0.0.1");
        }
        KeyRing keys = KeyRing.load(config);
        // The JDK server writes headers and body in two segments; with Nagle on, the body waits for the
        // client's delayed ACK (~40 ms a request). Read once, when the JVM's first HttpServer is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            if (tls) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(ServerTls.configurator(config.tlsKeystoreFile(), config.tlsKeystorePassword()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "reveal-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health", new HealthHandler(keys));
        server.createContext("/v1/reveal", new RevealHandler(RevealDatabase.of(config), keys, config));
        server.createContext("/", ex -> {
            long t0 = System.nanoTime();
            try (ex) {
                Exchanges.error(ex, new ApiException(404, "no such resource: use POST /v1/reveal or GET /health"));
            } finally {
                AccessLog.line(ex, null, 0, 404, t0);
            }
        });
        server.start();
        URI uri = URI.create((tls ? "https" : "http") + "://" + hostForUri(address) + ":" + server.getAddress().getPort());
        log.info("reveal service listening on {} ({}), database {}", uri,
                tls ? "TLS" : "plain HTTP on loopback only", config.dbUrl());
        for (KeyRing.Loaded k : keys.loaded()) {
            log.info("keyset of {} ({}): key ids {}{}", k.table(), k.mode().configName(), k.keyIds(),
                    k.cleartext() ? " - CLEAR-TEXT keyset, development only" : "");
        }
        log.info("limits: {} cells per minute per login, {} cells per request", config.rateLimitCellsPerMinute(),
                config.maxCellsPerRequest());
        return new RevealServer(server, executor, uri);
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
