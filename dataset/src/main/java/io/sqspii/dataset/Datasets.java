package io.sqspii.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The module's entry points for other programs (the local pipeline, tests): finding definition folders, applying one
 * to a database, comparing generated connector configs with the files that ship them.
 */
public final class Datasets {

    private Datasets() {}

    /** Why an apply did nothing: the plan was refused (each reason names the property and what to do). */
    public static final class RefusedException extends Exception {
        RefusedException(String plan) {
            super(plan);
        }
    }

    /**
     * Applies the definition in {@code folder} as {@code dataset apply} does (one transaction, idempotent) over
     * {@code c}, a superuser's connection to a database where schema.sql and roles.sql ran; returns the printed plan.
     */
    public static String apply(java.sql.Connection c, Path folder)
            throws DefinitionException, java.sql.SQLException, RefusedException {
        Plan plan = Apply.run(c, Definition.load(folder), false);
        if (plan.refused()) {
            throw new RefusedException(plan.render());
        }
        return plan.render();
    }

    /**
     * Creates or updates {@code connectors} through the Kafka Connect REST API at {@code connectUrl} as
     * {@code dataset apply --connect-url} does (unchanged ones left alone, an operator's tasks.max kept, on a change
     * the sinks before the source); {@code credentials} is "user:password" of the worker's REST basic auth or null.
     * Returns one line per connector: its name and what was done.
     */
    public static List<String> register(
            java.net.URI connectUrl, String credentials, Map<String, Map<String, String>> connectors)
            throws RegistrationException {
        return new ConnectRegistration(connectUrl, credentials)
                .register(connectors, false).stream().map(Object::toString).toList();
    }

    /** Connect REST refused or could not be reached; connectors after the failing one were not registered. */
    public static final class RegistrationException extends Exception {
        RegistrationException(String message) {
            super(message);
        }
    }

    /**
     * Each path that holds a dataset.json is a dataset folder; any other folder is searched one level down
     * (datasets/ → datasets/orders, datasets/user_logins), in name order.
     */
    public static List<Path> folders(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p.resolve(Definition.DATASET_FILE))) {
                out.add(p);
                continue;
            }
            try (Stream<Path> children = Files.list(p)) {
                children.filter(c -> Files.isRegularFile(c.resolve(Definition.DATASET_FILE)))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** What differs between the configs and the {@code <connector>.json} files in {@code dir}; empty if nothing. */
    static List<String> drift(Map<String, Map<String, String>> connectors, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        TreeSet<String> files = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".json"))
                        .forEach(files::add);
            }
        }
        for (Map.Entry<String, Map<String, String>> e : connectors.entrySet()) {
            String name = e.getKey() + ".json";
            Path f = dir.resolve(name);
            if (!files.remove(name)) {
                out.add(f + " is missing");
            } else if (!Files.readString(f).equals(Json.pretty(e.getValue()) + "\n")) {
                out.add(f + " differs from what the definition gives");
            }
        }
        files.forEach(n -> out.add(dir.resolve(n) + " belongs to no dataset"));
        if (!out.isEmpty()) {
            out.add("regenerate: java -jar dataset/target/dataset.jar connectors datasets --out " + dir);
        }
        return out;
    }
}
