package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sqspii.pii.crypto.CipherMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every log line (ours at all levels, Connect's at DEBUG and above) and every error text while the SMT runs holds no plaintext. */
class NoPlaintextInLogsTest {
    static final String IP = "203.0.113.77";
    static final String DEVICE = "771-55-3412";
    static final String BODY_SECRET = "body-secret-9f3a";

    @TempDir
    Path dir;

    private LogCapture capture;
    private List<String> lines;

    @BeforeEach
    void capture() {
        capture = new LogCapture();
        lines = capture.lines();
    }

    @AfterEach
    void restore() {
        capture.close();
    }

    @Test
    void noPlaintextInLogsOrErrors() throws Exception {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        StringBuilder errors = new StringBuilder();
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), ConnectChainTest.sourceProps(det, rnd))) {
            chain.apply(record(login(IP, DEVICE)));
            chain.apply(ConnectChainTest.deadLetter("m", BODY_SECRET));
            Schema s = SchemaBuilder.struct()
                    .field("ip", Schema.FLOAT64_SCHEMA)
                    .field("device_id", Schema.BYTES_SCHEMA)
                    .build();
            Throwable t = catchThrowable(() -> chain.apply(new SourceRecord(
                    null,
                    null,
                    "user-logins",
                    null,
                    s,
                    new Struct(s).put("ip", 203.011377).put("device_id", DEVICE.getBytes()))));
            assertThat(t).isNotNull();
            errors.append(LogCapture.stackTrace(t));
            LogCapture.asFailedTask(t);
        }

        String all = String.join("\n", lines) + "\n" + errors;
        assertThat(lines).as("the capture works").anyMatch(l -> l.contains("EncryptFields configured"));
        assertThat(lines).anyMatch(l -> l.contains("CLEAR-TEXT keyset"));
        assertThat(errors.toString()).contains("'ip'").contains("FLOAT64");
        assertThat(all)
                .doesNotContain(IP)
                .doesNotContain(DEVICE)
                .doesNotContain(BODY_SECRET)
                .doesNotContain("203.011377");
        // and no key material either
        String keyValue = Files.readString(det).replaceAll("(?s).*\"value\":\"([^\"]+)\".*", "$1");
        assertThat(keyValue).hasSizeGreaterThan(20);
        assertThat(all).doesNotContain(keyValue);
    }

    static final String EMAIL = "ann.secret-7c1e@example.org";
    static final String PHONE = "+41 44 668 18 00";
    static final String HOLDER = "Holder Secretname";

    /** Nested and array leaves: configure, encrypt, a failed nested leaf and a dead letter. */
    @Test
    void noPlaintextOfNestedValuesInLogsOrErrors() throws Exception {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        StringBuilder errors = new StringBuilder();
        java.util.Map<String, String> props = new java.util.HashMap<>(java.util.Map.of(
                "fields",
                OrderRecords.FIELDS,
                "keyset.file",
                det.toString(),
                "associated.data",
                "orders",
                "keyset.allow.cleartext",
                "true",
                "canonicalize.customer.email",
                "email",
                "canonicalize.customer.phone",
                "phone",
                "canonicalize.items[].holder_name",
                "identifier",
                "phone.default.region",
                "CH"));
        EncryptFields.Value<SourceRecord> enc = new EncryptFields.Value<>();
        enc.configure(props);
        SourceRecord good = OrderRecords.record(
                OrderRecords.order(EMAIL, PHONE, "street", List.of(OrderRecords.item(HOLDER, "s1")), List.of(HOLDER)));
        enc.apply(good);
        // a nested leaf past its bound, without a dead-letter topic: the record fails
        SourceRecord poison = OrderRecords.record(OrderRecords.order(
                EMAIL, PHONE, "street", List.of(OrderRecords.item(HOLDER + "\uFDFA".repeat(50), "s1")), List.of()));
        Throwable t = catchThrowable(() -> enc.apply(poison));
        assertThat(t).isNotNull().hasMessageContaining("items[].holder_name");
        errors.append(LogCapture.stackTrace(t));
        LogCapture.asFailedTask(t);
        // with one: a dead letter whose error names the path only
        props.put("oversize.dead.letter.topic", "orders.dlq");
        EncryptFields.Value<SourceRecord> dlq = new EncryptFields.Value<>();
        dlq.configure(props);
        errors.append(((Struct) dlq.apply(poison).value()).getString("error")).append('\n');
        // a nested array that is not strings, under a listed path
        Schema s = SchemaBuilder.struct()
                .field("tags", SchemaBuilder.array(Schema.INT64_SCHEMA).build())
                .build();
        Throwable t2 = catchThrowable(() -> enc.apply(
                new SourceRecord(null, null, "orders", null, s, new Struct(s).put("tags", List.of(4144668180L)))));
        assertThat(t2).isNotNull().hasMessageContaining("tags[]").hasMessageContaining("INT64");
        errors.append(t2);
        enc.close();
        dlq.close();

        String all = String.join("\n", lines) + "\n" + errors;
        assertThat(lines).as("the capture works").anyMatch(l -> l.contains("items[].holder_name"));
        for (String secret : List.of(
                EMAIL,
                "ann.secret-7c1e",
                PHONE,
                "446681800",
                HOLDER,
                "holder secretname",
                "Secretname",
                "4144668180")) {
            assertThat(all).as("no plaintext").doesNotContainIgnoringCase(secret);
        }
    }
}
