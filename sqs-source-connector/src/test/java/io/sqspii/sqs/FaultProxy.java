package io.sqspii.sqs;

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

  static final int DROP = -1;

  private static final Set<String> SKIP_HEADERS = Set.of("host", "content-length", "connection", "expect",
      "transfer-encoding", "upgrade", "keep-alive");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  final AtomicInteger injected = new AtomicInteger();

  FaultProxy(int targetPort) throws IOException {
    this.target = "http://127.0.0.1:" + targetPort;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
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

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String op = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
      Fault f = faults.get(op);
      if (f != null && f.count().getAndDecrement() > 0) {
        injected.incrementAndGet();
        if (f.status() == DROP) {
          return; // closes the exchange without a response: the client sees the connection end
        }
        byte[] err = ("{\"__type\":\"" + f.errorType() + "\",\"message\":\"injected\"}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        ex.getResponseHeaders().add("x-amzn-RequestId", "injected-" + injected.get());
        ex.sendResponseHeaders(f.status(), err.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(err);
        }
        return;
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
      ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream o = ex.getResponseBody()) {
          o.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
