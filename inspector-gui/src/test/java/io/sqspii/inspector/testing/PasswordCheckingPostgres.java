package io.sqspii.inspector.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster with scram-sha-256 password authentication, for the one test that
 * needs a server which checks passwords (the shared test server trusts loopback logins). Built with
 * the installed server binaries (initdb, pg_ctl) on a free port; when run as root, the cluster runs as
 * the postgres OS user. {@link #available()} is false when the binaries are not installed.
 */
public final class PasswordCheckingPostgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final Path dir;
    private final Path bin;
    final int port;
    public final String password;

    private PasswordCheckingPostgres(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    static Path binDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException | InterruptedException ignored) {
            // fall through to the Debian layout
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static boolean available() {
        return binDir() != null && (!isRoot() || Files.isExecutable(Path.of("/usr/sbin/runuser")));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static PasswordCheckingPostgres start(String password) throws IOException, InterruptedException {
        Path bin = binDir();
        Path dir = Files.createTempDirectory("inspector-pg-");
        Path data = dir.resolve("data");
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
        run(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start")));
        return new PasswordCheckingPostgres(bin, dir, port, password);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
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
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("command failed: " + cmd.get(isRoot() && cmd.get(0).equals("runuser") ? 4 : 0) + "\n" + out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
