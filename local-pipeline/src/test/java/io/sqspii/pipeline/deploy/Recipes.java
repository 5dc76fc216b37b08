package io.sqspii.pipeline.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The repository as the deploy recipes see it: its root, connect-config/'s connector configs, pom values. */
final class Recipes {

    static final List<String> CONNECTORS = List.of("sqs-source", "postgres-sink", "rejected-sink");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recipes() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/ not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String text(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** connect-config/&lt;name&gt;.json as committed: what compose and the local pipeline register. */
    static Map<String, String> connectConfig(String name) {
        try {
            return JSON.readValue(root().resolve("connect-config/" + name + ".json").toFile(),
                    new TypeReference<LinkedHashMap<String, String>>() { });
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
     * Where a recipe's connector config departs from connect-config/: a key missing or added, or a value that
     * differs although it is not deployment-specific (an ${env:...} or ${file:...} reference in connect-config/,
     * which a recipe replaces by its own secret or path). Added keys may only be the KMS key of a keyset; clear-text
     * keysets (allowed for the dev keysets of connect-config/) stay refused in a deployment.
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
            } else if (key.endsWith(".keyset.allow.cleartext")) {
                if (!theirs.equals("false")) {
                    drift.add(key + " = " + theirs + ": a deployment loads KMS-encrypted keysets only (false)");
                }
            } else if (isWorkerReference(value)) {
                if (isWorkerReference(theirs)) {
                    drift.add(key + " reads the worker's environment or files (" + theirs
                            + "): this deployment has neither provider");
                }
            } else if (!value.equals(theirs)) {
                drift.add(key + " = " + theirs + ", connect-config has " + value);
            }
        });
        recipe.keySet().stream()
                .filter(k -> !committed.containsKey(k) && !k.endsWith(".keyset.kms.uri")
                        && !k.equals("connector.class") && !k.equals("tasks.max"))
                .forEach(k -> drift.add(k + " is not in connect-config/" + name + ".json"));
        return drift;
    }

    /** A reference to the env or file provider of connect-config/worker.properties. */
    private static boolean isWorkerReference(String value) {
        return value.startsWith("${env:") || value.startsWith("${file:");
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
