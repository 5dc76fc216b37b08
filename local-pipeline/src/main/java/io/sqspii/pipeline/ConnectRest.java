package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka Connect REST API, as a user drives it: plugins, validate, PUT config, status. Every request
 * carries the worker's basic-auth credentials.
 */
final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final ChildJvm worker;
    private final RestCredentials credentials;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConnectRest(String baseUrl, ChildJvm worker, RestCredentials credentials) {
        this.baseUrl = baseUrl;
        this.worker = worker;
        this.credentials = credentials;
    }

    /** What a REST client in another process needs to reach this worker (see {@link RestCredentials}). */
    Map<String, String> scriptEnvironment() {
        return credentials.scriptEnvironment(baseUrl);
    }

    /** "user:password" of the worker's REST basic auth, as {@code dataset apply --connect-url} sends it. */
    String basicCredentials() {
        return credentials.userAndPassword();
    }

    String baseUrl() {
        return baseUrl;
    }

    int port() {
        return URI.create(baseUrl).getPort();
    }

    void awaitPlugins(Collection<String> classes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            worker.checkAlive();
            try {
                HttpResponse<String> r =
                        send(HttpRequest.newBuilder(uri("/connector-plugins")).GET());
                if (r.statusCode() == 401) {
                    throw new IllegalStateException(
                            "the Connect worker refused the run's REST credentials; see " + worker.logFile());
                }
                if (r.statusCode() == 200) {
                    Set<String> listed = new HashSet<>();
                    for (JsonNode plugin : JSON.readTree(r.body())) {
                        listed.add(plugin.get("class").asText());
                    }
                    if (listed.containsAll(classes)) {
                        return;
                    }
                    List<String> missing = new ArrayList<>(classes);
                    missing.removeAll(listed);
                    throw new IllegalStateException("the Connect worker does not list " + missing
                            + ": is plugin.path complete? see " + worker.logFile());
                }
            } catch (java.io.UncheckedIOException | IOException e) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "Connect REST did not answer within " + timeout + "; see " + worker.logFile());
            }
            sleep(250);
        }
    }

    /** PUT /connectors/{name}/config: creates or updates. Connect's error message is in the exception. */
    void putConnectorConfig(String name, Map<String, String> config) {
        HttpResponse<String> r = sendJson("PUT", "/connectors/" + encode(name) + "/config", config);
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException(
                    "Connect refused the config of " + name + " (HTTP " + r.statusCode() + "): " + r.body());
        }
    }

    /** PUT /connector-plugins/{class}/config/validate: the error messages per key, empty when valid. */
    Map<String, List<String>> validate(String name, Map<String, String> config) {
        Map<String, String> named = new java.util.LinkedHashMap<>(config);
        named.put("name", name);
        String connectorClass = config.get("connector.class");
        HttpResponse<String> r =
                sendJson("PUT", "/connector-plugins/" + encode(connectorClass) + "/config/validate", named);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("validate failed (HTTP " + r.statusCode() + "): " + r.body());
        }
        Map<String, List<String>> errors = new java.util.TreeMap<>();
        try {
            for (JsonNode c : JSON.readTree(r.body()).get("configs")) {
                JsonNode value = c.get("value");
                List<String> messages = new ArrayList<>();
                value.get("errors").forEach(e -> messages.add(e.asText()));
                if (!messages.isEmpty()) {
                    errors.put(value.get("name").asText(), messages);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable validate response", e);
        }
        return errors;
    }

    /** GET /connectors/{name}/status, or null when the connector does not exist (yet). */
    JsonNode status(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + encode(name) + "/status"))
                .GET());
        if (r.statusCode() == 404) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable status of " + name, e);
        }
    }

    /**
     * POST /connectors/{name}/restart?includeTasks=true&onlyFailed=true: restarts the connector and those of its
     * tasks that are FAILED, nothing else.
     */
    void restartFailed(String name) {
        restart(name, true);
    }

    /**
     * POST /connectors/{name}/restart?includeTasks=true&onlyFailed=…: new connector and task instances (which,
     * for instance, read their keyset files again); with {@code onlyFailed} only those that are FAILED.
     */
    void restart(String name, boolean onlyFailed) {
        String path = "/connectors/" + encode(name) + "/restart?includeTasks=true&onlyFailed=" + onlyFailed;
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202 && r.statusCode() != 204) {
            throw new IllegalStateException("POST " + path + " refused (HTTP " + r.statusCode() + ")");
        }
    }

    /** GET /connectors/{name}/tasks: the config each task was started with, in task order. */
    List<Map<String, String>> taskConfigs(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + encode(name) + "/tasks"))
                .GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET tasks of " + name + " refused (HTTP " + r.statusCode() + "): " + r.body());
        }
        List<Map<String, String>> configs = new ArrayList<>();
        try {
            for (JsonNode task : JSON.readTree(r.body())) {
                Map<String, String> config = new java.util.LinkedHashMap<>();
                task.path("config")
                        .properties()
                        .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
                configs.add(config);
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable task configs of " + name, e);
        }
        return configs;
    }

    /** PUT /connectors/{name}/pause or /resume: Connect stops or restarts calling the tasks, asynchronously. */
    void pause(String name, boolean pause) {
        String path = "/connectors/" + encode(name) + (pause ? "/pause" : "/resume");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("PUT " + path + " refused (HTTP " + r.statusCode() + "): " + r.body());
        }
    }

    /**
     * PUT /connectors/{name}/stop: the connector and all its tasks shut down and its task configs are dropped, so
     * the next resume starts tasks from the connector's current config only.
     */
    void stop(String name) {
        String path = "/connectors/" + encode(name) + "/stop";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202 && r.statusCode() != 204) {
            throw new IllegalStateException("PUT " + path + " refused (HTTP " + r.statusCode() + "): " + r.body());
        }
    }

    /** Waits until the connector and {@code tasks} tasks are RUNNING; a FAILED one stops the wait with its trace. */
    void awaitRunning(String name, int tasks, Duration timeout) {
        awaitState(name, tasks, "RUNNING", timeout);
    }

    /** Waits until the connector and {@code tasks} tasks are in {@code state}; a FAILED one stops the wait. */
    void awaitState(String name, int tasks, String state, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no status";
        while (Instant.now().isBefore(deadline)) {
            worker.checkAlive();
            JsonNode status = status(name);
            if (status != null && status.has("connector")) {
                last = status.toString();
                if ("FAILED".equals(status.at("/connector/state").asText())) {
                    throw new IllegalStateException(
                            name + " failed: " + status.at("/connector/trace").asText());
                }
                int inState = 0;
                for (JsonNode task : status.get("tasks")) {
                    if ("FAILED".equals(task.get("state").asText())) {
                        throw new IllegalStateException(name + " task " + task.get("id") + " failed: "
                                + task.get("trace").asText());
                    }
                    if (state.equals(task.get("state").asText())) {
                        inState++;
                    }
                }
                if (state.equals(status.at("/connector/state").asText()) && inState == tasks) {
                    return;
                }
            }
            sleep(200);
        }
        throw new IllegalStateException(
                name + " not " + state + " with " + tasks + " tasks within " + timeout + ": " + last);
    }

    private HttpResponse<String> sendJson(String method, String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + method + " " + path, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.timeout(Duration.ofSeconds(60))
                            .header("Authorization", credentials.authorizationHeader())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
