package io.sqspii.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka process (broker or Connect worker) in its own JVM, as in production: killing it is a real
 * crash, and its log goes to its own file. Output of the JVM itself goes to {@code <log>.out}.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * JVM options for every child JVM, space-separated, before the child's own. The end-to-end tests set
     * {@code -XX:TieredStopAtLevel=1}: their brokers and workers live a minute or two on two shared cores, where
     * C2's compilations cost more CPU than they win back. The run and the bench leave it unset.
     */
    static final String OPTIONS_PROPERTY = "pipeline.child.jvm.options";

    static ChildJvm start(
            String name,
            PipelineLayout layout,
            List<String> jvmOptions,
            String mainClass,
            List<String> args,
            Map<String, String> environment,
            Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options(System.getProperty(OPTIONS_PROPERTY)));
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + layout.log4jConfig());
        command.add("-Dpipeline.log.file=" + logFile);
        command.add("-cp");
        command.add(layout.childClassPath());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        Path.of(logFile + ".out").toFile()));
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " JVM", e);
        }
    }

    /** JVM options given space-separated (a system property, an environment variable); none for null or blank. */
    static List<String> options(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.isBlank()
                ? List.of()
                : List.of(spaceSeparated.trim().split("\\s+"));
    }

    /** Runs a short-lived tool JVM to completion; a non-zero exit fails with the tool's output file named. */
    static void runToCompletion(String name, PipelineLayout layout, String mainClass, List<String> args, Path logFile) {
        ChildJvm tool = start(name, layout, List.of("-Xmx256m"), mainClass, args, Map.of(), logFile);
        try {
            if (!tool.process.waitFor(2, TimeUnit.MINUTES)) {
                tool.kill();
                throw new IllegalStateException(name + " did not finish within 2 minutes; see " + logFile + ".out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.kill();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
        if (tool.process.exitValue() != 0) {
            throw new IllegalStateException(
                    name + " failed with exit code " + tool.process.exitValue() + "; see " + logFile + ".out");
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** Fails if the process has died, naming its log, so a caller waiting on it stops at once. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + name + " JVM exited with code " + process.exitValue() + "; see "
                    + logFile + " and " + logFile + ".out");
        }
    }

    /** Peak resident set size so far (Linux VmHWM), if the platform reports it. */
    Optional<Long> peakRssBytes() {
        return ProcessMemory.peakRssBytes(process.pid());
    }

    /** SIGKILL: no shutdown hooks, no flush, no clean leave of the group — a crash. */
    void kill() {
        process.destroyForcibly();
        awaitExit(30);
    }

    /** SIGTERM: Kafka's own shutdown hooks stop it cleanly; SIGKILL if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(60)) {
            kill();
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
