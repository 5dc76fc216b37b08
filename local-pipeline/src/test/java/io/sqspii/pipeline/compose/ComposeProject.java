package io.sqspii.pipeline.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checked-in docker compose project read as data: the compose file, connector JSON, pom values. */
final class ComposeProject {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    final Path root;
    final JsonNode compose;

    private ComposeProject(Path root) {
        this.root = root;
        this.compose = read(YAML, root.resolve("docker-compose.yml"));
    }

    /** Finds the repository root from the module directory the tests run in. */
    static ComposeProject load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docker-compose.yml not found above " + Path.of("").toAbsolutePath());
        }
        return new ComposeProject(dir);
    }

    JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** A service's environment as a map, whichever of the two compose syntaxes it uses. */
    Map<String, String> environment(String serviceName) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(serviceName).path("environment");
        if (node.isArray()) {
            node.forEach(entry -> {
                String[] kv = entry.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    JsonNode connectorJson(String fileName) {
        return read(JSON, root.resolve("connect-config").resolve(fileName));
    }

    String text(String relativePath) {
        try {
            return Files.readString(root.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A property of the parent pom, e.g. kafka.version. */
    String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(text("pom.xml"));
        if (!m.find()) {
            throw new AssertionError("pom.xml has no property " + name);
        }
        return m.group(1).trim();
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }
}
