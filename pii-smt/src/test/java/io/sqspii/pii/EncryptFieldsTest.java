package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptFieldsTest {
    @TempDir
    Path dir;

    Path det;
    private final List<Transformation<SourceRecord>> opened = new java.util.ArrayList<>();

    @BeforeEach
    void keys() {
        det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
    }

    @AfterEach
    void close() {
        opened.forEach(Transformation::close);
    }

    private Transformation<SourceRecord> value(Map<String, String> props) {
        Transformation<SourceRecord> t = new EncryptFields.Value<>();
        t.configure(props);
        opened.add(t);
        return t;
    }

    private Map<String, String> props(String fields, Path keyset, String... more) {
        Map<String, String> p = new HashMap<>(Map.of(
                "fields",
                fields,
                "keyset.file",
                keyset.toString(),
                "associated.data",
                "user_logins",
                "keyset.allow.cleartext",
                "true"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void encryptsStructFieldsToOptionalStrings() {
        Transformation<SourceRecord> enc = value(props("ip,device_id", det));
        SourceRecord out = enc.apply(record(login("199.172.111.135", "593-47-5928")));
        Struct v = (Struct) out.value();
        assertThat(out.valueSchema().field("ip").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(out.valueSchema().field("device_id").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(out.valueSchema().field("user_id").schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(out.valueSchema().name()).isEqualTo("io.sqspii.UserLogin");
        assertThat(v.getString("ip")).isNotEqualTo("199.172.111.135").matches("[A-Za-z0-9_-]+");
        assertThat(v.getString("user_id")).isEqualTo("424cdd21-063a-43a7-b91b-7ca1a833afae");
        assertThat(v.getString("locale")).isEqualTo("RU");
        assertThat(out.key()).isEqualTo("msg-1");
        assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);

        // the same value in the same field → the same ciphertext (SQL equality), another field → another one
        Struct again = (Struct)
                enc.apply(record(login("199.172.111.135", "199.172.111.135"))).value();
        assertThat(again.getString("ip")).isEqualTo(v.getString("ip"));
        assertThat(again.getString("device_id")).isNotEqualTo(again.getString("ip"));

        // matches the crypto core, i.e. what the inspector decrypts
        PiiCipher core = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(core.decrypt("ip", v.getString("ip"))).isEqualTo("199.172.111.135");
        assertThat(core.decrypt("device_id", v.getString("device_id"))).isEqualTo("593-47-5928");
    }

    @Test
    void updatedSchemaIsCachedPerInputSchema() {
        Transformation<SourceRecord> enc = value(props("ip", det));
        Schema a = enc.apply(record(login("10.0.0.1", "d1"))).valueSchema();
        Schema b = enc.apply(record(login("10.0.0.2", "d2"))).valueSchema();
        assertThat(b).isSameAs(a);
    }

    @Test
    void canonicalizesBeforeEncrypting() {
        Transformation<SourceRecord> enc =
                value(props("ip,device_id", det, "canonicalize.ip", "ip", "canonicalize.device_id", "identifier"));
        Struct a = (Struct) enc.apply(record(login("0:0:0:0:0:FFFF:0A01:0203", "\u00a0ＡＢＣ-1 ")))
                .value();
        Struct b = (Struct) enc.apply(record(login("10.1.2.3", "abc-1"))).value();
        assertThat(a.getString("ip")).isEqualTo(b.getString("ip"));
        assertThat(a.getString("device_id")).isEqualTo(b.getString("device_id"));
        assertThatThrownBy(() -> value(props("ip", det, "canonicalize.device_id", "ip")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("canonicalize.device_id");
        assertThatThrownBy(() -> value(props("ip", det, "canonicalize.ip", "soundex")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("canonicalize.ip")
                .hasMessageContaining("expected none, trim, lowercase, identifier or ip")
                .hasMessageNotContaining("soundex");
    }

    @Test
    void schemalessMapsAndNestedPaths() {
        Transformation<SourceRecord> enc = value(props("ip,geo.device.id", det));
        Map<String, Object> device = new HashMap<>(Map.of("id", "593-47-5928", "kind", "phone"));
        Map<String, Object> v = new HashMap<>(
                Map.of("ip", "1.2.3.4", "user", "u1", "geo", new HashMap<>(Map.of("device", device, "city", "Oslo"))));
        SourceRecord in = new SourceRecord(null, null, "t", null, null, null, null, v);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) enc.apply(in).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> outDevice = (Map<String, Object>) ((Map<String, Object>) out.get("geo")).get("device");
        assertThat(out.get("ip")).isNotEqualTo("1.2.3.4");
        assertThat(out.get("user")).isEqualTo("u1");
        assertThat(outDevice.get("id")).isNotEqualTo("593-47-5928");
        assertThat(outDevice.get("kind")).isEqualTo("phone");
        assertThat(device.get("id")).as("input left untouched").isEqualTo("593-47-5928");
        PiiCipher core = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(core.decrypt("geo.device.id", (String) outDevice.get("id"))).isEqualTo("593-47-5928");

        // nested Struct
        Schema inner = SchemaBuilder.struct()
                .name("Device")
                .field("id", Schema.STRING_SCHEMA)
                .field("kind", Schema.STRING_SCHEMA)
                .optional()
                .build();
        Schema geo = SchemaBuilder.struct()
                .name("Geo")
                .field("device", inner)
                .field("city", Schema.STRING_SCHEMA)
                .build();
        Schema outer = SchemaBuilder.struct()
                .field("ip", Schema.STRING_SCHEMA)
                .field("geo", geo)
                .build();
        Struct s = new Struct(outer)
                .put("ip", "1.2.3.4")
                .put(
                        "geo",
                        new Struct(geo)
                                .put("city", "Oslo")
                                .put(
                                        "device",
                                        new Struct(inner)
                                                .put("id", "593-47-5928")
                                                .put("kind", "phone")));
        SourceRecord rs = enc.apply(new SourceRecord(null, null, "t", null, outer, s));
        Struct d = ((Struct) rs.value()).getStruct("geo").getStruct("device");
        assertThat(rs.valueSchema()
                        .field("geo")
                        .schema()
                        .field("device")
                        .schema()
                        .field("id")
                        .schema())
                .isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(rs.valueSchema()
                        .field("geo")
                        .schema()
                        .field("device")
                        .schema()
                        .isOptional())
                .isTrue();
        assertThat(core.decrypt("geo.device.id", d.getString("id"))).isEqualTo("593-47-5928");
        assertThat(d.getString("kind")).isEqualTo("phone");
        // a null intermediate struct stays null
        Struct noDevice = new Struct(outer).put("ip", "1.2.3.4").put("geo", new Struct(geo).put("city", "Oslo"));
        Struct r2 = (Struct) enc.apply(new SourceRecord(null, null, "t", null, outer, noDevice))
                .value();
        assertThat(r2.getStruct("geo").getStruct("device")).isNull();
    }

    @Test
    void nullsAndTombstonesPassThrough() {
        Transformation<SourceRecord> enc = value(props("ip,locale", det));
        SourceRecord tomb = new SourceRecord(null, null, "t", null, Schema.STRING_SCHEMA, "k", null, null);
        assertThat(enc.apply(tomb)).isSameAs(tomb);
        SourceRecord nullWithSchema = new SourceRecord(
                null,
                null,
                "t",
                null,
                Schema.STRING_SCHEMA,
                "k",
                SchemaBuilder.struct()
                        .optional()
                        .field("ip", Schema.STRING_SCHEMA)
                        .build(),
                null);
        assertThat(enc.apply(nullWithSchema)).isSameAs(nullWithSchema);
        Struct noLocale = login("1.2.3.4", "d").put("locale", null);
        assertThat(((Struct) enc.apply(record(noLocale)).value()).get("locale")).isNull();
        Transformation<SourceRecord> key = new EncryptFields.Key<>();
        key.configure(props("id", det));
        opened.add(key);
        SourceRecord nullKey = tomb.newRecord("t", null, null, null, null, null, 0L);
        assertThat(key.apply(nullKey)).isSameAs(nullKey);
    }

    @Test
    void keyVariantEncryptsTheKeyOnly() {
        Transformation<SourceRecord> key = new EncryptFields.Key<>();
        key.configure(props("id", det));
        opened.add(key);
        Schema ks = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        SourceRecord r = new SourceRecord(
                null, null, "t", null, ks, new Struct(ks).put("id", "secret-key"), Schema.STRING_SCHEMA, "v");
        SourceRecord out = key.apply(r);
        assertThat(((Struct) out.key()).getString("id")).isNotEqualTo("secret-key");
        assertThat(out.value()).isEqualTo("v");
        PiiCipher core = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(core.decrypt("id", ((Struct) out.key()).getString("id"))).isEqualTo("secret-key");
    }

    @Test
    void unsupportedTypesFailWithFieldAndTypeButNotTheValue() {
        Schema s = SchemaBuilder.struct()
                .field("ip", Schema.STRING_SCHEMA)
                .field("pin", Schema.INT32_SCHEMA)
                .build();
        Struct v = new Struct(s).put("ip", "1.2.3.4").put("pin", 987654321);
        Transformation<SourceRecord> fail = value(props("ip,pin", det));
        assertThatThrownBy(() -> fail.apply(new SourceRecord(null, null, "t", null, s, v)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'pin'")
                .hasMessageContaining("INT32")
                .hasMessageNotContaining("987654321")
                .hasMessageNotContaining("1.2.3.4");
        Map<String, Object> m = Map.of("pin", 987654321L, "ip", List.of("1.2.3.4"));
        Transformation<SourceRecord> list = value(props("ip", det));
        assertThatThrownBy(() -> list.apply(new SourceRecord(null, null, "t", null, null, m)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'ip'")
                .hasMessageContaining("ARRAY")
                .hasMessageNotContaining("1.2.3.4");

        Transformation<SourceRecord> tostring = value(props("ip,pin", det, "on.unsupported.type", "tostring"));
        SourceRecord out = tostring.apply(new SourceRecord(null, null, "t", null, s, v));
        assertThat(out.valueSchema().field("pin").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        PiiCipher core = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(core.decrypt("pin", ((Struct) out.value()).getString("pin"))).isEqualTo("987654321");

        assertThatThrownBy(() -> value(props("ip", det))
                        .apply(new SourceRecord(null, null, "t", null, Schema.STRING_SCHEMA, "1.2.3.4")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("STRING")
                .hasMessageNotContaining("1.2.3.4");
    }

    @Test
    void randomizedAndHmacModes() throws Exception {
        Path gcm = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Path hmac = LoginRecords.keyset(dir, CipherMode.HMAC);
        Transformation<SourceRecord> rnd = value(props("ip", gcm, "mode", "randomized"));
        Struct a = (Struct) rnd.apply(record(login("1.2.3.4", "d"))).value();
        Struct b = (Struct) rnd.apply(record(login("1.2.3.4", "d"))).value();
        assertThat(a.getString("ip")).isNotEqualTo(b.getString("ip"));
        PiiCipher core = PiiCipher.forKeyset(KeysetSource.cleartextFile(gcm), CipherMode.RANDOMIZED, "user_logins");
        assertThat(core.decrypt("ip", a.getString("ip"))).isEqualTo("1.2.3.4");

        Transformation<SourceRecord> h = value(props("ip", hmac, "mode", "HMAC"));
        Struct t1 = (Struct) h.apply(record(login("1.2.3.4", "d"))).value();
        Struct t2 = (Struct) h.apply(record(login("1.2.3.4", "e"))).value();
        assertThat(t1.getString("ip")).isEqualTo(t2.getString("ip"));
        assertThat(Files.exists(gcm)).isTrue();
    }

    @Test
    void constantAssociatedData() {
        Transformation<SourceRecord> enc = value(props("ip,device_id", det, "associated.data.mode", "constant"));
        Struct v = (Struct) enc.apply(record(login("x-1", "x-1"))).value();
        assertThat(v.getString("ip")).isEqualTo(v.getString("device_id"));
    }

    @Test
    void aClearTextKeysetIsRefusedUnlessTheConfigAllowsIt() {
        Map<String, String> p = props("ip", det);
        p.remove("keyset.allow.cleartext");
        assertThatThrownBy(() -> value(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyset.allow.cleartext=true");
        p.put("keyset.allow.cleartext", "false");
        assertThatThrownBy(() -> value(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clear-text keyset");
        assertThat(value(props("ip", det)).apply(record(login("10.1.2.3", "d"))).value())
                .isNotNull();
    }

    @Test
    void wrongOrMissingKeysetIsAConfigException() throws Exception {
        assertThatThrownBy(() -> value(Map.of("fields", "ip")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyset.file");
        assertThatThrownBy(() -> value(props("ip", dir.resolve("missing.json"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
        Path gcm = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        assertThatThrownBy(() -> value(props("ip", gcm)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AES256_SIV")
                .hasMessageContaining("AES256_GCM");
        Path junk = Files.writeString(dir.resolve("junk.json"), "{\"primaryKeyId\": 1, \"key\": [");
        assertThatThrownBy(() -> value(props("ip", junk)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a clear-text Tink JSON keyset");
        assertThatThrownBy(() -> value(props("ip", det, "keyset.kms.uri", "arn:aws:kms:eu-west-1:1:key/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("aws-kms://");
        assertThatThrownBy(() -> value(props("", det)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fields");
        assertThatThrownBy(() -> value(props("a,a.b", det)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parent");
    }
}
