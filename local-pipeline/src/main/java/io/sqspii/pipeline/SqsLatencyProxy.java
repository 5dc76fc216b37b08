package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bench only: an HTTP forwarder in front of ElasticMQ that holds every SQS call for a chosen latency (± jitter)
 * before passing it on, as a network round trip to AWS would, and bills each call in an {@link SqsRequestBill}.
 * Loopback ElasticMQ answers in well under a millisecond, AWS in 10–30 ms: only with the delay does a bench show
 * what a user of the real service gets.
 */
final class SqsLatencyProxy implements AutoCloseable {

  /** Hop-by-hop headers and the ones the JDK client sets itself (it refuses them from callers). */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
      "keep-alive", "transfer-encoding", "upgrade");

  static {
    // The JDK server sends headers and body in two writes; with Nagle's algorithm and the client's delayed ACK
    // each call would wait ~40 ms more than the latency asked for.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService handlers;
  private final HttpClient upstream;
  private final String target;
  private final SqsRequestBill bill = new SqsRequestBill();
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger openReceives = new AtomicInteger();
  private final AtomicInteger mostOpenReceives = new AtomicInteger();
  private volatile long latencyMs;
  private volatile long jitterMs;

  private SqsLatencyProxy(String target) throws IOException {
    this.target = target;
    AtomicInteger n = new AtomicInteger();
    // Long polls hold a thread each for up to 20 s: one thread per open call, not a fixed pool.
    this.handlers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sqs-latency-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(handlers).build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A proxy on a free loopback port forwarding to {@code targetEndpoint} (e.g. ElasticMQ's http://127.0.0.1:port). */
  static SqsLatencyProxy start(String targetEndpoint) {
    try {
      return new SqsLatencyProxy(targetEndpoint);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the SQS latency proxy on loopback", e);
    }
  }

  /** From now on every call waits {@code ms} ± up to {@code jitter} ms (never below 0) before it is forwarded. */
  void latency(long ms, long jitter) {
    if (ms < 0 || jitter < 0) {
      throw new IllegalArgumentException("latency and jitter must be >= 0, got " + ms + " and " + jitter);
    }
    this.latencyMs = ms;
    this.jitterMs = jitter;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  SqsRequestBill bill() {
    return bill;
  }

  /** ReceiveMessage calls waiting for an answer right now (on an idle queue: the long polls parked). */
  int openReceives() {
    return openReceives.get();
  }

  /** The most ReceiveMessage calls open at once since the last call of this method; resets it to those open now. */
  int takeMostOpenReceives() {
    return mostOpenReceives.getAndSet(openReceives.get());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String operation = operation(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      boolean receive = operation.equals("ReceiveMessage");
      if (receive) {
        mostOpenReceives.accumulateAndGet(openReceives.incrementAndGet(), Math::max);
      }
      try {
        byte[] request = exchange.getRequestBody().readAllBytes();
        pause();
        HttpResponse<byte[]> response = upstream.send(forwarded(exchange, request),
            HttpResponse.BodyHandlers.ofByteArray());
        bill.count(operation, response.statusCode() == 200 ? entries(operation, request, response.body()) : -1);
        reply(exchange, response);
      } finally {
        if (receive) {
          openReceives.decrementAndGet();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "AmazonSQS.ReceiveMessage" → "ReceiveMessage" (the SDK's JSON protocol names the call in this header). */
  private static String operation(String amzTarget) {
    return amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
  }

  private void pause() throws InterruptedException {
    long ms = latencyMs;
    long jitter = jitterMs;
    long delay = jitter == 0 ? ms : Math.max(0, ms + ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
    if (delay > 0) {
      TimeUnit.MILLISECONDS.sleep(delay);
    }
  }

  private HttpRequest forwarded(HttpExchange exchange, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    return request.build();
  }

  /**
   * Messages a successful call carried: received for a receive, entries for a batch, 1 for a single delete or
   * visibility change, 0 otherwise. Only receives and batches are parsed (their bodies are a few KiB).
   */
  private int entries(String operation, byte[] request, byte[] response) throws IOException {
    return switch (operation) {
      case "ReceiveMessage" -> size(json.readTree(response).path("Messages"));
      case "DeleteMessageBatch", "ChangeMessageVisibilityBatch" -> size(json.readTree(request).path("Entries"));
      case "DeleteMessage", "ChangeMessageVisibility" -> 1;
      default -> 0;
    };
  }

  private static int size(JsonNode array) {
    return array.isArray() ? array.size() : 0;
  }

  private static void reply(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    response.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, List.copyOf(values));
      }
    });
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
