package io.sqspii.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * The classes of the assembled plugin.path (local-pipeline/target/plugins: our two plugin archives and the
 * Debezium JDBC sink, each in its own class loader as on a worker), and Kafka's own transforms and
 * predicates from this class path: what a recipe's class names and config keys are checked against.
 */
final class PluginClasses implements AutoCloseable {

    private final Map<Path, URLClassLoader> loaders = new LinkedHashMap<>();

    private PluginClasses(Path pluginsDir) {
        try (Stream<Path> folders = Files.list(pluginsDir)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                loaders.put(folder, new URLClassLoader(jarUrls(folder), PluginClasses.class.getClassLoader()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + pluginsDir, e);
        }
        if (loaders.isEmpty()) {
            throw new IllegalStateException(
                    "no plugin folders in " + pluginsDir + ": build with ./mvnw -pl deploy -am package -DskipTests");
        }
    }

    static PluginClasses load(Path projectRoot) {
        return new PluginClasses(Path.of(System.getProperty(
                "pipeline.plugins.dir",
                projectRoot.resolve("local-pipeline/target/plugins").toString())));
    }

    /** The jars of one plugin folder: its lib/ (our archives' layout) or the folder itself (Debezium's). */
    static List<Path> jars(Path folder) {
        Path lib = folder.resolve("lib");
        Path dir = Files.isDirectory(lib) ? lib : folder;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static URL[] jarUrls(Path folder) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars(folder)) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    Map<Path, URLClassLoader> folders() {
        return loaders;
    }

    /** The plugin folder whose own jars hold the class (not one that merely sees it through the parent). */
    Path folderOf(String className) {
        String resource = className.replace('.', '/') + ".class";
        for (Map.Entry<Path, URLClassLoader> e : loaders.entrySet()) {
            if (e.getValue().findResource(resource) != null) {
                return e.getKey();
            }
        }
        return null;
    }

    Class<?> load(String className) throws ClassNotFoundException {
        Path folder = folderOf(className);
        ClassLoader loader = folder != null ? loaders.get(folder) : PluginClasses.class.getClassLoader();
        return Class.forName(className, false, loader);
    }

    ConfigDef connectorConfig(String className) throws ReflectiveOperationException {
        Class<?> c = load(className);
        if (!Connector.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " is not a Kafka Connect connector");
        }
        return inPluginLoader(c, () -> ((Connector) c.getDeclaredConstructor().newInstance()).config());
    }

    /** The values of the public static String constants of a class (a config class's key names). */
    Set<String> stringConstants(String className) throws ReflectiveOperationException {
        Set<String> values = new LinkedHashSet<>();
        for (Field f : load(className).getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                values.add((String) f.get(null));
            }
        }
        return values;
    }

    ConfigDef transformationConfig(String className) throws ReflectiveOperationException {
        Class<?> c = load(className);
        if (!Transformation.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " is not a Kafka Connect transformation");
        }
        return inPluginLoader(
                c, () -> ((Transformation<?>) c.getDeclaredConstructor().newInstance()).config());
    }

    ConfigDef predicateConfig(String className) throws ReflectiveOperationException {
        Class<?> c = load(className);
        if (!Predicate.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " is not a Kafka Connect predicate");
        }
        return inPluginLoader(
                c, () -> ((Predicate<?>) c.getDeclaredConstructor().newInstance()).config());
    }

    private interface Reflective<T> {
        T get() throws ReflectiveOperationException;
    }

    /** As a worker does: the plugin's own loader is the context loader while it runs (ConfigDefs resolve classes). */
    private static <T> T inPluginLoader(Class<?> plugin, Reflective<T> action) throws ReflectiveOperationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() throws IOException {
        for (URLClassLoader loader : loaders.values()) {
            loader.close();
        }
    }
}
