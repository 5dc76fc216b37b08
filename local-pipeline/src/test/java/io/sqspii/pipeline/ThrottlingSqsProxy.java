package io.sqspii.pipeline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP forwarder in front of a real SQS server (ElasticMQ) that, while throttling is on, answers a share of
 * the calls as SQS does when a caller exceeds its rate: HTTP 400 with a ThrottlingException, the call never
 * reaching the server. Everything else is forwarded as is.
 */
final class ThrottlingSqsProxy implements AutoCloseable {

  private static final List<String> FORWARDED = List.of("Content-Type", "X-Amz-Target", "X-Amz-Date",
      "Authorization", "X-Amz-Security-Token", "amz-sdk-invocation-id", "amz-sdk-request");

  private final String target;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "sqs-throttling-proxy");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger throttleEvery = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();

  ThrottlingSqsProxy(String target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads); // long polls must not queue behind each other
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Throttles one call in {@code every} (2: half of them); 0 stops throttling. */
  void throttleEvery(int every) {
    throttleEvery.set(every);
  }

  long throttled() {
    return throttled.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int every = throttleEvery.get();
      if (every > 0 && calls.incrementAndGet() % every == 0) {
        throttled.incrementAndGet();
        reply(exchange, 400, "application/x-amz-json-1.0", ("{\"__type\":\"com.amazon.coral.availability"
            + "#ThrottlingException\",\"message\":\"Rate exceeded\"}").getBytes(StandardCharsets.UTF_8));
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
          .timeout(Duration.ofSeconds(60)).method(exchange.getRequestMethod(),
              HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : FORWARDED) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          forward.header(header, value);
        }
      }
      HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().map().forEach((name, values) -> {
        if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amzn-")) {
          exchange.getResponseHeaders().put(name, values); // the SDK reads error codes from x-amzn-query-error
        }
      });
      reply(exchange, response.statusCode(),
          response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0"), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
