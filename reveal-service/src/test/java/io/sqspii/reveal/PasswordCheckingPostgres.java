package io.sqspii.reveal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster with scram-sha-256 password authentication on a free loopback port, one per
 * test JVM (stopped when the JVM exits). The service refuses a server that lets a random password in, and
 * the shared test server at 127.0.0.1:5432 trusts loopback, so every test that starts the service uses
 * this one. Built with the installed initdb/pg_ctl; when run as root, the cluster runs as the postgres OS user.
 */
final class PasswordCheckingPostgres {
    static final String SUPERUSER = "postgres";

    private static PasswordCheckingPostgres shared;

    final String url;
    final String password;

    private PasswordCheckingPostgres(String url, String password) {
        this.url = url;
        this.password = password;
    }

    /** The cluster of this JVM, started on first use. */
    static synchronized PasswordCheckingPostgres shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private static PasswordCheckingPostgres start() throws IOException, InterruptedException {
        Path bin = binDir();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                    + "the reveal-service tests need a server that checks passwords");
        }
        Path dir = Files.createTempDirectory("reveal-pg-");
        Path data = dir.resolve("data");
        String password = "super-" + UUID.randomUUID();
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres", dir.toString()));
        }
        run(asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync")));
        run(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l",
                dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, dir), "reveal-test-pg-stop"));
        return new PasswordCheckingPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres", password);
    }

    private static void stop(Path bin, Path dir) {
        try {
            run(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "stop")));
        } catch (IOException | InterruptedException e) {
            // the JVM is exiting; the temp directory stays behind
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static Path binDir() throws IOException {
        if (!Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            return null;
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServerUser(List<String> cmd) {
        if (!isRoot()) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(cmd);
        return out;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("command failed: " + String.join(" ", cmd) + "\n" + out);
        }
    }
}
