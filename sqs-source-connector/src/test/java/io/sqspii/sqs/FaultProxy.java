package io.sqspii.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP forwarder in front of the real (ElasticMQ) SQS server that can answer chosen operations with SQS error
 * responses or drop the connection: how throttling, 5xx, denied access and network failures look on the wire.
 */
final class FaultProxy implements AutoCloseable {

  /** What to do with the next {@code count} calls of an operation. */
  record Fault(int status, String errorType, AtomicInteger count) {
  }

  /** For the next {@code count} batch calls: only the first entry reaches the server, the rest come back Failed. */
  record PartialFault(String code, boolean senderFault, AtomicInteger count) {
  }

  record Hang(long millis, AtomicInteger count) {
  }

  static final int DROP = -1;
  /** Forward the call, then drop the connection instead of answering: a response lost on the way back. */
  static final int LOSE_RESPONSE = -2;

  private static final Set<String> SKIP_HEADERS = Set.of("host", "content-length", "connection", "expect",
      "transfer-encoding", "upgrade", "keep-alive");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, PartialFault> partialFaults = new ConcurrentHashMap<>();
  private final Map<String, Hang> hangs = new ConcurrentHashMap<>();
  private final Map<String, List<JsonNode>> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();
  private volatile long latencyMs;
  private volatile long jitterMs;
  private volatile boolean keepRequests = true;
  private final ObjectMapper json = new ObjectMapper();
  final AtomicInteger injected = new AtomicInteger();
  /** ReceiveMessage calls answered without a message. */
  final AtomicInteger emptyReceives = new AtomicInteger();

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
    // delayed ACK add tens of milliseconds to every call, which would swamp an injected latency.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  FaultProxy(int targetPort) throws IOException {
    this.target = "http://127.0.0.1:" + targetPort;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} calls of {@code operation} (e.g. "ReceiveMessage") fail this way. */
  void fail(String operation, int count, int status, String errorType) {
    faults.put(operation, new Fault(status, errorType, new AtomicInteger(count)));
  }

  /** The next {@code count} calls of {@code operation} hang for {@code millis}, then the connection drops. */
  void hang(String operation, int count, long millis) {
    hangs.put(operation, new Hang(millis, new AtomicInteger(count)));
  }

  /** Request bodies (JSON) of every call of {@code operation} that reached the proxy, in order. */
  List<JsonNode> requests(String operation) {
    return requests.getOrDefault(operation, List.of());
  }

  /** How many calls of {@code operation} reached the proxy. */
  int calls(String operation) {
    return requests(operation).size();
  }

  /** The most calls of {@code operation} that were open at the same time. */
  int mostOpen(String operation) {
    AtomicInteger n = mostOpen.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Every call waits {@code ms} ± up to {@code jitter} ms before it is forwarded: a network round trip. */
  void latency(long ms, long jitter) {
    this.latencyMs = ms;
    this.jitterMs = jitter;
  }

  /** Counts calls without keeping their bodies (for long benchmark runs). */
  void countOnly() {
    keepRequests = false;
  }

  /** The next {@code count} calls of a batch {@code operation} fail for all entries but the first. */
  void failEntries(String operation, int count, String code, boolean senderFault) {
    partialFaults.put(operation, new PartialFault(code, senderFault, new AtomicInteger(count)));
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String op = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
      requests.computeIfAbsent(op, k -> new CopyOnWriteArrayList<>()).add(body.length == 0 || !keepRequests
          ? json.createObjectNode() : json.readTree(body));
      int nowOpen = open.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
      mostOpen.computeIfAbsent(op, k -> new AtomicInteger()).accumulateAndGet(nowOpen, Math::max);
      // A call stops counting as open just before its answer goes out: the client's next call may come at once.
      java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable answering = () -> {
        if (answered.compareAndSet(false, true)) {
          open.get(op).decrementAndGet();
        }
      };
      try {
        forward(ex, op, body, answering);
      } finally {
        answering.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange ex, String op, byte[] body, Runnable answering)
      throws IOException, InterruptedException {
    long delay = latencyMs + (jitterMs == 0 ? 0
        : java.util.concurrent.ThreadLocalRandom.current().nextLong(-jitterMs, jitterMs + 1));
    if (delay > 0) {
      Thread.sleep(delay);
    }
    Hang h = hangs.get(op);
    if (h != null && h.count().getAndDecrement() > 0) {
      injected.incrementAndGet();
      Thread.sleep(h.millis());
      return;
    }
    Fault f = faults.get(op);
    boolean loseResponse = false;
    if (f != null && f.count().getAndDecrement() > 0) {
      injected.incrementAndGet();
      if (f.status() == LOSE_RESPONSE) {
        loseResponse = true;
      } else {
        if (f.status() == DROP) {
          return; // closes the exchange without a response: the client sees the connection end
        }
        byte[] err = ("{\"__type\":\"" + f.errorType() + "\",\"message\":\"injected\"}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        ex.getResponseHeaders().add("x-amzn-RequestId", "injected-" + injected.get());
        answering.run();
        ex.sendResponseHeaders(f.status(), err.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(err);
        }
        return;
      }
    }
    PartialFault pf = partialFaults.get(op);
    ArrayNode dropped = null;
    if (pf != null && pf.count().getAndDecrement() > 0) {
      ObjectNode request = (ObjectNode) json.readTree(body);
      ArrayNode entries = (ArrayNode) request.get("Entries");
      dropped = json.createArrayNode();
      while (entries.size() > 1) {
        dropped.add(entries.remove(1));
      }
      body = json.writeValueAsBytes(request);
      injected.addAndGet(dropped.size());
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, vs) -> {
      if (!SKIP_HEADERS.contains(k.toLowerCase())) {
        vs.forEach(v -> req.header(k, v));
      }
    });
    HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    resp.headers().map().forEach((k, vs) -> {
      if (!SKIP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
        ex.getResponseHeaders().put(k, List.copyOf(vs));
      }
    });
    byte[] out = resp.body();
    if (op.equals("ReceiveMessage") && resp.statusCode() == 200 && json.readTree(out).path("Messages").isEmpty()) {
      emptyReceives.incrementAndGet();
    }
    if (loseResponse) {
      return; // the server acted on the call; the client never hears of it
    }
    if (dropped != null) {
      ObjectNode response = (ObjectNode) json.readTree(out);
      ArrayNode failed = response.withArray("Failed");
      for (var e : dropped) {
        failed.addObject().put("Id", e.get("Id").asText()).put("Code", pf.code()).put("SenderFault",
            pf.senderFault()).put("Message", "injected");
      }
      out = json.writeValueAsBytes(response);
    }
    answering.run();
    ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
