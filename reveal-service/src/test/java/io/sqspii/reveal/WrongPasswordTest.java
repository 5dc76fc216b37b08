package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sqspii.reveal.RevealClient.Answer;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication is PostgreSQL's: against a server that checks passwords (a private scram-sha-256 cluster
 * made with the installed initdb/pg_ctl; the shared test server trusts loopback), a wrong password is 401
 * and the right one reveals.
 */
class WrongPasswordTest {
    @TempDir
    Path dir;

    @Test
    void aWrongPasswordIs401AndTheRightOneReveals() throws Exception {
        Path bin = serverBinaries();
        assumeTrue(bin != null, "PostgreSQL server binaries (initdb, pg_ctl) are not installed");
        Path cluster = Files.createTempDirectory("reveal-pg-");
        String superPassword = "super-" + System.nanoTime();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pwfile = cluster.resolve("pw");
        Files.writeString(pwfile, superPassword);
        Path data = cluster.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "postgres", cluster.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=scram-sha-256",
                "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync"), root);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", cluster.resolve("log").toString(),
                "-o", "-p " + port + " -k " + cluster + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), root);
        try (RevealTestDb db = RevealTestDb.on("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", superPassword)) {
            TestKeys keys = TestKeys.generate(dir);
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                RevealClient client = new RevealClient(server.uri());
                Answer wrong = client.reveal(reader, "not-" + RevealTestDb.password(reader), "t",
                        List.of(cell("user_logins", "m-1", "masked_ip")));
                assertThat(wrong.status()).isEqualTo(401);
                assertThat(wrong.raw().headers().firstValue("WWW-Authenticate")).isPresent();
                assertThat(db.auditCount()).isZero();
                Answer right = client.reveal(reader, RevealTestDb.password(reader), "t",
                        List.of(cell("user_logins", "m-1", "masked_ip")));
                assertThat(right.status()).isEqualTo(200);
                assertThat(right.body().get("cells").get(0).get("plaintext").asText()).isEqualTo("10.1.2.3");
            }
        } finally {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), root);
            try (Stream<Path> s = Files.walk(cluster)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path serverBinaries() throws IOException {
        if (!Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            return null;
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** Runs a command (as the postgres OS user when the test runs as root: the server refuses root). */
    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
