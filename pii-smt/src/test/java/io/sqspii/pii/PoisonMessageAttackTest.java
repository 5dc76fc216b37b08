package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (review B6): a producer sends a valid ~300 KB login whose device_id is U+FDFA repeated. NFKC
 * (canonicalize.device_id=identifier) expands each to 18 code points, 33 UTF-8 bytes: 3.3 MB of plaintext, 4.4 MB
 * of ciphertext, past the producer's 3 MiB, and the task died on every redelivery. Through the shipped chain
 * (connect-config/connectors/user_logins-source.json, real Tink keys) the record becomes a dead-letter record with the message's
 * JSON encrypted as its body; nothing of the value is in clear, and the record is small enough to write.
 */
class PoisonMessageAttackTest {
    @TempDir
    Path dir;

    static final String POISON = "\uFDFA".repeat(100_000); // 300,000 UTF-8 bytes
    static final long PRODUCER_LIMIT = 3_145_728; // worker.properties producer.max.request.size

    /** The shipped source connector's transforms, keyset files replaced by test keysets. */
    private Map<String, String> shippedChain(Path det, Path rnd) {
        Map<String, String> props = ConnectChainTest.sourceProps(det, rnd);
        String pii = ConnectChainTest.encryptAlias(props, "deterministic");
        String body = ConnectChainTest.encryptAlias(props, "randomized");
        // one dead-letter topic: the connector's and the transform's dead letters reach the same rejected-rows sink
        assertThat(props.get("transforms." + pii + ".oversize.dead.letter.topic"))
                .isEqualTo(props.get("dlq.topic"));
        // the deterministic transform runs before the one that encrypts the body of the dead letters it makes
        assertThat(props.get("transforms." + body + ".fields")).isEqualTo("body");
        List<String> order = List.of(props.get("transforms").split(","));
        assertThat(order.indexOf(pii)).isNotNegative().isLessThan(order.indexOf(body));
        return props;
    }

    private static SourceRecord sqsRecord(Struct value) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString("sqs.message.id", "m-poison");
        h.addLong("sqs.sent.timestamp", 1_700_000_000_000L);
        return new SourceRecord(
                Map.of("queue", "q"),
                Map.of("message.id", "m-poison"),
                "user-logins",
                null,
                Schema.STRING_SCHEMA,
                "m-poison",
                value.schema(),
                value,
                1_700_000_000_000L,
                h);
    }

    private static long serializedSize(SourceRecord r) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true", "converter.type", "value"));
        SimpleHeaderConverter hc = new SimpleHeaderConverter();
        long size = json.fromConnectData(r.topic(), r.valueSchema(), r.value()).length;
        for (Header h : r.headers()) {
            size += h.key().length() + hc.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()).length;
        }
        return size;
    }

    @Test
    void aDeviceIdThatNfkcExpandsElevenfoldBecomesAnEncryptedDeadLetterNotATaskFailure() throws Exception {
        assertThat(Normalizer.normalize("\uFDFA", Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8))
                .hasSize(33);
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), shippedChain(det, rnd))) {
            SourceRecord out = chain.apply(sqsRecord(login("10.1.2.3", POISON)));

            assertThat(out.topic()).isEqualTo("user-logins.dlq");
            assertThat(out.sourceOffset()).isEqualTo(Map.of("message.id", "m-poison")); // acked → deleted
            assertThat(out.headers().lastWithName("sqs.error.reason").value()).isEqualTo("field_too_large");
            Struct v = (Struct) out.value();
            assertThat(v.getString("message_id")).isEqualTo("m-poison");
            assertThat(v.getString("error"))
                    .contains("'device_id'")
                    .contains("canonical form")
                    .doesNotContain("\uFDFA")
                    .doesNotContain("\u0635")
                    .hasSizeLessThan(300);
            assertThat(String.valueOf(
                            out.headers().lastWithName("sqs.error.message").value()))
                    .isEqualTo(v.getString("error"));
            // the body is in Kafka encrypted only, and decrypts to the message as the connector read it
            assertThat(v.schema().field("body")).isNull();
            String body = PiiCipher.forKeyset(
                            KeysetSource.cleartextFile(rnd), CipherMode.RANDOMIZED, "user_logins_rejected")
                    .decrypt("body", v.getString("encrypted_body"));
            com.google.gson.JsonObject parsed =
                    com.google.gson.JsonParser.parseString(body).getAsJsonObject();
            assertThat(parsed.get("device_id").getAsString()).isEqualTo(POISON);
            assertThat(parsed.get("ip").getAsString()).isEqualTo("10.1.2.3");
            for (Iterator<Header> it = out.headers().iterator(); it.hasNext(); ) {
                assertThat(String.valueOf(it.next().value()))
                        .doesNotContain("\uFDFA")
                        .doesNotContain("10.1.2.3");
            }
            assertThat(serializedSize(out)).isLessThan(PRODUCER_LIMIT).isLessThan(3L * 300_000);

            // the next, ordinary login goes on as a record of its own
            SourceRecord next = chain.apply(sqsRecord(login("10.1.2.3", "593-47-5928")));
            assertThat(next.topic()).isEqualTo("user-logins");
            assertThat(next.headers().lastWithName("sqs.error.reason")).isNull();
        }
    }

    @Test
    void withoutADeadLetterTopicTheRecordFailsNamingTheFieldNotTheValue() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Transformation<SourceRecord> enc = new EncryptFields.Value<>();
        enc.configure(Map.of(
                "fields",
                "ip,device_id",
                "keyset.file",
                det.toString(),
                "keyset.allow.cleartext",
                "true",
                "canonicalize.device_id",
                "identifier"));
        assertThatThrownBy(() -> enc.apply(sqsRecord(login("10.1.2.3", "x" + POISON))))
                .isInstanceOf(org.apache.kafka.connect.errors.DataException.class)
                .hasMessageContaining("'device_id'")
                .hasMessageNotContaining("\uFDFA")
                .hasMessageNotContaining("x");
        enc.close();
    }

    @Test
    void aCanonicalFormPastTheSchemasMaxLengthIsDeadLettered() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Schema s = SchemaBuilder.struct()
                .name("io.sqspii.UserLogin")
                .field("ip", Schema.STRING_SCHEMA)
                .field(
                        "device_id",
                        SchemaBuilder.string()
                                .parameter(EncryptFields.MAX_LENGTH, "8")
                                .build())
                .build();
        Transformation<SourceRecord> enc = new EncryptFields.Value<>();
        enc.configure(Map.of(
                "fields",
                "ip,device_id",
                "keyset.file",
                det.toString(),
                "keyset.allow.cleartext",
                "true",
                "canonicalize.device_id",
                "identifier",
                "oversize.dead.letter.topic",
                "logins.dlq"));
        // ﬁ (3 bytes) → fi (2 bytes): smaller, but 8 ligatures give 16 characters, past maxLength 8
        SourceRecord fits =
                enc.apply(sqsRecord(new Struct(s).put("ip", "1.2.3.4").put("device_id", "ＡＢ-1")));
        assertThat(fits.topic()).isEqualTo("user-logins");
        SourceRecord out =
                enc.apply(sqsRecord(new Struct(s).put("ip", "1.2.3.4").put("device_id", "\uFB01".repeat(8))));
        assertThat(out.topic()).isEqualTo("logins.dlq");
        assertThat(((Struct) out.value()).getString("error"))
                .contains("'device_id'")
                .contains("maxLength 8");
        // the body is not encrypted by this transform: the chain's next one (selected by the header) does
        assertThat(out.headers().lastWithName("sqs.error.reason").value()).isEqualTo("field_too_large");
        enc.close();
    }
}
