package io.sqspii.pii;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A plugin archive as a worker sees it: its jars, and what a plugin class loader sees besides them. */
public final class PluginArchives {
    private PluginArchives() {}

    /** The archive's jars, copied into {@code into}. */
    public static List<URL> unpackJars(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        List<URL> jars = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e :
                    z.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                Path jar = into.resolve(e.getName().substring(e.getName().lastIndexOf('/') + 1));
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, jar);
                }
                jars.add(jar.toUri().toURL());
            }
        }
        return jars;
    }

    /** What a worker's plugin class loader can see besides the archive: Kafka, SLF4J and the JDK. */
    public static ClassLoader workerSide() {
        ClassLoader app = PluginArchives.class.getClassLoader();
        return new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("org.apache.kafka.") || name.startsWith("org.slf4j.")) {
                    return app.loadClass(name);
                }
                throw new ClassNotFoundException(name);
            }
        };
    }

    /** Every class name and every services-file line ("service &lt;class&gt;") in the jars of an archive. */
    public static List<String> classesAndServices(Path zip, Path scratch) throws Exception {
        List<String> out = new ArrayList<>();
        for (URL url : unpackJars(zip, Files.createTempDirectory(scratch, "scan"))) {
            try (ZipFile jar = new ZipFile(Path.of(url.toURI()).toFile())) {
                for (ZipEntry e : jar.stream().toList()) {
                    if (e.getName().endsWith(".class")) {
                        out.add(e.getName().replace('/', '.'));
                    } else if (e.getName().startsWith("META-INF/services/") && !e.isDirectory()) {
                        String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                        text.lines()
                                .map(String::strip)
                                .filter(l -> !l.isEmpty())
                                .forEach(l -> out.add("service " + l));
                    }
                }
            }
        }
        return out;
    }

    /** The archive's one top folder, with its trailing slash ({@code sqspii-<artifactId>-<version>/}). */
    public static String root(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String first = z.stream().findFirst().orElseThrow().getName();
            return first.substring(0, first.indexOf('/') + 1);
        }
    }

    /** The archive's manifest.json, as text. */
    public static String manifest(Path zip) throws IOException {
        String root = root(zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry entry = z.getEntry(root + "manifest.json");
            if (entry == null) {
                throw new IOException("no " + root + "manifest.json in " + zip);
            }
            return new String(z.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
