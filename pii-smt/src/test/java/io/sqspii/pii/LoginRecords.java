package io.sqspii.pii;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** The user-login record of the pipeline contract, and keyset helpers for tests (also pii-decrypt-smt's). */
public final class LoginRecords {
    public static final Schema LOGIN = SchemaBuilder.struct()
            .name("io.sqspii.UserLogin")
            .field("user_id", Schema.STRING_SCHEMA)
            .field("app_version", Schema.STRING_SCHEMA)
            .field("device_type", Schema.STRING_SCHEMA)
            .field("ip", Schema.STRING_SCHEMA)
            .field("locale", Schema.OPTIONAL_STRING_SCHEMA)
            .field("device_id", Schema.STRING_SCHEMA)
            .build();

    private LoginRecords() {}

    public static Struct login(String ip, String deviceId) {
        return new Struct(LOGIN)
                .put("user_id", "424cdd21-063a-43a7-b91b-7ca1a833afae")
                .put("app_version", "2.3.0")
                .put("device_type", "android")
                .put("ip", ip)
                .put("locale", "RU")
                .put("device_id", deviceId);
    }

    public static SourceRecord record(Struct value) {
        return new SourceRecord(
                Map.of("queue", "login-queue"),
                Map.of("id", "m1"),
                "user-logins",
                null,
                Schema.STRING_SCHEMA,
                "msg-1",
                value.schema(),
                value,
                1_700_000_000_000L);
    }

    public static Path keyset(Path dir, CipherMode mode) {
        Path f = dir.resolve(mode.configName() + "-keyset.json");
        Keysets.writeCleartext(Keysets.generate(mode), f);
        return f;
    }
}
