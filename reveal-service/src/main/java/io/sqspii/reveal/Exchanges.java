package io.sqspii.reveal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.ErrorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Reading bounded request bodies and writing JSON answers that no cache keeps. */
final class Exchanges {
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Exchanges() {}

    /**
     * Refuses a POST whose body is not declared JSON: a text/plain or form POST is a "simple" cross-site request a
     * web page may send with cached credentials; an application/json one needs a CORS preflight, which gets 405.
     */
    static void requireJson(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!type.equalsIgnoreCase("application/json")) {
            throw new ApiException(ErrorCode.NOT_JSON, "send the request body as Content-Type: application/json");
        }
    }

    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiException(ErrorCode.TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        json(exchange, status, body, Map.of());
    }

    static void json(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void error(HttpExchange exchange, ApiException e) throws IOException {
        json(exchange, e.status(), ErrorResponse.of(e.code(), e.getMessage()), e.headers());
    }
}
