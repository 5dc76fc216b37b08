package io.sqspii.pii;

import static io.sqspii.pii.OrderRecords.FIELDS;
import static io.sqspii.pii.OrderRecords.ORDER;
import static io.sqspii.pii.OrderRecords.item;
import static io.sqspii.pii.OrderRecords.order;
import static io.sqspii.pii.OrderRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested Struct paths and array elements (an order as the SQS connector makes it from a nested event), with
 * real Tink keysets: every annotated leaf is encrypted with its own canonical form and associated data
 * {@code <associated.data>.<path>} (no array index), and decrypts back (crypto core) to the canonical value.
 * DecryptFields on the same paths: pii-decrypt-smt.
 */
class NestedPathsTest {
    @TempDir
    Path dir;

    Path det;
    PiiCipher core;
    private final List<Transformation<SourceRecord>> opened = new ArrayList<>();

    @BeforeEach
    void keys() {
        det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        core = PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "orders");
    }

    @AfterEach
    void close() {
        opened.forEach(Transformation::close);
    }

    Transformation<SourceRecord> transform(String fields, String... more) {
        Map<String, String> p = new HashMap<>(Map.of(
                "fields",
                fields,
                "keyset.file",
                det.toString(),
                "associated.data",
                "orders",
                "keyset.allow.cleartext",
                "true"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        Transformation<SourceRecord> t = new EncryptFields.Value<>();
        t.configure(p);
        opened.add(t);
        return t;
    }

    Transformation<SourceRecord> encryptOrders() {
        return transform(
                FIELDS,
                "canonicalize.customer.email",
                "email",
                "canonicalize.customer.phone",
                "phone",
                "canonicalize.customer.shipping_address.street",
                "trim",
                "canonicalize.items[].holder_name",
                "identifier",
                "canonicalize.tags[]",
                "lowercase",
                "oversize.dead.letter.topic",
                "orders.dlq");
    }

    @Test
    void everyNestedAndArrayLeafIsEncryptedAndDecryptsToItsCanonicalForm() {
        SourceRecord out = encryptOrders()
                .apply(record(order(
                        " Ann.Lee@Example.ORG ",
                        "+41 44 668 18 00",
                        "\u00a0Bahnhofstrasse 1 ",
                        List.of(item("ＡＮＮ LEE", "sku-1"), item("ann lee", "sku-2")),
                        Arrays.asList("VIP", " gift\u200b"))));
        Struct v = (Struct) out.value();
        Struct c = v.getStruct("customer");
        List<Struct> items = v.getArray("items");
        List<String> tags = v.getArray("tags");

        assertThat(core.decrypt("customer.email", c.getString("email"))).isEqualTo("ann.lee@example.org");
        assertThat(core.decrypt("customer.phone", c.getString("phone"))).isEqualTo("+41446681800");
        assertThat(core.decrypt(
                        "customer.shipping_address.street",
                        c.getStruct("shipping_address").getString("street")))
                .isEqualTo("Bahnhofstrasse 1");
        assertThat(core.decrypt("items[].holder_name", items.get(0).getString("holder_name")))
                .isEqualTo("ann lee");
        assertThat(core.decrypt("tags[]", tags.get(0))).isEqualTo("vip");
        assertThat(core.decrypt("tags[]", tags.get(1))).isEqualTo("gift");
        // what is not listed stays in clear
        assertThat(c.getStruct("shipping_address").getString("city")).isEqualTo("Bern");
        assertThat(items.get(1).getString("sku")).isEqualTo("sku-2");
        assertThat(v.getString("order_id")).isEqualTo("o-1");

        // the associated data names the path, not the element: equal values in two elements, equal ciphertext
        assertThat(items.get(0).getString("holder_name")).isEqualTo(items.get(1).getString("holder_name"));
        // ... and the same value under another path does not correlate
        Struct same = (Struct) encryptOrders()
                .apply(record(order("a@b.org", null, "x", List.of(item("vip", "s")), List.of("vip"))))
                .value();
        assertThat(same.<String>getArray("tags").get(0))
                .isEqualTo(tags.get(0))
                .isNotEqualTo(same.<Struct>getArray("items").get(0).getString("holder_name"));
        assertThatThrownBy(
                        () -> core.decrypt("items[0].holder_name", items.get(0).getString("holder_name")))
                .isInstanceOf(PiiCryptoException.class);
        assertThatThrownBy(() -> core.decrypt("holder_name", items.get(0).getString("holder_name")))
                .isInstanceOf(PiiCryptoException.class);

        // schema: each encrypted leaf an optional string, parents keep name and optionality, the rest as it was
        Schema s = out.valueSchema();
        Schema cs = s.field("customer").schema();
        assertThat(cs.name()).isEqualTo("io.sqspii.Customer");
        assertThat(cs.isOptional()).isTrue();
        assertThat(cs.field("email").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(cs.field("shipping_address").schema().field("street").schema())
                .isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(cs.field("shipping_address").schema().field("city").schema()).isEqualTo(Schema.STRING_SCHEMA);
        Schema is = s.field("items").schema();
        assertThat(is.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(is.isOptional()).isTrue();
        assertThat(is.valueSchema().name()).isEqualTo("io.sqspii.Item");
        assertThat(is.valueSchema().field("holder_name").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(is.valueSchema().field("sku").schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(s.field("tags").schema().valueSchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        // cached per input schema
        SourceRecord again = encryptOrders().apply(record(order("a@b.org", null, "x", List.of(), List.of())));
        Transformation<SourceRecord> one = encryptOrders();
        assertThat(one.apply(record(order("a@b.org", null, "x", List.of(), List.of())))
                        .valueSchema())
                .isSameAs(one.apply(record(order("c@d.org", null, "y", List.of(), List.of())))
                        .valueSchema());
        assertThat(again.valueSchema()).isEqualTo(s);
    }

    @Test
    void nullParentsElementsAndLeavesStayNull() {
        Transformation<SourceRecord> enc = encryptOrders();
        Struct noCustomer =
                new Struct(ORDER).put("order_id", "o-2").put("items", null).put("tags", null);
        Struct a = (Struct) enc.apply(record(noCustomer)).value();
        assertThat(a.get("customer")).isNull();
        assertThat(a.get("items")).isNull();
        assertThat(a.get("tags")).isNull();

        Struct withNulls = order(
                "a@b.org",
                null,
                "x",
                Arrays.asList(null, item(null, "sku-1"), item("Bo", "sku-2")),
                Arrays.asList(null, "t"));
        withNulls.getStruct("customer").put("shipping_address", null);
        Struct b = (Struct) enc.apply(record(withNulls)).value();
        assertThat(b.getStruct("customer").get("phone")).isNull();
        assertThat(b.getStruct("customer").get("shipping_address")).isNull();
        List<Struct> items = b.getArray("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0)).isNull();
        assertThat(items.get(1).get("holder_name")).isNull();
        assertThat(core.decrypt("items[].holder_name", items.get(2).getString("holder_name")))
                .isEqualTo("bo");
        assertThat(b.<String>getArray("tags").get(0)).isNull();
        assertThat(b.getArray("items")).isNotNull();
        assertThat(((Struct) enc.apply(record(order("a@b.org", null, "x", List.of(), List.of())))
                                .value())
                        .getArray("items"))
                .isEmpty();
    }

    @Test
    void schemalessMapsAndListsToo() {
        Transformation<SourceRecord> enc = transform(
                "customer.email,items[].holder_name,tags[],matrix[][]",
                "canonicalize.customer.email",
                "email",
                "canonicalize.matrix[][]",
                "trim");
        Map<String, Object> item = new HashMap<>(Map.of("holder_name", "Ann", "sku", "s1"));
        Map<String, Object> v = new HashMap<>();
        v.put("customer", new HashMap<>(Map.of("email", "Ann@X.org")));
        v.put("items", Arrays.asList(item, null, new HashMap<>(Map.of("holder_name", "Ann"))));
        v.put("tags", List.of("a", "b"));
        v.put("matrix", List.of(List.of(" m1 "), List.of()));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>)
                enc.apply(new SourceRecord(null, null, "t", null, null, v)).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> customer = (Map<String, Object>) out.get("customer");
        assertThat(core.decrypt("customer.email", (String) customer.get("email")))
                .isEqualTo("ann@x.org");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) out.get("items");
        assertThat(items.get(1)).isNull();
        assertThat(items.get(0).get("holder_name")).isEqualTo(items.get(2).get("holder_name"));
        assertThat(core.decrypt("items[].holder_name", (String) items.get(0).get("holder_name")))
                .isEqualTo("Ann");
        assertThat(items.get(0).get("sku")).isEqualTo("s1");
        assertThat(core.decrypt("tags[]", (String) ((List<?>) out.get("tags")).get(1)))
                .isEqualTo("b");
        assertThat(core.decrypt("matrix[][]", (String) ((List<?>) ((List<?>) out.get("matrix")).get(0)).get(0)))
                .isEqualTo("m1");
        assertThat(item.get("holder_name")).as("input untouched").isEqualTo("Ann");
    }

    /** Today's flat configs: the associated data is still <associated.data>.<field>, so ciphertexts are the same. */
    @Test
    void flatConfigsGiveTheSameCiphertextsAsBefore() {
        Transformation<SourceRecord> enc = transform(
                "ip,device_id",
                "associated.data",
                "user_logins",
                "canonicalize.ip",
                "ip",
                "canonicalize.device_id",
                "identifier");
        Struct out = (Struct) enc.apply(LoginRecords.record(LoginRecords.login(" 10.1.2.3", "DEV-1")))
                .value();
        PiiCipher logins =
                PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        assertThat(logins.associatedData("ip")).isEqualTo("user_logins.ip");
        assertThat(out.getString("ip")).isEqualTo(logins.encrypt("ip", "10.1.2.3"));
        assertThat(out.getString("device_id")).isEqualTo(logins.encrypt("device_id", "dev-1"));
        assertThat(logins.associatedData("items[].holder_name")).isEqualTo("user_logins.items[].holder_name");
    }

    /**
     * NFKC expands U+FDFA to 18 code points: a nested array leaf past its bound dead-letters the record like a
     * flat field, naming the path and the sizes, never the value; without a dead-letter topic it fails the record
     * (a DataException) as before. A maxLength on a nested leaf's schema is enforced too.
     */
    @Test
    void anOversizeNestedLeafDeadLettersTheRecord() {
        String poison = "\uFDFA".repeat(1_000);
        SourceRecord in = record(order("a@b.org", null, "x", List.of(item("ok", "s"), item(poison, "s")), List.of()));
        SourceRecord out = encryptOrders().apply(in);
        assertThat(out.topic()).isEqualTo("orders.dlq");
        assertThat(out.valueSchema()).isEqualTo(DeadLetters.SCHEMA);
        String error = ((Struct) out.value()).getString("error");
        assertThat(error)
                .contains("'items[].holder_name'")
                .contains("UTF-8 bytes")
                .doesNotContain("\uFDFA")
                .doesNotContain("ok");
        assertThat(out.headers().lastWithName(DeadLetters.H_ERROR_REASON).value())
                .isEqualTo(DeadLetters.REASON);

        SourceRecord tooLong = record(order("a@b.org", null, "s".repeat(41), List.of(), List.of()));
        Struct dl = (Struct) encryptOrders().apply(tooLong).value();
        assertThat(dl.getString("error"))
                .contains("'customer.shipping_address.street'")
                .contains("maxLength 40");

        Transformation<SourceRecord> strict =
                transform("items[].holder_name", "canonicalize.items[].holder_name", "identifier");
        assertThatThrownBy(() -> strict.apply(in))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("items[].holder_name")
                .hasMessageNotContaining("\uFDFA");
    }

    @Test
    void pathSyntaxAndCanonicalizeKeysAreChecked() {
        for (String bad : new String[] {"items[", "items]", "a[]b", "[]", "a.[]", "a[x]", "a..b", "a."}) {
            assertThatThrownBy(() -> transform("ip," + bad))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("entry 2 is not a field path");
        }
        assertThatThrownBy(() -> transform("items,items[].holder_name"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parent");
        assertThatThrownBy(() -> transform("tags[],tags[].x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parent");
        // canonicalize.<path> names the path exactly as in fields
        assertThatThrownBy(() -> transform("items[].holder_name", "canonicalize.items.holder_name", "trim"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("names no field");
        assertThatThrownBy(() -> transform("customer.phone", "phone.default.region", "Atlantis"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("phone.default.region")
                .hasMessageNotContaining("Atlantis");
        assertThatThrownBy(() -> transform("customer.email", "email.local.case", "upper"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("lower, preserve")
                .hasMessageNotContaining("upper");
    }

    @Test
    void phoneRegionAndLocalCaseSettings() {
        Transformation<SourceRecord> enc = transform(
                "customer.email,customer.phone",
                "canonicalize.customer.email",
                "email",
                "canonicalize.customer.phone",
                "phone",
                "email.local.case",
                "preserve",
                "phone.default.region",
                "ch");
        Struct c = ((Struct) enc.apply(record(order("Ann.Lee@Example.ORG", "044 668 18 00", "x", List.of(), List.of())))
                        .value())
                .getStruct("customer");
        assertThat(core.decrypt("customer.email", c.getString("email"))).isEqualTo("Ann.Lee@example.org");
        assertThat(core.decrypt("customer.phone", c.getString("phone"))).isEqualTo("+41446681800");
        // a text that is no number is encrypted as given, not dropped
        Struct junk = ((Struct) enc.apply(record(order("x", "call me", "x", List.of(), List.of())))
                        .value())
                .getStruct("customer");
        assertThat(core.decrypt("customer.phone", junk.getString("phone"))).isEqualTo("call me");
        assertThat(core.decrypt("customer.email", junk.getString("email"))).isEqualTo("x");
    }
}
