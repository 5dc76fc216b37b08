package io.sqspii.testsupport.sqs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP forwarder on a free loopback port in front of a real SQS server (ElasticMQ) that passes every call
 * through its {@link ProxyPolicy policies}: a network latency, throttling, injected failures, a request bill. With
 * no policy it forwards calls as they are.
 */
public final class SqsForwardingProxy implements AutoCloseable {

    /** Hop-by-hop headers and the ones the JDK client sets itself (it refuses them from callers). */
    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "connection", "content-length", "expect", "keep-alive", "transfer-encoding", "upgrade");

    static {
        // The JDK server sends headers and body in two writes; with Nagle's algorithm and the client's delayed ACK
        // each call would wait ~40 ms more than an injected latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String target;
    private final List<ProxyPolicy> policies;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final HttpClient upstream;

    private SqsForwardingProxy(String target, List<ProxyPolicy> policies) throws IOException {
        this.target = target;
        this.policies = policies;
        AtomicInteger n = new AtomicInteger();
        // Long polls hold a thread each for up to 20 s: one thread per open call, not a fixed pool.
        this.handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sqs-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.upstream = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(handlers)
                .build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy forwarding to {@code targetEndpoint} (e.g. ElasticMQ's http://127.0.0.1:port) through the policies. */
    public static SqsForwardingProxy start(String targetEndpoint, ProxyPolicy... policies) {
        try {
            return new SqsForwardingProxy(targetEndpoint, List.of(policies));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open an SQS proxy on loopback", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        SqsCall call = new SqsCall(
                operation(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
                exchange.getRequestBody().readAllBytes());
        int[] reached = {0};
        boolean[] answering = {false};
        // Only the policies that saw the call arrive hear that it ends.
        Runnable beforeAnswer = () -> {
            if (!answering[0]) {
                answering[0] = true;
                policies.subList(0, reached[0]).forEach(p -> p.answering(call));
            }
        };
        try (exchange) {
            for (ProxyPolicy p : policies) {
                reached[0]++;
                p.before(call);
                if (call.decided()) {
                    break;
                }
            }
            call.answerIfAllEntriesFailed();
            if (call.dropped()) {
                return; // closes the exchange without a response: the client sees the connection end
            }
            if (!call.answered()) {
                HttpResponse<byte[]> response =
                        upstream.send(forwarded(exchange, call.request()), HttpResponse.BodyHandlers.ofByteArray());
                call.forwarded(response.statusCode(), response.body());
                for (ProxyPolicy p : policies) {
                    p.after(call);
                }
                if (call.answerLost()) {
                    return; // the server acted on the call; the client never hears of it
                }
                copyHeaders(response, exchange);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.getResponseHeaders().set("x-amzn-RequestId", "injected-" + System.nanoTime());
            }
            beforeAnswer.run();
            byte[] body = call.response();
            exchange.sendResponseHeaders(call.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            beforeAnswer.run();
        }
    }

    /** "AmazonSQS.ReceiveMessage" → "ReceiveMessage" (the SDK's JSON protocol names the call in this header). */
    private static String operation(String amzTarget) {
        return amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
    }

    private HttpRequest forwarded(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return request.build();
    }

    private static void copyHeaders(HttpResponse<byte[]> response, HttpExchange exchange) {
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
