package io.sqspii.deploy;

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
 * The repository as the deploy recipes see it: its root, the connectors generated from the dataset definitions
 * (connect-config/connectors/, drift-checked against datasets/ by the dataset module), pom values.
 */
final class Recipes {

    private Recipes() {}

    static Path root() {
        return ConnectorRecipes.root(Path.of("").toAbsolutePath());
    }

    static String text(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generated connectors' names (connect-config/connectors/&lt;name&gt;.json), in name order. */
    static List<String> connectors() {
        return List.copyOf(generated().keySet());
    }

    /** The generated source connectors' names. */
    static List<String> sources() {
        return generated().entrySet().stream()
                .filter(e -> e.getValue().get("connector.class").equals(ConnectorRecipes.SOURCE_CLASS))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** connect-config/connectors/&lt;name&gt;.json as committed: what compose and the local pipeline register. */
    static Map<String, String> connectConfig(String name) {
        Map<String, String> config = generated().get(name);
        if (config == null) {
            throw new AssertionError("no connector " + name + " in " + ConnectorRecipes.CONNECTORS);
        }
        return new LinkedHashMap<>(config);
    }

    /** What the generator reads, by connector name. */
    static Map<String, Map<String, String>> generated() {
        try {
            return ConnectorRecipes.read(root().resolve(ConnectorRecipes.CONNECTORS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(text("pom.xml"));
        if (!m.find()) {
            throw new AssertionError("pom.xml has no property " + name);
        }
        return m.group(1).trim();
    }

    /**
     * Where a recipe's connector config departs from the generated one: a key missing or added, or a value that
     * differs although it is not deployment-specific (one holding an ${env:...} or ${file:...} reference, which a
     * recipe replaces by its own secret or path; the rest of the value must stay, e.g. the queue name after
     * ${env:SQS_QUEUE_URL_BASE}). Added keys may only be the KMS key of a keyset; clear-text keysets (allowed for
     * the dev keysets) stay refused in a deployment.
     */
    static List<String> driftFromConnectConfig(String name, Map<String, String> recipe) {
        Map<String, String> committed = connectConfig(name);
        List<String> drift = new ArrayList<>();
        committed.forEach((key, value) -> {
            if (key.equals("connector.class") || key.equals("tasks.max")) {
                return; // carried as class/tasksMax by Strimzi; compared by the caller
            }
            String theirs = recipe.get(key);
            if (theirs == null) {
                drift.add(key + " is missing");
            } else if (key.endsWith(Target.KEYSET_ALLOW_CLEARTEXT)) {
                if (!theirs.equals("false")) {
                    drift.add(key + " = " + theirs + ": a deployment loads KMS-encrypted keysets only (false)");
                }
            } else if (Target.WORKER_REFERENCE.matcher(value).find()) {
                if (Target.WORKER_REFERENCE.matcher(theirs).find()) {
                    drift.add(key + " reads the worker's environment or files (" + theirs
                            + "): this deployment has neither provider");
                } else if (!Pattern.compile(Target.WORKER_REFERENCE
                                .splitAsStream(value)
                                .map(Pattern::quote)
                                .collect(
                                        java.util.stream.Collectors.joining(".+", "", value.endsWith("}") ? ".+" : "")))
                        .matcher(theirs)
                        .matches()) {
                    drift.add(key + " = " + theirs + ": only the references of " + value + " may change");
                }
            } else if (!value.equals(theirs)) {
                drift.add(key + " = " + theirs + ", connect-config has " + value);
            }
        });
        recipe.keySet().stream()
                .filter(k -> !committed.containsKey(k)
                        && !k.endsWith(Target.KEYSET_KMS_URI)
                        && !k.equals("connector.class")
                        && !k.equals("tasks.max"))
                .forEach(k -> drift.add(k + " is not in connect-config/connectors/" + name + ".json"));
        return drift;
    }

    /** The config provider names a config's values reference: ${name:...}. */
    static List<String> providersReferenced(Map<String, String> config) {
        Pattern ref = Pattern.compile("\\$\\{([a-z0-9]+):");
        List<String> providers = new ArrayList<>();
        for (String value : config.values()) {
            Matcher m = ref.matcher(value);
            while (m.find()) {
                if (!providers.contains(m.group(1))) {
                    providers.add(m.group(1));
                }
            }
        }
        return providers;
    }
}
