package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sqspii.pii.crypto.CipherMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every log line (ours at all levels, Connect's at DEBUG and above) and every error text while the SMTs run holds no plaintext. */
class NoPlaintextInLogsTest {
    static final String IP = "203.0.113.77";
    static final String DEVICE = "771-55-3412";
    static final String BODY_SECRET = "body-secret-9f3a";

    @TempDir
    Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private AbstractAppender appender;
    private Level rootLevel;
    private Level kafkaLevel;

    @BeforeEach
    void capture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration conf = ctx.getConfiguration();
        appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder sb = new StringBuilder(event.getLoggerName()).append(' ')
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(w));
                    sb.append('\n').append(w);
                }
                lines.add(sb.toString());
            }
        };
        appender.start();
        conf.addAppender(appender);
        LoggerConfig root = conf.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        LoggerConfig kafka = conf.getLoggerConfig("org.apache.kafka");
        kafkaLevel = kafka.getLevel();
        // Connect itself dumps whole records at TRACE (TransformationChain, WorkerSourceTask): never run a worker
        // with TRACE on org.apache.kafka.connect.runtime where PII flows (README). DEBUG and above are checked.
        kafka.setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    @AfterEach
    void restore() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration conf = ctx.getConfiguration();
        conf.getRootLogger().removeAppender("capture");
        conf.getRootLogger().setLevel(rootLevel);
        conf.getLoggerConfig("org.apache.kafka").setLevel(kafkaLevel);
        ctx.updateLoggers();
        appender.stop();
    }

    @Test
    void noPlaintextInLogsOrErrors() throws Exception {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        Path rnd = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        StringBuilder errors = new StringBuilder();
        try (WorkerChain chain = new WorkerChain(dir.resolve("offsets"), ConnectChainTest.sourceProps(det, rnd))) {
            chain.apply(record(login(IP, DEVICE)));
            chain.apply(new SourceRecord(null, null, "user-logins.dlq", null, Schema.STRING_SCHEMA, "m",
                    ConnectChainTest.DLQ, new Struct(ConnectChainTest.DLQ).put("message_id", "m")
                            .put("error", "bad").put("body", BODY_SECRET)));
            Schema s = SchemaBuilder.struct().field("ip", Schema.FLOAT64_SCHEMA)
                    .field("device_id", Schema.BYTES_SCHEMA).build();
            Throwable t = catchThrowable(() -> chain.apply(new SourceRecord(null, null, "user-logins", null, s,
                    new Struct(s).put("ip", 203.011377).put("device_id", DEVICE.getBytes()))));
            assertThat(t).isNotNull();
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            errors.append(w);
            // the way a worker reports a failed task
            LogManager.getLogger("org.apache.kafka.connect.runtime.WorkerTask").error("Task threw an uncaught exception", t);
        }
        // decrypting with a wrong domain fails without echoing the ciphertext's plaintext
        DecryptFields.Value<SourceRecord> dec = new DecryptFields.Value<>();
        dec.configure(java.util.Map.of("fields", "ip", "keyset.file", det.toString(), "associated.data", "elsewhere",
                "keyset.allow.cleartext", "true"));
        EncryptFields.Value<SourceRecord> enc = new EncryptFields.Value<>();
        enc.configure(java.util.Map.of("fields", "ip", "keyset.file", det.toString(), "associated.data", "user_logins",
                "keyset.allow.cleartext", "true"));
        Throwable t2 = catchThrowable(() -> dec.apply(enc.apply(record(login(IP, DEVICE)))));
        assertThat(t2).isNotNull().hasMessageContaining("ip");
        errors.append(t2);

        String all = String.join("\n", lines) + "\n" + errors;
        assertThat(lines).as("the capture works").anyMatch(l -> l.contains("EncryptFields configured"));
        assertThat(lines).anyMatch(l -> l.contains("CLEAR-TEXT keyset"));
        assertThat(errors.toString()).contains("'ip'").contains("FLOAT64");
        assertThat(all).doesNotContain(IP).doesNotContain(DEVICE).doesNotContain(BODY_SECRET)
                .doesNotContain("203.011377");
        // and no key material either
        String keyValue = Files.readString(det).replaceAll("(?s).*\"value\":\"([^\"]+)\".*", "$1");
        assertThat(keyValue).hasSizeGreaterThan(20);
        assertThat(all).doesNotContain(keyValue);
    }

    static final String EMAIL = "ann.secret-7c1e@example.org";
    static final String PHONE = "+41 44 668 18 00";
    static final String HOLDER = "Holder Secretname";

    /** Nested and array leaves: configure, encrypt, a failed nested leaf, a dead letter and a failed decrypt. */
    @Test
    void noPlaintextOfNestedValuesInLogsOrErrors() throws Exception {
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        StringBuilder errors = new StringBuilder();
        java.util.Map<String, String> props = new java.util.HashMap<>(java.util.Map.of("fields", NestedPathsTest.FIELDS,
                "keyset.file", det.toString(), "associated.data", "orders", "keyset.allow.cleartext", "true",
                "canonicalize.customer.email", "email", "canonicalize.customer.phone", "phone",
                "canonicalize.items[].holder_name", "identifier", "phone.default.region", "CH"));
        EncryptFields.Value<SourceRecord> enc = new EncryptFields.Value<>();
        enc.configure(props);
        SourceRecord good = NestedPathsTest.record(NestedPathsTest.order(EMAIL, PHONE, "street",
                List.of(NestedPathsTest.item(HOLDER, "s1")), List.of(HOLDER)));
        SourceRecord encrypted = enc.apply(good);
        // a nested leaf past its bound, without a dead-letter topic: the record fails
        SourceRecord poison = NestedPathsTest.record(NestedPathsTest.order(EMAIL, PHONE, "street",
                List.of(NestedPathsTest.item(HOLDER + "\uFDFA".repeat(50), "s1")), List.of()));
        Throwable t = catchThrowable(() -> enc.apply(poison));
        assertThat(t).isNotNull().hasMessageContaining("items[].holder_name");
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        errors.append(w);
        LogManager.getLogger("org.apache.kafka.connect.runtime.WorkerTask").error("Task threw an uncaught exception", t);
        // with one: a dead letter whose error names the path only
        props.put("oversize.dead.letter.topic", "orders.dlq");
        EncryptFields.Value<SourceRecord> dlq = new EncryptFields.Value<>();
        dlq.configure(props);
        errors.append(((Struct) dlq.apply(poison).value()).getString("error")).append('\n');
        // a nested array that is not strings, under a listed path
        Schema s = SchemaBuilder.struct().field("tags", SchemaBuilder.array(Schema.INT64_SCHEMA).build()).build();
        Throwable t2 = catchThrowable(() -> enc.apply(new SourceRecord(null, null, "orders", null, s,
                new Struct(s).put("tags", List.of(4144668180L)))));
        assertThat(t2).isNotNull().hasMessageContaining("tags[]").hasMessageContaining("INT64");
        errors.append(t2);
        // decrypting under another domain fails naming the path, not the value
        DecryptFields.Value<SourceRecord> dec = new DecryptFields.Value<>();
        dec.configure(java.util.Map.of("fields", NestedPathsTest.FIELDS, "keyset.file", det.toString(),
                "associated.data", "elsewhere", "keyset.allow.cleartext", "true"));
        Throwable t3 = catchThrowable(() -> dec.apply(encrypted));
        assertThat(t3).isNotNull().hasMessageContaining("customer.");
        errors.append(t3);
        enc.close();
        dlq.close();
        dec.close();

        String all = String.join("\n", lines) + "\n" + errors;
        assertThat(lines).as("the capture works").anyMatch(l -> l.contains("items[].holder_name"));
        for (String secret : List.of(EMAIL, "ann.secret-7c1e", PHONE, "446681800", HOLDER, "holder secretname",
                "Secretname", "4144668180")) {
            assertThat(all).as("no plaintext").doesNotContainIgnoringCase(secret);
        }
    }
}
