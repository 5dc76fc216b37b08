package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.reveal.RevealClient.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTP only on loopback; any other address needs a PKCS12 keystore, and then speaks HTTPS only. */
class ListenPolicyTest {
    static final String STORE_PASSWORD = "changeit-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackAddressWithoutTls() {
        TestKeys keys = TestKeys.generate(dir);
        for (String host : List.of("0.0.0.0", "::")) {
            Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url);
            p.setProperty("listen.host", host);
            assertThatThrownBy(() -> RevealServer.start(RevealConfig.from(p)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("without TLS")
                    .hasMessageContaining("tls.keystore.file");
        }
    }

    @Test
    void servesHttpsOnANonLoopbackAddressWithAPkcs12Keystore() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        Path store = keystore();
        Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url);
        p.setProperty("listen.host", "0.0.0.0");
        p.setProperty("tls.keystore.file", store.toString());
        p.setProperty("tls.keystore.password", STORE_PASSWORD);
        try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            URI local = URI.create("https://localhost:" + server.port());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(store)).connectTimeout(Duration.ofSeconds(10)).build();
            Answer h = new RevealClient(local, https).health();
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.body().get("status").asText()).isEqualTo("UP");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> new RevealClient(URI.create("http://localhost:" + server.port()), plain).health())
                    .as("plain HTTP on the TLS port").isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void aWrongKeystorePasswordStopsTheStart() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        Properties p = keys.serviceConfig(PasswordCheckingPostgres.shared().url);
        p.setProperty("tls.keystore.file", keystore().toString());
        p.setProperty("tls.keystore.password", "not-the-password-77");
        assertThatThrownBy(() -> RevealServer.start(RevealConfig.from(p))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS12").hasMessageNotContaining("not-the-password-77");
    }

    /** A self-signed server key made with the JDK's keytool, as an operator would. */
    private Path keystore() throws IOException, InterruptedException {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "reveal", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return store;
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
