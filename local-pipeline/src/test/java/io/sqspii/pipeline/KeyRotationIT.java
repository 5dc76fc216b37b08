package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.cli.PiiKeys;
import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.PipelineRows.Login;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-key rotation on a running pipeline, as the README's runbook does it: rotate the deterministic keyset file,
 * restart the source connector's tasks through Connect REST (a task reads the keyset when it starts), re-encrypt
 * the stored rows while the pipeline keeps writing, then retire the old key. One pipeline for the whole scenario.
 */
class KeyRotationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 12;
    private static final int PER_PHASE = 120;

    @TempDir
    Path dir;

    @Test
    void duplicateDetectionHoldsAcrossADataKeyRotationOnceTheRowsAreReEncrypted() throws Exception {
        Path keyset = dir.resolve("pii-deterministic.json");
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(PipelineLayout.fromSystemProperties(), db.database(), 60)) {
            Files.copy(pipeline.layout().connectConfig("dev/keys/pii-deterministic.json"), keyset);
            KeysetHandle original = KeysetSource.cleartextFile(keyset).load();
            int oldKey = original.getPrimary().getId();
            pipeline.registerConnectors(1, 1, Map.of("transforms.encryptDeterministic.keyset.file", keyset.toString()));
            Counts baseline = pipeline.counts();
            Map<String, String> bodyById = new HashMap<>();
            AtomicLong sent = new AtomicLong();

            try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 2)) {
                send(generator, logins(0, PER_PHASE, false), bodyById, sent);
                awaitAccounted(pipeline, baseline, sent);

                assertThat(pii("rotate", "--in", keyset.toString())).isZero();
                int newKey =
                        KeysetSource.cleartextFile(keyset).load().getPrimary().getId();
                restartSourceTasks(pipeline);
                // a restarted task encrypts with the new primary: probe until a row shows it
                for (int probe = 0; ; probe++) {
                    String id = send(generator, logins(10_000 + probe, 1, false), bodyById, sent)
                            .get(0)
                            .messageId();
                    awaitAccounted(pipeline, baseline, sent);
                    if (PiiCipher.keyIdOf(PipelineRows.logins(pipeline.database())
                                    .get(id)
                                    .maskedDeviceId())
                            == newKey) {
                        break;
                    }
                }
                // the same devices again, in other spellings (case, NBSP, full-width), with the new key
                send(generator, logins(PER_PHASE, PER_PHASE, true), bodyById, sent);
                awaitAccounted(pipeline, baseline, sent);

                Map<String, Set<String>> before = ciphertextsByDevice(pipeline, bodyById);
                assertThat(before).hasSize(DEVICES);
                assertThat(before.values())
                        .as("before re-encryption a device id has one ciphertext per key")
                        .allSatisfy(c -> assertThat(c).hasSize(2));
                assertThat(distinctMaskedDevices(pipeline)).isEqualTo(2 * DEVICES);

                // re-encrypt while the pipeline keeps writing (new rows already use the new key)
                CompletableFuture<List<SentMessage>> meanwhile = CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(generator, logins(2 * PER_PHASE, PER_PHASE, true), bodyById, sent);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(pii(dbArgs(
                                pipeline,
                                "reencrypt",
                                "--in",
                                keyset.toString(),
                                "--table",
                                "user_logins",
                                "--key-column",
                                "message_id",
                                "--column",
                                "masked_ip:user_logins.ip",
                                "--column",
                                "masked_device_id:user_logins.device_id",
                                "--batch-size",
                                "50")))
                        .as(err)
                        .isZero();
                assertThat(out).contains("re-encrypted user_logins to primary key " + Integer.toUnsignedLong(newKey));
                meanwhile.join();
                awaitAccounted(pipeline, baseline, sent);
            }

            Map<String, Set<String>> after = ciphertextsByDevice(pipeline, bodyById);
            assertThat(after).hasSize(DEVICES);
            assertThat(after.values())
                    .as("every equal device id has one ciphertext")
                    .allSatisfy(c -> assertThat(c).hasSize(1));
            assertThat(distinctMaskedDevices(pipeline)).isEqualTo(DEVICES);

            assertThat(pii(dbArgs(
                            pipeline,
                            "retire",
                            "--in",
                            keyset.toString(),
                            "--key-id",
                            Long.toString(Integer.toUnsignedLong(oldKey)),
                            "--column",
                            "user_logins.masked_ip",
                            "--column",
                            "user_logins.masked_device_id")))
                    .as(err)
                    .isZero();
            KeysetHandle retired = KeysetSource.cleartextFile(keyset).load();
            assertThat(Keysets.describe(retired)).hasSize(1).noneMatch(k -> k.id() == oldKey);
            // every row decrypts with the keyset that no longer holds the old key, to the canonical input
            PiiCipher cipher = PiiCipher.forHandle(retired, CipherMode.DETERMINISTIC, "user_logins");
            Map<String, Login> rows = PipelineRows.logins(pipeline.database());
            assertThat(rows).hasSize(bodyById.size());
            for (Login row : rows.values()) {
                JsonNode in = JSON.readTree(bodyById.get(row.messageId()));
                assertThat(cipher.decrypt("ip", row.maskedIp()))
                        .isEqualTo(in.get("ip").asText());
                assertThat(cipher.decrypt("device_id", row.maskedDeviceId()))
                        .isEqualTo(Canonicalizer.IDENTIFIER.apply(
                                in.get("device_id").asText()));
            }
        }
    }

    private String out;
    private String err;

    private int pii(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = PiiKeys.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    /** The command with the test database (the password, if any, in the URL: the CLI reads it from PGPASSWORD otherwise). */
    private static String[] dbArgs(Pipeline pipeline, String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        String url = pipeline.database().url();
        String password = System.getenv("PG_PASSWORD");
        if (password != null && !password.isBlank()) {
            url += (url.contains("?") ? "&" : "?") + "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        }
        String user = System.getenv("PG_USER");
        a.addAll(List.of("--db-url", url, "--db-user", user == null || user.isBlank() ? "postgres" : user));
        return a.toArray(String[]::new);
    }

    /** Logins of DEVICES devices; {@code respelled}: the same ids in other spellings the identifier form merges. */
    private static List<String> logins(int from, int count, boolean respelled) {
        List<String> bodies = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String device = String.format("dev-ab-%02d", i % DEVICES);
            if (respelled) {
                device = switch (i % 3) {
                    case 0 -> device.toUpperCase(java.util.Locale.ROOT);
                    case 1 -> "\u00a0" + device + " ";
                    default -> device.replace("ab", "\uff41\uff42");
                };
            }
            ObjectNode login = JSON.createObjectNode()
                    .put("user_id", UUID.randomUUID().toString())
                    .put("app_version", "2.3.0")
                    .put("device_type", "android")
                    .put("ip", "10.20." + (i % 7) + "." + (i % 5))
                    .put("locale", "RU")
                    .put("device_id", device);
            bodies.add(login.toString());
        }
        return bodies;
    }

    private static List<SentMessage> send(
            LoadGenerator generator, List<String> bodies, Map<String, String> bodyById, AtomicLong sent) {
        List<SentMessage> messages = generator.send(bodies, n -> {});
        synchronized (bodyById) {
            messages.forEach(m -> bodyById.put(m.messageId(), m.body()));
        }
        sent.addAndGet(messages.size());
        return messages;
    }

    private static void awaitAccounted(Pipeline pipeline, Counts baseline, AtomicLong sent)
            throws InterruptedException {
        new ProgressMonitor(
                        pipeline,
                        baseline,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        Duration.ofSeconds(90))
                .awaitAccounted(sent.get(), sent::get);
    }

    /** POST /connectors/sqs-source/restart?includeTasks=true: new task instances, which load the keyset file again. */
    private static void restartSourceTasks(Pipeline pipeline) {
        pipeline.worker().rest().restart(pipeline.primary().source(), false);
        pipeline.worker().rest().awaitRunning(pipeline.primary().source(), 1, Duration.ofSeconds(90));
    }

    /** Canonical device id → the ciphertexts stored for it. */
    private static Map<String, Set<String>> ciphertextsByDevice(Pipeline pipeline, Map<String, String> bodyById)
            throws Exception {
        Map<String, Set<String>> byDevice = new HashMap<>();
        for (Login row : PipelineRows.logins(pipeline.database()).values()) {
            String device = JSON.readTree(bodyById.get(row.messageId()))
                    .get("device_id")
                    .asText();
            byDevice.computeIfAbsent(Canonicalizer.IDENTIFIER.apply(device), d -> new HashSet<>())
                    .add(row.maskedDeviceId());
        }
        return byDevice;
    }

    private static long distinctMaskedDevices(Pipeline pipeline) throws Exception {
        try (var c = pipeline.database().connect();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(DISTINCT masked_device_id) FROM user_logins")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
