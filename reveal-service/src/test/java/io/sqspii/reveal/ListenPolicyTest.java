package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.reveal.RevealClient.Answer;
import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTP only on loopback; any other address needs a PKCS12 keystore, and then speaks HTTPS only. */
class ListenPolicyTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackAddressWithoutTls() {
        TestKeys keys = TestKeys.generate(dir);
        for (String host : List.of("0.0.0.0", "::")) {
            Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url());
            p.setProperty("listen.host", host);
            assertThatThrownBy(() -> RevealServer.start(RevealConfig.from(p)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("without TLS")
                    .hasMessageContaining("tls.keystore.file");
        }
    }

    @Test
    void servesHttpsOnANonLoopbackAddressWithAPkcs12Keystore() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        Path store = TestTls.keystore(dir);
        Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url());
        p.setProperty("listen.host", "0.0.0.0");
        p.setProperty("tls.keystore.file", store.toString());
        p.setProperty("tls.keystore.password", TestTls.STORE_PASSWORD);
        try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            URI local = URI.create("https://localhost:" + server.port());
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TestTls.trusting(store))
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            Answer h = new RevealClient(local, https).health();
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.body().get("status").asText()).isEqualTo("UP");

            HttpClient plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            assertThatThrownBy(() -> new RevealClient(URI.create("http://localhost:" + server.port()), plain).health())
                    .as("plain HTTP on the TLS port")
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void aWrongKeystorePasswordStopsTheStart() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url());
        p.setProperty("tls.keystore.file", TestTls.keystore(dir).toString());
        p.setProperty("tls.keystore.password", "not-the-password-77");
        assertThatThrownBy(() -> RevealServer.start(RevealConfig.from(p)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS12")
                .hasMessageNotContaining("not-the-password-77");
    }
}
