package io.sqspii.reveal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A plain JDK HTTP client for the service, as the inspector talks to it. */
final class RevealClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;

    RevealClient(URI base) {
        this(
                base,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    RevealClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** The response and its parsed JSON body. */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String error() {
            return body.path("error").asText(null);
        }

        /** The refusal's code (ErrorCode's wire string), null if none. */
        String code() {
            return body.path("code").asText(null);
        }
    }

    static Map<String, String> cell(String table, String rowKey, String column) {
        return Map.of("table", table, "rowKey", rowKey, "column", column);
    }

    /** A value inside a jsonb array cell, e.g. path /2/holder_name. */
    static Map<String, String> cell(String table, String rowKey, String column, String path) {
        return Map.of("table", table, "rowKey", rowKey, "column", column, "path", path);
    }

    Answer reveal(String login, String password, String reason, List<Map<String, String>> cells) {
        return post(login, password, Map.of("purpose", RevealTestDb.PURPOSE, "reason", reason, "cells", cells));
    }

    Answer post(String login, String password, Object body) {
        try {
            return post(login, password, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer post(String login, String password, String json) {
        return post("/v1/reveal", login, password, json);
    }

    /** A POST of {@code body} as JSON to {@code path} (the erasure endpoint, say). */
    Answer post(String path, String login, String password, Object body) {
        try {
            return post(path, login, password, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer post(String path, String login, String password, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (login != null) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.build());
    }

    Answer health() {
        return send(HttpRequest.newBuilder(base.resolve("/health"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
