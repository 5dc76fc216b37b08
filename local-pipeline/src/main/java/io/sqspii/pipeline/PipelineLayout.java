package io.sqspii.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the local pipeline finds its inputs (the repository's connect-config, the assembled plugin.path,
 * the class path of the Kafka JVMs) and where a run keeps its state and logs. The build passes the paths
 * as system properties ({@code pipeline.*}); the defaults suit a run from the repository root.
 */
final class PipelineLayout {

    private final Path projectDir;
    private final Path pluginsDir;
    private final String childClassPath;
    private final Path runDir;
    private final Path log4jConfig;

    private PipelineLayout(Path projectDir, Path pluginsDir, String childClassPath, Path runDir) {
        this.projectDir = projectDir;
        this.pluginsDir = pluginsDir;
        this.childClassPath = childClassPath;
        this.runDir = runDir;
        this.log4jConfig = runDir.resolve("log4j2.xml");
    }

    /** Reads the {@code pipeline.*} system properties and creates a fresh run directory. */
    static PipelineLayout fromSystemProperties() {
        Path project = Path.of(System.getProperty("pipeline.project.dir", "."))
                .toAbsolutePath()
                .normalize();
        require(
                project.resolve("connect-config/worker.properties"),
                "connect-config/ not found under " + project + " (set -Dpipeline.project.dir to the repository root)");
        Path plugins = Path.of(System.getProperty(
                "pipeline.plugins.dir",
                project.resolve("local-pipeline/target/plugins").toString()));
        require(
                plugins,
                "plugin.path folder " + plugins + " is missing: build with "
                        + "./mvnw -pl local-pipeline -am package -DskipTests");
        String classPath = childClassPath(project);
        try {
            Path runs = project.resolve("local-pipeline/target/runs");
            Files.createDirectories(runs);
            Path run = Files.createTempDirectory(runs, "run-");
            PipelineLayout layout = new PipelineLayout(project, plugins, classPath, run);
            layout.writeLog4jConfig();
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory", e);
        }
    }

    private static String childClassPath(Path project) {
        String file = System.getProperty(
                "pipeline.classpath.file",
                project.resolve("local-pipeline/target/runtime-classpath.txt").toString());
        Path cp = Path.of(file);
        require(cp, "class path file " + cp + " is missing: build with ./mvnw -pl local-pipeline -am package");
        try {
            return Files.readString(cp).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cp, e);
        }
    }

    private static void require(Path path, String message) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(message);
        }
    }

    private void writeLog4jConfig() throws IOException {
        try (InputStream in = PipelineLayout.class.getResourceAsStream("/pipeline-log4j2.xml")) {
            if (in == null) {
                throw new IllegalStateException("pipeline-log4j2.xml is missing from the class path");
            }
            Files.copy(in, log4jConfig, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Path projectDir() {
        return projectDir;
    }

    Path connectConfig() {
        return projectDir.resolve("connect-config");
    }

    /** The dataset definitions: one folder each (datasets/NAME). */
    Path datasetsDir() {
        return projectDir.resolve("datasets");
    }

    Path connectConfig(String relative) {
        return connectConfig().resolve(relative);
    }

    Path pluginsDir() {
        return pluginsDir;
    }

    String childClassPath() {
        return childClassPath;
    }

    Path runDir() {
        return runDir;
    }

    /**
     * The run's counterpart of a worker's /opt/connect/secrets: the only folder its file config provider reads,
     * holding the sinks' database password (jdbc.properties) and nothing else.
     */
    Path secretsDir() {
        Path dir = runDir.resolve("secrets");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Path log4jConfig() {
        return log4jConfig;
    }

    /** The Prometheus JMX exporter java agent, copied by the build ({@code pipeline.jmx.agent} overrides). */
    Path jmxExporterAgent() {
        Path agent = Path.of(System.getProperty(
                "pipeline.jmx.agent",
                projectDir
                        .resolve("local-pipeline/target/jmx-exporter/jmx_prometheus_javaagent.jar")
                        .toString()));
        require(
                agent,
                "the JMX exporter agent " + agent + " is missing: build with "
                        + "./mvnw -pl local-pipeline -am package -DskipTests");
        return agent;
    }

    /** The exporter's rules: the same file the Connect image and the Strimzi recipe use. */
    Path jmxExporterRules() {
        Path rules = projectDir.resolve("deploy/prometheus/connect-jmx-exporter.yml");
        require(rules, "the JMX exporter rules " + rules + " are missing");
        return rules;
    }
}
