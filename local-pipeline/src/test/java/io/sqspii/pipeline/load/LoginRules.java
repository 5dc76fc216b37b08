package io.sqspii.pipeline.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tests' own reading of the input contract, with the declared schema read from
 * datasets/user_logins/event.schema.json: why a body must be rejected, or null when it is a valid login.
 */
final class LoginRules {

    static final Path PROJECT = projectDir();

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** Property name → allowed JSON types, and the required names, as the schema file declares them. */
    private static final Map<String, Set<String>> TYPES = new LinkedHashMap<>();

    private static final Set<String> REQUIRED = new LinkedHashSet<>(); // schema order: user_id first

    static {
        try {
            JsonNode schema = new ObjectMapper()
                    .readTree(PROJECT.resolve("datasets/user_logins/event.schema.json")
                            .toFile());
            schema.get("properties").properties().forEach(p -> {
                Set<String> types = new TreeSet<>();
                JsonNode type = p.getValue().get("type");
                if (type.isArray()) {
                    type.forEach(t -> types.add(t.asText()));
                } else {
                    types.add(type.asText());
                }
                TYPES.put(p.getKey(), types);
            });
            schema.get("required").forEach(r -> REQUIRED.add(r.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LoginRules() {}

    static Set<String> required() {
        return REQUIRED;
    }

    /** Null for a valid login, else a short reason: unparseable, duplicate-key, too-deep, not-object, ... */
    static String rejection(String body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (StreamConstraintsException e) {
            return "too-deep";
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).contains("Duplicate field") ? "duplicate-key" : "unparseable";
        }
        if (root == null || !root.isObject()) {
            return "not-object";
        }
        for (String name : REQUIRED) {
            if (!root.has(name)) {
                return "missing:" + name;
            }
        }
        for (Map.Entry<String, Set<String>> p : TYPES.entrySet()) {
            JsonNode v = root.get(p.getKey());
            if (v == null) {
                continue;
            }
            String type = v.isTextual()
                    ? "string"
                    : v.isNull() ? "null" : v.getNodeType().name().toLowerCase(Locale.ROOT);
            if (!p.getValue().contains(type)) {
                return "type:" + p.getKey();
            }
            if (v.isTextual() && v.textValue().indexOf('\0') >= 0) {
                return "nul:" + p.getKey();
            }
        }
        return null;
    }

    static JsonNode parse(String validBody) {
        try {
            return STRICT.readTree(validBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path projectDir() {
        String configured = System.getProperty("pipeline.project.dir");
        Path dir = Path.of(configured != null ? configured : "").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("connect-config"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no connect-config folder above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
