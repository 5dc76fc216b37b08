package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B5: the JDK server reads a request (and does the TLS handshake) on a request thread with blocking I/O, so
 * each socket that sends half a request holds a thread while the server waits for the rest. With more such
 * sockets than threads (and than the connection cap), /health and a reveal must still answer (within a
 * patience well beyond the server's timeouts: this is not a speed test), and the server must close the
 * attacker's sockets.
 */
class SlowlorisAttackTest {
    static final int SOCKETS = RevealServer.REQUEST_THREADS + 8;

    @TempDir
    Path dir;

    @Test
    void halfRequestsOnMoreSocketsThanThreadsDoNotStopTheService() throws Exception {
        List<byte[]> halves =
                List.of(
                        ascii("POST /v1/rev"), // half a request line
                        ascii("GET /health HTTP/1.1\r\nHost: loc"), // headers that never end
                        ascii(
                                "POST /v1/reveal HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                        + "Authorization: Basic eDp5\r\nContent-Length: 1000\r\n\r\n{\"reason\":")); // a body that never ends
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                attack(server, halves, new RevealClient(server.uri()), reader);
            }
        }
    }

    @Test
    void oneByteOfATlsHandshakeOnMoreSocketsThanThreadsDoesNotStopTheService() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        Path store = TestTls.keystore(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            Properties p = keys.serviceConfig(db);
            p.setProperty("tls.keystore.file", store.toString());
            p.setProperty("tls.keystore.password", TestTls.STORE_PASSWORD);
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                HttpClient https = HttpClient.newBuilder()
                        .sslContext(TestTls.trusting(store))
                        .connectTimeout(Duration.ofSeconds(60))
                        .build(); // the handshake waits for a free thread
                RevealClient client = new RevealClient(URI.create("https://localhost:" + server.port()), https);
                attack(server, List.of(new byte[] {0x16}), client, reader); // the first byte of a ClientHello record
            }
        }
    }

    private static void attack(RevealServer server, List<byte[]> halves, RevealClient client, String reader)
            throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SOCKETS; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                OutputStream out = s.getOutputStream();
                out.write(halves.get(i % halves.size()));
                out.flush();
                slow.add(s);
            }
            Thread.sleep(500); // the server has taken up each socket

            // more sockets than the connection cap: the server closes new connections at once until its
            // request timeout has closed the attacker's, so a client retries, as browsers and probes do
            assertThat(patiently(client::health).status()).isEqualTo(200);
            RevealClient.Answer reveal = patiently(() -> client.reveal(
                    reader, RevealTestDb.password(reader), "t", List.of(cell("user_logins", "m-1", "masked_ip"))));
            assertThat(reveal.status()).isEqualTo(200);
            assertThat(reveal.body().get("cells").get(0).get("plaintext").asText())
                    .isEqualTo("10.1.2.3");

            for (Socket s : slow) {
                assertClosedByTheServer(s);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** The call's answer, retried on a refused or closed connection for up to 60 s (not a speed test). */
    private static RevealClient.Answer patiently(Supplier<RevealClient.Answer> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.get();
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** The server closes the socket (perhaps after an error answer); the attacker never closes it. */
    private static void assertClosedByTheServer(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // an error answer before the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a half-open socket was still open after 60 s", e);
        } catch (IOException reset) {
            // closed by the server
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
