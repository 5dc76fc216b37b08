package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMT inside Connect's own transformation machinery, configured as the shipped user_logins source connector. */
class ConnectChainTest {
    @TempDir
    Path dir;

    static final Schema DLQ = SchemaBuilder.struct()
            .name("io.sqspii.RejectedMessage")
            .field("message_id", Schema.STRING_SCHEMA)
            .field("error", Schema.STRING_SCHEMA)
            .field("body", Schema.STRING_SCHEMA)
            .build();

    /** The source connector config that `dataset connectors` generates for the user_logins dataset. */
    static final Path SHIPPED = Path.of("../connect-config/connectors/user_logins-source.json");

    static final String ENCRYPT = EncryptFields.Value.class.getName();

    /**
     * The shipped source connector's config with each EncryptFields' keyset file (an env placeholder there) replaced
     * by the test keyset of its mode.
     */
    static Map<String, String> sourceProps(Path det, Path rnd) {
        Map<String, String> p = new HashMap<>();
        try {
            new ObjectMapper()
                    .readTree(SHIPPED.toFile())
                    .fields()
                    .forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("name", "user_logins-source");
        for (String mode : List.of("deterministic", "randomized")) {
            p.put(
                    "transforms." + encryptAlias(p, mode) + ".keyset.file",
                    (mode.equals("deterministic") ? det : rnd).toString());
        }
        return p;
    }

    /** The alias of the config's one EncryptFields of {@code mode} (aliases are the generator's to choose). */
    static String encryptAlias(Map<String, String> props, String mode) {
        List<String> aliases = Arrays.stream(props.get("transforms").split(","))
                .map(String::strip)
                .filter(a -> ENCRYPT.equals(props.get("transforms." + a + ".type")))
                .filter(a -> mode.equals(props.getOrDefault("transforms." + a + ".mode", "deterministic")))
                .toList();
        assertThat(aliases).as("EncryptFields of mode %s in %s", mode, SHIPPED).hasSize(1);
        return aliases.get(0);
    }

    /** A record the source connector dead-lettered: the chain tells it by its sqs.error.reason header. */
    static SourceRecord deadLetter(String messageId, String body) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString("sqs.error.reason", "invalid_json");
        return new SourceRecord(
                null,
                null,
                "user-logins.dlq",
                null,
                Schema.STRING_SCHEMA,
                messageId,
                DLQ,
                new Struct(DLQ)
                        .put("message_id", messageId)
                        .put("error", "invalid JSON")
                        .put("body", body),
                5L,
                h);
    }

    @Test
    void pipelineChainEncryptsLoginsAndRejectedBodies() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), sourceProps(det, rnd))) {
            SourceRecord out = chain.apply(record(login(" 10.1.2.3\u00a0", "593-47-5928")));
            Struct v = (Struct) out.value();
            assertThat(out.valueSchema().field("ip")).isNull();
            assertThat(out.valueSchema().field("masked_ip").schema().type()).isEqualTo(Schema.Type.STRING);
            assertThat(v.get("create_date")).isEqualTo(new java.util.Date(1_700_000_000_000L));
            PiiCipher logins =
                    PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
            assertThat(logins.decrypt("ip", v.getString("masked_ip"))).isEqualTo("10.1.2.3");
            assertThat(logins.decrypt("device_id", v.getString("masked_device_id")))
                    .isEqualTo("593-47-5928");
            assertThat(v.toString()).doesNotContain("593-47-5928").doesNotContain("10.1.2.3");
            // equal inputs → equal stored values (duplicates visible in SQL)
            Struct again = (Struct)
                    chain.apply(record(login("10.1.2.3", "593-47-5928"))).value();
            assertThat(again.getString("masked_ip")).isEqualTo(v.getString("masked_ip"));

            SourceRecord dlq = chain.apply(deadLetter("m-2", "{\"ip\":\"1.2.3.4\""));
            Struct d = (Struct) dlq.value();
            assertThat(d.schema().field("body")).isNull();
            PiiCipher bodies =
                    PiiCipher.forKeyset(KeysetSource.cleartextFile(rnd), CipherMode.RANDOMIZED, "user_logins_rejected");
            assertThat(bodies.decrypt("body", d.getString("encrypted_body"))).isEqualTo("{\"ip\":\"1.2.3.4\"");
            assertThat(d.getString("message_id")).isEqualTo("m-2");
        }
    }

    @Test
    void unsupportedTypeFailsTheRecordThroughTheChain() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Schema s = SchemaBuilder.struct()
                .field("ip", Schema.INT64_SCHEMA)
                .field("device_id", Schema.STRING_SCHEMA)
                .build();
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), sourceProps(det, rnd))) {
            SourceRecord bad = new SourceRecord(
                    null,
                    null,
                    "user-logins",
                    null,
                    s,
                    new Struct(s).put("ip", 3232235777L).put("device_id", "593-47-5928"));
            assertThatThrownBy(() -> chain.apply(bad))
                    .isInstanceOf(ConnectException.class)
                    .rootCause()
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("'ip'")
                    .hasMessageContaining("INT64")
                    .hasMessageNotContaining("3232235777");
        }
    }

    @Test
    void missingOrWrongKeysetFailsWhenTheWorkerBuildsTheChain() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Map<String, String> missingKey = sourceProps(det, rnd);
        missingKey.remove("transforms." + encryptAlias(missingKey, "deterministic") + ".keyset.file");
        assertThatThrownBy(() -> new WorkerChain(dir.resolve("o1"), missingKey).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyset.file");

        Map<String, String> noFile = sourceProps(dir.resolve("nope.json"), rnd);
        assertThatThrownBy(() -> new WorkerChain(dir.resolve("o2"), noFile).close())
                .hasStackTraceContaining("ConfigException")
                .hasStackTraceContaining("does not exist");

        Map<String, String> swapped = sourceProps(rnd, det); // GCM keys for deterministic, SIV for randomized
        assertThatThrownBy(() -> new WorkerChain(dir.resolve("o3"), swapped).close())
                .hasStackTraceContaining("ConfigException")
                .hasStackTraceContaining("expected AES256_SIV keys, found AES256_GCM");
    }
}
