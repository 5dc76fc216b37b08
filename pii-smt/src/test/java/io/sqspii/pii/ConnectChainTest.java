package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTs inside Connect's own transformation machinery, configured like the pipeline's sqs-source.json. */
class ConnectChainTest {
    @TempDir
    Path dir;

    static final Schema DLQ = SchemaBuilder.struct().name("io.sqspii.RejectedMessage")
            .field("message_id", Schema.STRING_SCHEMA)
            .field("error", Schema.STRING_SCHEMA)
            .field("body", Schema.STRING_SCHEMA)
            .build();

    static Map<String, String> sourceProps(Path det, Path rnd) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "sqs-source");
        p.put("connector.class", "io.sqspii.sqs.SqsSourceConnector");
        p.put("transforms", "encryptPii,encryptBody,rename,created");
        p.put("transforms.encryptPii.type", "io.sqspii.pii.EncryptFields$Value");
        p.put("transforms.encryptPii.fields", "ip,device_id");
        p.put("transforms.encryptPii.mode", "deterministic");
        p.put("transforms.encryptPii.keyset.file", det.toString());
        p.put("transforms.encryptPii.keyset.allow.cleartext", "true");
        p.put("transforms.encryptPii.associated.data", "user_logins");
        p.put("transforms.encryptPii.canonicalize.ip", "ip");
        p.put("transforms.encryptPii.predicate", "isDlq");
        p.put("transforms.encryptPii.negate", "true");
        p.put("transforms.encryptBody.type", "io.sqspii.pii.EncryptFields$Value");
        p.put("transforms.encryptBody.fields", "body");
        p.put("transforms.encryptBody.mode", "randomized");
        p.put("transforms.encryptBody.keyset.file", rnd.toString());
        p.put("transforms.encryptBody.keyset.allow.cleartext", "true");
        p.put("transforms.encryptBody.associated.data", "user_logins_rejected");
        p.put("transforms.encryptBody.predicate", "isDlq");
        p.put("transforms.rename.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
        p.put("transforms.rename.renames", "ip:masked_ip,device_id:masked_device_id,body:encrypted_body");
        p.put("transforms.created.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        p.put("transforms.created.timestamp.field", "create_date");
        p.put("predicates", "isDlq");
        p.put("predicates.isDlq.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        p.put("predicates.isDlq.pattern", "user-logins\\.dlq");
        return p;
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
            PiiCipher logins = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
            assertThat(logins.decrypt("ip", v.getString("masked_ip"))).isEqualTo("10.1.2.3");
            assertThat(logins.decrypt("device_id", v.getString("masked_device_id"))).isEqualTo("593-47-5928");
            assertThat(v.toString()).doesNotContain("593-47-5928").doesNotContain("10.1.2.3");
            // equal inputs → equal stored values (duplicates visible in SQL)
            Struct again = (Struct) chain.apply(record(login("10.1.2.3", "593-47-5928"))).value();
            assertThat(again.getString("masked_ip")).isEqualTo(v.getString("masked_ip"));

            Struct rejected = new Struct(DLQ).put("message_id", "m-2").put("error", "invalid JSON")
                    .put("body", "{\"ip\":\"1.2.3.4\"");
            SourceRecord dlq = chain.apply(new SourceRecord(null, null, "user-logins.dlq", null,
                    Schema.STRING_SCHEMA, "m-2", DLQ, rejected, 5L));
            Struct d = (Struct) dlq.value();
            assertThat(d.schema().field("body")).isNull();
            PiiCipher bodies = PiiCipher.forKeyset(KeysetSource.cleartextFile(rnd), CipherMode.RANDOMIZED, "user_logins_rejected");
            assertThat(bodies.decrypt("body", d.getString("encrypted_body"))).isEqualTo("{\"ip\":\"1.2.3.4\"");
            assertThat(d.getString("message_id")).isEqualTo("m-2");
        }
    }

    @Test
    void unsupportedTypeFailsTheRecordThroughTheChain() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Schema s = SchemaBuilder.struct().field("ip", Schema.INT64_SCHEMA).field("device_id", Schema.STRING_SCHEMA).build();
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), sourceProps(det, rnd))) {
            SourceRecord bad = new SourceRecord(null, null, "user-logins", null, s,
                    new Struct(s).put("ip", 3232235777L).put("device_id", "593-47-5928"));
            assertThatThrownBy(() -> chain.apply(bad))
                    .isInstanceOf(ConnectException.class)
                    .rootCause().isInstanceOf(DataException.class)
                    .hasMessageContaining("'ip'").hasMessageContaining("INT64")
                    .hasMessageNotContaining("3232235777");
        }
    }

    @Test
    void missingOrWrongKeysetFailsWhenTheWorkerBuildsTheChain() {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Map<String, String> missingKey = sourceProps(det, rnd);
        missingKey.remove("transforms.encryptPii.keyset.file");
        assertThatThrownBy(() -> new WorkerChain(dir.resolve("o1"), missingKey).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("keyset.file");

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
