package io.sqspii.pii.bench;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import io.sqspii.pii.EncryptFields;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records/s of EncryptFields$Value on the 6-field login Struct (ip and device_id encrypted, deterministic)
 * against the raw Tink DeterministicAead on the same two values per record. Not a test: run through
 * {@link BenchMain} (see pii-smt/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncryptFieldsBenchmark {
    static final Schema LOGIN = SchemaBuilder.struct()
            .name("io.sqspii.UserLogin")
            .field("user_id", Schema.STRING_SCHEMA)
            .field("app_version", Schema.STRING_SCHEMA)
            .field("device_type", Schema.STRING_SCHEMA)
            .field("ip", Schema.STRING_SCHEMA)
            .field("locale", Schema.OPTIONAL_STRING_SCHEMA)
            .field("device_id", Schema.STRING_SCHEMA)
            .build();
    static final int N = 1024;

    Path dir;
    EncryptFields.Value<SourceRecord> smt;
    DeterministicAead raw;
    SourceRecord[] records;
    byte[][] ips;
    byte[][] devices;
    final byte[] adIp = "user_logins.ip".getBytes(StandardCharsets.UTF_8);
    final byte[] adDevice = "user_logins.device_id".getBytes(StandardCharsets.UTF_8);
    int i;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("pii-bench");
        Path keyset = dir.resolve("det.json");
        Keysets.writeCleartext(Keysets.generate(CipherMode.DETERMINISTIC), keyset);
        smt = new EncryptFields.Value<>();
        smt.configure(Map.of(
                "fields",
                "ip,device_id",
                "mode",
                "deterministic",
                "keyset.file",
                keyset.toString(),
                "associated.data",
                "user_logins",
                "keyset.allow.cleartext",
                "true"));
        KeysetHandle h = TinkJsonProtoKeysetFormat.parseKeyset(
                Files.readString(keyset), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
        raw = h.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
        records = new SourceRecord[N];
        ips = new byte[N][];
        devices = new byte[N][];
        for (int k = 0; k < N; k++) {
            String ip = "10." + (k >> 8) + "." + (k & 0xff) + "." + (k % 7);
            String dev = (100 + k) + "-47-" + (5000 + k);
            ips[k] = ip.getBytes(StandardCharsets.UTF_8);
            devices[k] = dev.getBytes(StandardCharsets.UTF_8);
            Struct v = new Struct(LOGIN)
                    .put("user_id", "424cdd21-063a-43a7-b91b-7ca1a833afae")
                    .put("app_version", "2.3.0")
                    .put("device_type", "android")
                    .put("ip", ip)
                    .put("locale", "RU")
                    .put("device_id", dev);
            records[k] = new SourceRecord(
                    Map.of("q", "login-queue"),
                    Map.of("id", k),
                    "user-logins",
                    null,
                    Schema.STRING_SCHEMA,
                    "m" + k,
                    LOGIN,
                    v,
                    1L);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        smt.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** One login record through the SMT. */
    @Benchmark
    public SourceRecord smtRecord() {
        return smt.apply(records[i++ & (N - 1)]);
    }

    /** The same two values through raw Tink: the floor the SMT is measured against. */
    @Benchmark
    public void rawTinkRecord(Blackhole bh) throws Exception {
        int k = i++ & (N - 1);
        bh.consume(raw.encryptDeterministically(ips[k], adIp));
        bh.consume(raw.encryptDeterministically(devices[k], adDevice));
    }
}
