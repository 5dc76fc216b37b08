package io.sqspii.testsupport.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local endpoint speaking the AWS KMS JSON protocol (X-Amz-Target TrentService.Encrypt/Decrypt,
 * application/x-amz-json-1.1) for one symmetric key, doing real AES-GCM with a random test key. The
 * encryption context and key ARN are bound as GCM associated data, as KMS binds them. While one runs, the AWS SDK
 * of this JVM signs its calls with fixed test credentials (system properties, which its default chain reads first).
 */
public final class LocalKms implements AutoCloseable {
    public record Call(String target, String authorization, Map<String, String> context) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final String keyArn;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private boolean serving = true;
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    private LocalKms(String keyArn) throws IOException {
        this.keyArn = keyArn;
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "AES");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server for the one key {@code keyArn} on a free loopback port; the test credentials are set until close. */
    public static LocalKms start(String keyArn) {
        try {
            LocalKms kms = new LocalKms(keyArn);
            // the server checks nothing but their presence: the SDK refuses to call without credentials
            System.setProperty("aws.accessKeyId", "AKIDTEST");
            System.setProperty("aws.secretAccessKey", "test-secret");
            return kms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server for each test of a class, as a JUnit extension:
     * {@code @RegisterExtension final LocalKms.PerTest kms = LocalKms.perTest(ARN);}.
     */
    public static PerTest perTest(String keyArn) {
        return new PerTest(keyArn);
    }

    /** The {@link LocalKms} of the running test, started before it and closed after it. */
    public static final class PerTest implements BeforeEachCallback, AfterEachCallback {
        private final String keyArn;
        private LocalKms kms;

        private PerTest(String keyArn) {
            this.keyArn = keyArn;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            kms = start(keyArn);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            kms.close();
        }

        public URI endpoint() {
            return kms.endpoint();
        }

        public List<Call> calls() {
            return kms.calls;
        }

        /** See {@link LocalKms#stopServing()}. */
        public void stopServing() {
            kms.stopServing();
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode req = JSON.readTree(ex.getRequestBody());
            Map<String, String> ctx = new TreeMap<>();
            if (req.has("EncryptionContext")) {
                req.get("EncryptionContext")
                        .properties()
                        .forEach(e -> ctx.put(e.getKey(), e.getValue().asText()));
            }
            calls.add(new Call(target, ex.getRequestHeaders().getFirst("Authorization"), ctx));
            String keyId = req.path("KeyId").asText(null);
            if (keyId != null && !keyId.equals(keyArn)) {
                error(ex, 400, "NotFoundException", "Key does not exist");
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            byte[] aad = (keyArn + "|" + ctx).getBytes(StandardCharsets.UTF_8);
            if ("TrentService.Encrypt".equals(target)) {
                byte[] pt = Base64.getDecoder().decode(req.get("Plaintext").asText());
                byte[] nonce = new byte[12];
                random.nextBytes(nonce);
                byte[] ct = gcm(Cipher.ENCRYPT_MODE, nonce, aad, pt);
                out.put(
                        "CiphertextBlob",
                        Base64.getEncoder()
                                .encodeToString(ByteBuffer.allocate(12 + ct.length)
                                        .put(nonce)
                                        .put(ct)
                                        .array()));
                out.put("KeyId", keyArn);
                out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            } else if ("TrentService.Decrypt".equals(target)) {
                byte[] blob =
                        Base64.getDecoder().decode(req.get("CiphertextBlob").asText());
                byte[] pt;
                try {
                    pt = gcm(
                            Cipher.DECRYPT_MODE,
                            java.util.Arrays.copyOf(blob, 12),
                            aad,
                            java.util.Arrays.copyOfRange(blob, 12, blob.length));
                } catch (GeneralSecurityException e) {
                    error(ex, 400, "InvalidCiphertextException", null);
                    return;
                }
                out.put("Plaintext", Base64.getEncoder().encodeToString(pt));
                out.put("KeyId", keyArn);
                out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            } else {
                error(ex, 400, "UnknownOperationException", null);
                return;
            }
            send(ex, 200, JSON.writeValueAsBytes(out));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private byte[] gcm(int mode, byte[] nonce, byte[] aad, byte[] in) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(in);
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode err = JSON.createObjectNode().put("__type", type);
        if (message != null) {
            err.put("message", message);
        }
        ex.getResponseHeaders().add("x-amzn-ErrorType", type);
        send(ex, status, JSON.writeValueAsBytes(err));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** The endpoint stops answering (a KMS out of reach); the test credentials stay until {@link #close}. */
    public synchronized void stopServing() {
        if (serving) {
            serving = false;
            server.stop(0);
        }
    }

    /** Stops the server and takes the test credentials away again. */
    @Override
    public void close() {
        stopServing();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
