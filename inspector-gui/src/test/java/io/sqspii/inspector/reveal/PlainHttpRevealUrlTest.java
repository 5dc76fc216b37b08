package io.sqspii.inspector.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.TableSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Review finding B12 (reveal URL): every reveal request carries the analyst's PostgreSQL password as
 * preemptive Basic credentials, so over plain http it would cross the network in clear before any server
 * could refuse. Plain http is allowed to loopback addresses only, decided from the URL alone (no name is
 * resolved), before a client exists that could send anything.
 */
class PlainHttpRevealUrlTest {

    @Test
    void basicCredentialsAreNeverSentOverPlainHttpOffThisMachine() {
        // TEST-NET-1, a LAN address, IPv6 documentation space, names (even one that resolves to loopback
        // elsewhere), and the unspecified address: none is loopback by its literal
        for (String url : List.of(
                "http://192.0.2.1:8089",
                "http://10.1.2.3:8089",
                "http://[2001:db8::1]:8089",
                "http://reveal.example.com:8089",
                "http://127.0.0.1.nip.io:8089",
                "http://localhost.example:8089",
                "http://0.0.0.0:8089",
                "http://[::ffff:192.0.2.1]:8089",
                "HTTP://192.0.2.1:8089/")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> new RevealClient(url, "alice", "secret".toCharArray()))
                    .as(url)
                    .isInstanceOf(InspectorException.class)
                    .hasMessageContaining("https://")
                    .hasMessageContaining("loopback")
                    .hasMessageNotContaining("secret");
            // refused by the URL check, not by a connect timeout (5 s): nothing was sent anywhere
            assertThat(System.nanoTime() - start).as(url).isLessThan(1_000_000_000L);
        }
        // what is not a host at all is refused as before
        for (String url : List.of("http://300.0.0.1:8089", "http://127.0.0.256:8089")) {
            assertThatThrownBy(() -> RevealClient.parseBase(url)).as(url).isInstanceOf(InspectorException.class);
        }
    }

    @Test
    void plainHttpToLoopbackStillWorksAgainstARealServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> authorizations = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"status\":\"ok\",\"keysets\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (String url :
                    List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://LocalHost:" + port + "/")) {
                try (RevealClient client = new RevealClient(url, "alice", "pw".toCharArray())) {
                    assertThat(client.health()).as(url).isEqualTo("ok");
                    assertThatThrownBy(() -> client.reveal(
                                    List.of(new RevealClient.Cell(TableSpec.AUDIT, "m-1", "reason")), "tests", "t"))
                            .isInstanceOf(InspectorException.class);
                }
            }
            assertThat(authorizations)
                    .contains("Basic " + java.util.Base64.getEncoder().encodeToString("alice:pw".getBytes()));
        } finally {
            server.stop(0);
        }
        // the rest of 127.0.0.0/8 and ::1 are loopback too; https is fine anywhere
        for (String url : List.of(
                "http://127.0.0.2:8089",
                "http://[::1]:8089",
                "http://[0:0:0:0:0:0:0:1]:8089",
                "http://[::ffff:127.0.0.1]:8089",
                "https://reveal.example.com:8089",
                "https://192.0.2.1:8089")) {
            assertThat(RevealClient.parseBase(url).getHost()).as(url).isNotNull();
        }
    }
}
