package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B5: each socket that sends half a request line holds a request thread while the JDK server waits for the
 * rest. With more such sockets than threads, /health and reveals must still answer (the server closes
 * the half-open sockets after its request timeout), and the attacker's sockets are closed.
 */
class SlowlorisAttackTest {
    @TempDir
    Path dir;

    @Test
    void halfRequestLinesOnMoreSocketsThanThreadsDoNotStopTheService() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db.url)))) {
                List<Socket> slow = new ArrayList<>();
                try {
                    for (int i = 0; i < RevealServer.REQUEST_THREADS + 8; i++) {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                        OutputStream out = s.getOutputStream();
                        out.write((i % 2 == 0 ? "POST /v1/rev" : "GET /health HTTP/1.1\r\nHost: loc").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        slow.add(s);
                    }
                    Thread.sleep(500); // the server has read the first bytes of each

                    // patience: well beyond the server's request timeout, so this does not test speed
                    RevealClient client = new RevealClient(server.uri());
                    assertThat(client.health().status()).isEqualTo(200);
                    RevealClient.Answer reveal = client.reveal(reader, RevealTestDb.password(reader), "t",
                            List.of(cell("user_logins", "m-1", "masked_ip")));
                    assertThat(reveal.status()).isEqualTo(200);

                    for (Socket s : slow) {
                        s.setSoTimeout(60_000);
                        try {
                            int b = s.getInputStream().read();
                            // the server closes without an answer, or answers 408 and closes
                            if (b != -1) {
                                s.getInputStream().readAllBytes();
                            }
                        } catch (SocketTimeoutException e) {
                            throw new AssertionError("a half-open socket was still open after 60 s", e);
                        } catch (IOException reset) {
                            // closed by the server
                        }
                    }
                } finally {
                    for (Socket s : slow) {
                        s.close();
                    }
                }
            }
        }
    }
}
