package io.sqspii.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster with scram-sha-256 password authentication on a free loopback port, one per
 * JVM, started on first use and stopped when the JVM exits. The reveal service refuses a server that lets a
 * random password in, and the usual development server (127.0.0.1:5432, as on CI) trusts loopback, so the
 * tests that start the service, and the local pipeline's --follow on such a server, use this one. Built with
 * the installed initdb/pg_ctl; when run as root, the cluster runs as the postgres OS user.
 */
public final class PasswordCheckingPostgres {

    /** The cluster's superuser. */
    public static final String SUPERUSER = "postgres";

    private static PasswordCheckingPostgres shared;

    private final int port;
    private final String password;

    private PasswordCheckingPostgres(int port, String password) {
        this.port = port;
        this.password = password;
    }

    /**
     * The cluster of this JVM, started on first use (a few seconds). Throws IllegalStateException naming what
     * is missing when the server binaries are not installed or the cluster does not start.
     */
    public static synchronized PasswordCheckingPostgres shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting a password-checking PostgreSQL", e);
            }
        }
        return shared;
    }

    /** Whether {@link #shared()} can start a cluster here: the server binaries are installed. */
    public static boolean available() {
        return binDir() != null;
    }

    /** JDBC URL of the cluster's {@code postgres} database. */
    public String url() {
        return url("postgres");
    }

    /** JDBC URL of a database of the cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String superuser() {
        return SUPERUSER;
    }

    /** The superuser's password (random per JVM; never printed). */
    public String password() {
        return password;
    }

    private static PasswordCheckingPostgres start() throws IOException, InterruptedException {
        Path bin = binDir();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) are not installed (looked in "
                    + "pg_config --bindir and /usr/lib/postgresql/*/bin): cannot start a PostgreSQL that checks "
                    + "passwords. Install the PostgreSQL server package (e.g. apt-get install postgresql)");
        }
        Path dir = Files.createTempDirectory("sqspii-pg-");
        Path data = dir.resolve("data");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres", dir.toString()));
        }
        try {
            run(asServerUser(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    SUPERUSER,
                    "--auth=scram-sha-256",
                    "--pwfile=" + pwfile,
                    "-E",
                    "UTF8",
                    "--no-sync")));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        run(asServerUser(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-w",
                "-l",
                dir.resolve("log").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                "start")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, dir), "password-checking-postgres-stop"));
        return new PasswordCheckingPostgres(port, password);
    }

    private static void stop(Path bin, Path dir) {
        try {
            run(asServerUser(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "stop")));
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

    /** pg_config's bindir if it has initdb, else the newest Debian-layout /usr/lib/postgresql/N/bin. */
    private static Path binDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // no pg_config: fall through to the Debian layout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            return null;
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin"))
                    .filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** initdb and postgres refuse to run as root. */
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
