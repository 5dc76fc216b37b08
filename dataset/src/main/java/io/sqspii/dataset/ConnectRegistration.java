package io.sqspii.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sqspii.dataset.Datasets.RegistrationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates or updates a dataset's connectors through Kafka Connect's REST API, after apply has committed the tables and
 * the catalog (the worker's connector policy reads the catalog). Idempotent: a connector whose config already is
 * the generated one is left alone (no restart). An operator's {@code tasks.max} on a running connector is kept.
 * Errors name the connector and Connect's status and message, which name keys, never values.
 */
final class ConnectRegistration {

    /** What was done to one connector. */
    enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED,
        WOULD_CREATE,
        WOULD_UPDATE
    }

    record Result(String connector, Outcome outcome) {
        @Override
        public String toString() {
            return connector + ": "
                    + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** Keys an operator tunes on a running connector, which a re-apply keeps. */
    static final List<String> KEPT = List.of("tasks.max");

    private final URI base;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** {@code credentials}: "user:password" of the worker's REST basic auth, or null for none. */
    ConnectRegistration(URI base, String credentials) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.authorization = credentials == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code connectors} in {@link DatasetConnectors} order, the source first. A first apply keeps that order: the
     * source's topic.creation settings make the topics before a sink's consumer could auto-create them. A change to a
     * running dataset updates the sinks before the source, so that no record of the new shape reaches a sink that
     * does not know it yet.
     */
    List<Result> register(Map<String, Map<String, String>> connectors, boolean dryRun) throws RegistrationException {
        Map<String, Optional<Map<String, String>>> running = new LinkedHashMap<>();
        for (String name : connectors.keySet()) {
            running.put(name, running(name));
        }
        List<String> order = new ArrayList<>(connectors.keySet());
        if (!order.isEmpty() && running.get(order.get(0)).isPresent()) {
            order.add(order.remove(0));
        }
        List<Result> out = new ArrayList<>();
        for (String name : order) {
            out.add(register(name, connectors.get(name), running.get(name), dryRun));
        }
        return out;
    }

    /** The connector's config as Connect runs it (without its name); empty if there is no such connector. */
    private Optional<Map<String, String>> running(String name) throws RegistrationException {
        HttpResponse<String> current =
                send(name, request("connectors/" + name + "/config").GET());
        if (current.statusCode() == 404) {
            return Optional.empty();
        }
        if (current.statusCode() != 200) {
            throw failure(name, "read", current);
        }
        Map<String, String> config = parse(name, current.body());
        config.remove("name");
        return Optional.of(config);
    }

    private Result register(
            String name, Map<String, String> wanted, Optional<Map<String, String>> running, boolean dryRun)
            throws RegistrationException {
        Map<String, String> config = new LinkedHashMap<>(wanted);
        boolean exists = running.isPresent();
        if (exists) {
            for (String k : KEPT) {
                if (running.get().containsKey(k)) {
                    config.put(k, running.get().get(k));
                }
            }
            if (running.get().equals(config)) {
                return new Result(name, Outcome.UNCHANGED);
            }
        }
        if (dryRun) {
            return new Result(name, exists ? Outcome.WOULD_UPDATE : Outcome.WOULD_CREATE);
        }
        HttpResponse<String> put = send(
                name,
                request("connectors/" + name + "/config")
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(Json.pretty(config))));
        if (put.statusCode() != 200 && put.statusCode() != 201) {
            throw failure(name, "register", put);
        }
        return new Result(name, exists ? Outcome.UPDATED : Outcome.CREATED);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private HttpResponse<String> send(String name, HttpRequest.Builder request) throws RegistrationException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistrationException("connector " + name + ": Connect REST at " + base + " is unreachable ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationException("connector " + name + ": interrupted");
        }
    }

    private static Map<String, String> parse(String name, String body) throws RegistrationException {
        try {
            return Definition.JSON.readValue(body, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (IOException e) {
            throw new RegistrationException(
                    "connector " + name + ": Connect REST answered with something that is " + "not a connector config");
        }
    }

    private static RegistrationException failure(String name, String what, HttpResponse<String> r) {
        String message = "";
        try {
            message = Definition.JSON.readTree(r.body()).path("message").asText("");
        } catch (IOException e) {
            // not JSON: the status says enough
        }
        return new RegistrationException("connector " + name + ": cannot " + what + " it: HTTP " + r.statusCode()
                + (message.isEmpty() ? "" : " " + message));
    }
}
