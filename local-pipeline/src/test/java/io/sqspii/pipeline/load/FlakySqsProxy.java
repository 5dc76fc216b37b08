package io.sqspii.pipeline.load;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * A fault-injecting proxy in front of a real SQS server (ElasticMQ), for what a local server never does: report
 * entries of a SendMessageBatch as failed on the server's side (SenderFault false, HTTP 200). An entry chosen to
 * fail is held back from the server, so the queue ends up with exactly what was really accepted.
 */
final class FlakySqsProxy implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FORWARDED = List.of("Content-Type", "X-Amz-Target", "X-Amz-Date",
      "Authorization", "X-Amz-Security-Token", "amz-sdk-invocation-id");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String target;
  /** (entry id, attempt number from 1) → whether that attempt fails. */
  private final BiPredicate<String, Integer> fails;
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  FlakySqsProxy(String target, BiPredicate<String, Integer> fails) throws IOException {
    this.target = target;
    this.fails = fails;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int attempts(String entryId) {
    return attempts.getOrDefault(entryId, 0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean batch = "AmazonSQS.SendMessageBatch".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      ArrayNode failed = JSON.createArrayNode();
      if (batch) {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode entry : request.get("Entries")) {
          String id = entry.get("Id").asText();
          if (fails.test(id, attempts.merge(id, 1, Integer::sum))) {
            failed.addObject().put("Id", id).put("SenderFault", false).put("Code", "ServiceUnavailable")
                .put("Message", "injected by the test proxy");
          } else {
            kept.add(entry);
          }
        }
        if (kept.isEmpty()) {
          reply(exchange, 200, JSON.writeValueAsBytes(JSON.createObjectNode().<ObjectNode>set("Failed", failed)));
          return;
        }
        request.set("Entries", kept);
        body = JSON.writeValueAsBytes(request);
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : FORWARDED) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          forward.header(header, value);
        }
      }
      HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] answer = response.body();
      if (batch && response.statusCode() == 200 && !failed.isEmpty()) {
        ObjectNode result = (ObjectNode) JSON.readTree(answer);
        ArrayNode all = result.has("Failed") ? (ArrayNode) result.get("Failed") : result.putArray("Failed");
        all.addAll(failed);
        answer = JSON.writeValueAsBytes(result);
      }
      reply(exchange, response.statusCode(), answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
