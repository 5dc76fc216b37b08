package io.sqspii.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sqspii.dataset.DatasetConnectors;
import io.sqspii.dataset.Datasets;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.DefinitionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked-in docker compose project read as data: the compose file, the dataset definitions it serves and the
 * connectors generated from them (what its datasets service registers), pom values.
 */
final class ComposeProject {

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
            throw new IllegalStateException(
                    "docker-compose.yml not found above " + Path.of("").toAbsolutePath());
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

    /** The definitions of datasets/, in name order: what the keys, datasets and loader services read. */
    List<Definition> definitions() {
        List<Definition> out = new ArrayList<>();
        try {
            for (Path folder : Datasets.folders(List.of(root.resolve("datasets")))) {
                out.add(Definition.load(folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DefinitionException e) {
            throw new AssertionError("a definition of datasets/ is invalid: " + e.problems(), e);
        }
        if (out.isEmpty()) {
            throw new AssertionError("no definition in " + root.resolve("datasets"));
        }
        return out;
    }

    /** Every connector `dataset apply datasets` registers, by name, as generated (source first per dataset). */
    Map<String, Map<String, String>> connectors() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Definition d : definitions()) {
            try {
                out.putAll(DatasetConnectors.of(d));
            } catch (DefinitionException e) {
                throw new AssertionError(d.name() + ": " + e.problems(), e);
            }
        }
        return out;
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
