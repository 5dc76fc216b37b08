package io.sqspii.connect.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link ConnectorPolicy} to every REST request that submits a connector config: create
 * ({@code POST /connectors}), replace and patch ({@code PUT}/{@code PATCH /connectors/<name>/config}) and
 * validate ({@code PUT /connector-plugins/<type>/config/validate}, which resolves config providers and
 * echoes values). A patch is judged as the config it would produce. Registered after authentication.
 */
final class PolicyFilter implements ContainerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ConnectorPolicy policy;
    private final ConnectClusterState cluster;

    PolicyFilter(ConnectorPolicy policy, ConnectClusterState cluster) {
        this.policy = policy;
        this.cluster = cluster;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        List<String> path = request.getUriInfo().getPathSegments(true).stream()
                .map(PathSegment::getPath)
                .filter(s -> !s.isEmpty())
                .toList();
        String method = request.getMethod();
        Submission submission = Submission.of(method, path);
        if (submission == Submission.NONE) {
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        Optional<Refusal> refusal;
        try {
            refusal = judge(submission, path, JSON.readTree(body));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            refusal = Optional.of(Refusal.badRequest("the connector config is not a JSON object of string values"));
        }
        refusal.ifPresent(r -> {
            LOG.info("connector policy refused {} /{}: {}", method, String.join("/", path), r.reason());
            request.abortWith(response(r));
        });
    }

    private Optional<Refusal> judge(Submission submission, List<String> path, JsonNode body) {
        return switch (submission) {
            case CREATE -> policy.check(strings(body == null ? null : body.get("config")));
            case REPLACE, VALIDATE -> policy.check(strings(body));
            case PATCH -> patched(path.get(1), strings(body)).map(policy::check).orElse(Optional.empty());
            case NONE -> Optional.empty();
        };
    }

    /** The config a PATCH would produce (a null value removes the key); empty when there is no such connector. */
    private Optional<Map<String, String>> patched(String name, Map<String, String> patch) {
        Map<String, String> current;
        try {
            current = cluster.connectorConfig(name);
        } catch (RuntimeException e) {
            return Optional.empty(); // Connect answers 404 itself
        }
        Map<String, String> merged = new HashMap<>(current);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return Optional.of(merged);
    }

    /** Connect reads configs as Map of String: scalars become their text, anything else is refused. */
    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                out.put(e.getKey(), null);
            } else if (value.isValueNode()) {
                out.put(e.getKey(), value.asText());
            } else {
                throw new IllegalArgumentException("not a scalar");
            }
        }
        return out;
    }

    private static Response response(Refusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", refusal.status());
        body.put("message", "connector policy: " + refusal.reason());
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Response.status(refusal.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json)
                .build();
    }

    /** Which REST call a request is, by method and decoded path. */
    enum Submission {
        CREATE,
        REPLACE,
        PATCH,
        VALIDATE,
        NONE;

        static Submission of(String method, List<String> path) {
            if (path.size() == 1 && path.get(0).equals("connectors") && method.equals("POST")) {
                return CREATE;
            }
            if (path.size() == 3
                    && path.get(0).equals("connectors")
                    && path.get(2).equals("config")) {
                return switch (method) {
                    case "PUT" -> REPLACE;
                    case "PATCH" -> PATCH;
                    default -> NONE;
                };
            }
            if (path.size() == 4
                    && path.get(0).equals("connector-plugins")
                    && path.get(2).equals("config")
                    && path.get(3).equals("validate")
                    && method.equals("PUT")) {
                return VALIDATE;
            }
            return NONE;
        }
    }
}
