package io.sqspii.pii;

import static io.sqspii.pii.LoginRecords.login;
import static io.sqspii.pii.LoginRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sqspii.pii.crypto.CipherMode;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** DecryptFields reverses what EncryptFields wrote, with the same keyset, mode and associated data, and only that. */
class DecryptFieldsTest {
    @TempDir
    Path dir;

    Path det;
    private final List<Transformation<SourceRecord>> opened = new ArrayList<>();

    @BeforeEach
    void keys() {
        det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
    }

    @AfterEach
    void close() {
        opened.forEach(Transformation::close);
    }

    private <T extends Transformation<SourceRecord>> T configured(T t, Map<String, String> props) {
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
    void decryptsWhatEncryptFieldsWrote() {
        SourceRecord out = configured(new EncryptFields.Value<>(), props("ip,device_id", det))
                .apply(record(login("199.172.111.135", "593-47-5928")));
        SourceRecord back = configured(new DecryptFields.Value<>(), props("ip,device_id", det))
                .apply(out);
        Struct v = (Struct) back.value();
        assertThat(v.getString("ip")).isEqualTo("199.172.111.135");
        assertThat(v.getString("device_id")).isEqualTo("593-47-5928");
        assertThat(v.getString("user_id")).isEqualTo("424cdd21-063a-43a7-b91b-7ca1a833afae");
        assertThat(back.valueSchema().field("ip").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(back.key()).isEqualTo("msg-1");
    }

    @Test
    void keyVariantDecryptsTheKeyOnly() {
        Schema ks = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        SourceRecord r = new SourceRecord(
                null, null, "t", null, ks, new Struct(ks).put("id", "secret-key"), Schema.STRING_SCHEMA, "v");
        SourceRecord encrypted =
                configured(new EncryptFields.Key<>(), props("id", det)).apply(r);
        SourceRecord back =
                configured(new DecryptFields.Key<>(), props("id", det)).apply(encrypted);
        assertThat(((Struct) back.key()).getString("id")).isEqualTo("secret-key");
        assertThat(back.value()).isEqualTo("v");
    }

    @Test
    void randomizedDecryptsHmacIsRefusedAndAnotherDomainFails() {
        Path gcm = LoginRecords.keyset(dir, CipherMode.RANDOMIZED);
        Struct a = (Struct) configured(new EncryptFields.Value<>(), props("ip", gcm, "mode", "randomized"))
                .apply(record(login("1.2.3.4", "d")))
                .value();
        Transformation<SourceRecord> dec =
                configured(new DecryptFields.Value<>(), props("ip", gcm, "mode", "randomized"));
        assertThat(((Struct) dec.apply(record(a)).value()).getString("ip")).isEqualTo("1.2.3.4");

        Path hmac = LoginRecords.keyset(dir, CipherMode.HMAC);
        assertThatThrownBy(() -> configured(new DecryptFields.Value<>(), props("ip", hmac, "mode", "hmac")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode");

        // decrypting with another domain fails, naming the field only
        Transformation<SourceRecord> other = configured(
                new DecryptFields.Value<>(), props("ip", gcm, "mode", "randomized", "associated.data", "other_table"));
        assertThatThrownBy(() -> other.apply(record(a)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("ip")
                .hasMessageNotContaining("1.2.3.4");
    }

    @Test
    void aClearTextKeysetIsRefusedUnlessTheConfigAllowsIt() {
        Map<String, String> p = props("ip", det);
        p.remove("keyset.allow.cleartext");
        assertThatThrownBy(() -> configured(new DecryptFields.Value<>(), p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyset.allow.cleartext=true");
        p.put("keyset.allow.cleartext", "false");
        assertThatThrownBy(() -> configured(new DecryptFields.Value<>(), p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clear-text keyset");
    }

    /** The same nested and array paths as EncryptFields (it shares the rewriter); no canonical forms here. */
    @Test
    void nestedAndArrayPaths() {
        Map<String, String> p = props(OrderRecords.FIELDS, det, "associated.data", "orders");
        Map<String, String> enc = new HashMap<>(p);
        enc.put("canonicalize.customer.email", "email");
        SourceRecord out = configured(new EncryptFields.Value<>(), enc)
                .apply(OrderRecords.record(OrderRecords.order(
                        "Ann.Lee@Example.ORG",
                        "+41446681800",
                        "Bahnhofstrasse 1",
                        List.of(OrderRecords.item("ann lee", "sku-1"), OrderRecords.item("ann lee", "sku-2")),
                        List.of("vip", "gift"))));
        Struct back =
                (Struct) configured(new DecryptFields.Value<>(), p).apply(out).value();
        assertThat(back.getStruct("customer").getString("email")).isEqualTo("ann.lee@example.org");
        assertThat(back.getStruct("customer").getString("phone")).isEqualTo("+41446681800");
        assertThat(back.getStruct("customer").getStruct("shipping_address").getString("street"))
                .isEqualTo("Bahnhofstrasse 1");
        assertThat(back.<Struct>getArray("items"))
                .extracting(i -> i.getString("holder_name"))
                .containsExactly("ann lee", "ann lee");
        assertThat(back.<String>getArray("tags")).containsExactly("vip", "gift");

        Map<String, String> canonical = new HashMap<>(p);
        canonical.put("canonicalize.customer.phone", "phone");
        assertThatThrownBy(() -> configured(new DecryptFields.Value<>(), canonical))
                .isInstanceOf(ConfigException.class);
    }

    /** A failed decrypt (flat or nested) names the field or path, never a value; nor does any log line. */
    @Test
    void noPlaintextInLogsOrErrors() {
        String ip = "203.0.113.77";
        String email = "ann.secret-7c1e@example.org";
        StringBuilder errors = new StringBuilder();
        try (LogCapture capture = new LogCapture()) {
            SourceRecord flat =
                    configured(new EncryptFields.Value<>(), props("ip", det)).apply(record(login(ip, "d")));
            Throwable t = catchThrowable(
                    () -> configured(new DecryptFields.Value<>(), props("ip", det, "associated.data", "elsewhere"))
                            .apply(flat));
            assertThat(t).isNotNull().hasMessageContaining("ip");
            errors.append(LogCapture.stackTrace(t));
            LogCapture.asFailedTask(t);

            Map<String, String> orders = props(OrderRecords.FIELDS, det, "associated.data", "orders");
            SourceRecord nested = configured(new EncryptFields.Value<>(), orders)
                    .apply(OrderRecords.record(OrderRecords.order(
                            email, null, "street", List.of(OrderRecords.item("Holder Secretname", "s")), List.of())));
            orders.put("associated.data", "elsewhere");
            Throwable t2 = catchThrowable(
                    () -> configured(new DecryptFields.Value<>(), orders).apply(nested));
            assertThat(t2).isNotNull().hasMessageContaining("customer.");
            errors.append(LogCapture.stackTrace(t2));
            LogCapture.asFailedTask(t2);

            String all = String.join("\n", capture.lines()) + "\n" + errors;
            assertThat(capture.lines()).as("the capture works").anyMatch(l -> l.contains("DecryptFields configured"));
            for (String secret : List.of(ip, email, "ann.secret-7c1e", "Holder Secretname", "Secretname")) {
                assertThat(all).as("no plaintext").doesNotContainIgnoringCase(secret);
            }
        }
    }
}
