package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/** The event-schema subset beyond flat objects: its Connect translation and how bodies are checked at any depth. */
class NestedEventSchemaTest {

    /** Stands for PII in a bad event: it must never reach a rejection message. */
    private static final String SECRET = "ZZ-secret-4111111111111111";

    private static final String SCHEMA = """
      {"title": "io.sqspii.Nested", "type": "object", "additionalProperties": false,
       "properties": {
         "id": {"type": "string", "format": "uuid"},
         "customer": {"type": "object", "description": "who", "additionalProperties": false, "properties": {
           "email": {"type": "string", "format": "email", "maxLength": 40,
                     "x-pii": {"mode": "deterministic", "canonical": "email"}},
           "ip4": {"type": ["string", "null"], "format": "ipv4"},
           "ip6": {"type": "string", "format": "ipv6"},
           "address": {"type": ["object", "null"], "properties": {
             "city": {"type": "string"},
             "geo": {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
                     "required": ["lat", "lon"]}},
             "required": ["city"]}},
           "required": ["email"]},
         "status": {"type": "string", "enum": ["placed", "paid"]},
         "level": {"type": ["integer", "null"], "enum": [1, 2, null]},
         "tags": {"type": "array", "maxItems": 3, "items": {"type": ["string", "null"], "maxLength": 5}},
         "items": {"type": "array", "items": {"type": "object", "properties": {
           "sku": {"type": "string"}, "qty": {"type": "integer"},
           "when": {"type": "string", "format": "date"}}, "required": ["sku", "qty"]}},
         "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
         "at": {"type": "string", "format": "date-time"}},
       "required": ["id", "customer", "items"]}
      """;

    private static final String VALID = """
      {"id": "2f1c7a4e-8a51-4c36-9d0e-5b7f3e9c1a20",
       "customer": {"email": "ada@example.com", "ip4": "10.0.0.1", "ip6": "2001:db8::1",
                    "address": {"city": "Springfield", "geo": {"lat": 1.5, "lon": -2}, "extra": "dropped"}},
       "status": "paid", "level": null, "tags": ["a", null, "bc"],
       "items": [{"sku": "BK-1", "qty": 2, "when": "2026-12-04"}, {"sku": "BK-2", "qty": 1}],
       "matrix": [[1, 2], []], "at": "2026-11-30T09:14:02Z"}
      """;

    private static BodyConverter converter() throws Exception {
        return new BodyConverter(JsonValueSchema.compile(SCHEMA, "message_id"), 1 << 16, 16);
    }

    @Test
    void nestedObjectsAndArraysTranslateToStructsAndArrays() throws Exception {
        Schema s = JsonValueSchema.compile(SCHEMA, "message_id").connectSchema();
        assertThat(s.name()).isEqualTo("io.sqspii.Nested");
        assertThat(s.fields())
                .extracting(f -> f.name())
                .containsExactly("id", "customer", "status", "level", "tags", "items", "matrix", "at", "message_id");
        Schema customer = s.field("customer").schema();
        assertThat(customer.type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(customer.isOptional()).isFalse();
        assertThat(customer.doc()).isEqualTo("who");
        assertThat(customer.field("email").schema().parameters())
                .containsEntry(JsonValueSchema.MAX_LENGTH_PARAMETER, "40");
        assertThat(customer.field("email").schema().isOptional()).isFalse();
        assertThat(customer.field("ip4").schema().isOptional()).isTrue();
        Schema address = customer.field("address").schema();
        assertThat(address.isOptional()).as("nullable object").isTrue();
        assertThat(address.field("geo").schema().field("lat").schema().type()).isEqualTo(Schema.Type.FLOAT64);
        assertThat(address.field("geo").schema().isOptional())
                .as("not required")
                .isTrue();
        Schema tags = s.field("tags").schema();
        assertThat(tags.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(tags.valueSchema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(tags.valueSchema().isOptional()).as("nullable elements").isTrue();
        Schema items = s.field("items").schema();
        assertThat(items.isOptional()).isFalse();
        assertThat(items.valueSchema().type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(items.valueSchema().field("when").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(items.valueSchema().field("qty").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(s.field("matrix").schema().valueSchema().valueSchema().type())
                .isEqualTo(Schema.Type.INT64);
        assertThat(s.field("at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(s.field("message_id").schema()).isEqualTo(Schema.STRING_SCHEMA);
    }

    @Test
    void aConformingEventBecomesAStructAtEveryDepth() throws Exception {
        BodyConverter.Outcome o = converter().convert(VALID);
        assertThat(o.rejection()).isNull();
        Struct v = (Struct) o.value();
        v.put("message_id", "m-1");
        v.validate();
        Struct customer = v.getStruct("customer");
        assertThat(customer.getString("email")).isEqualTo("ada@example.com");
        assertThat(customer.getString("ip6")).isEqualTo("2001:db8::1");
        assertThat(customer.getStruct("address").schema().field("extra"))
                .as("undeclared: dropped")
                .isNull();
        assertThat(customer.getStruct("address").getStruct("geo").getFloat64("lon"))
                .isEqualTo(-2.0);
        assertThat(v.getArray("tags")).containsExactly("a", null, "bc");
        List<Struct> items = v.getArray("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("when"))
                .isEqualTo(
                        new java.util.Date(java.time.LocalDate.of(2026, 12, 4).toEpochDay() * 86_400_000L));
        assertThat(items.get(1).get("when")).isNull();
        assertThat(v.getArray("matrix")).containsExactly(List.of(1L, 2L), List.of());
        assertThat(v.get("level")).isNull();
    }

    @Test
    void everyRejectionNamesThePointerOfTheValueAndQuotesNoValue() throws Exception {
        BodyConverter c = converter();
        String s = SECRET;
        assertThat(reject(c, VALID.replace("\"ada@example.com\"", "42")))
                .isEqualTo("/customer/email: expected a string, got an integer");
        assertThat(reject(c, VALID.replace("\"ada@example.com\"", "\"" + s + "\"")))
                .isEqualTo("/customer/email: expected an email address (local-part@host.name)");
        assertThat(reject(c, VALID.replace("\"ada@example.com\"", "\"" + s + "@" + "x".repeat(30) + ".com\"")))
                .isEqualTo("/customer/email: 61 characters, more than its maxLength 40");
        assertThat(reject(c, VALID.replace("\"sku\": \"BK-2\", ", ""))).isEqualTo("/items/1/sku: required");
        assertThat(reject(c, VALID.replace("\"qty\": 1", "\"qty\": \"" + s + "\"")))
                .isEqualTo("/items/1/qty: expected an integer, got a string");
        assertThat(reject(c, VALID.replace("2026-12-04", s)))
                .isEqualTo("/items/0/when: expected an RFC 3339 full-date (YYYY-MM-DD)");
        assertThat(reject(c, VALID.replace("2026-12-04", "2026-02-30")))
                .isEqualTo("/items/0/when: expected an RFC 3339 full-date (YYYY-MM-DD)");
        assertThat(reject(c, VALID.replace("\"paid\"", "\"" + s + "\"")))
                .isEqualTo("/status: not one of the enum values");
        assertThat(reject(c, VALID.replace("\"level\": null", "\"level\": 3")))
                .isEqualTo("/level: not one of the enum values");
        assertThat(reject(c, VALID.replace("\"10.0.0.1\"", "\"10.0.0.256\"")))
                .isEqualTo("/customer/ip4: expected an IPv4 address in dotted-quad form");
        assertThat(reject(c, VALID.replace("\"2001:db8::1\"", "\"2001:db8::1::" + s + "\"")))
                .isEqualTo("/customer/ip6: expected an IPv6 address");
        assertThat(reject(c, VALID.replace("\"2001:db8::1\"", "\"1:2:3:4:5:6:7:8:9\"")))
                .isEqualTo("/customer/ip6: expected an IPv6 address");
        assertThat(reject(c, VALID.replace("\"2f1c7a4e-8a51-4c36-9d0e-5b7f3e9c1a20\"", "\"" + s + "\"")))
                .isEqualTo("/id: expected a UUID (8-4-4-4-12 hexadecimal digits)");
        assertThat(reject(c, VALID.replace("\"bc\"", "\"" + s + "\"")))
                .isEqualTo("/tags/2: 26 characters, more than its maxLength 5");
        assertThat(reject(c, VALID.replace("[\"a\", null, \"bc\"]", "[\"a\", \"b\", \"c\", \"d\"]")))
                .isEqualTo("/tags: 4 items, more than its maxItems 3");
        assertThat(reject(c, VALID.replace("\"lat\": 1.5, ", ""))).isEqualTo("/customer/address/geo/lat: required");
        assertThat(reject(c, VALID.replace("\"lon\": -2", "\"lon\": null")))
                .isEqualTo("/customer/address/geo/lon: expected a number, got null");
        assertThat(reject(c, VALID.replace("[[1, 2], []]", "[[1, 2], [\"" + s + "\"]]")))
                .isEqualTo("/matrix/1/0: expected an integer, got a string");
        assertThat(reject(c, VALID.replace("\"ip4\": \"10.0.0.1\"", "\"ip4\": null, \"" + s + "\": 1")))
                .isEqualTo("/customer: has a property the schema does not declare (additionalProperties is false)");
        assertThat(reject(c, VALID.replace("[[1, 2], []]", "{\"" + s + "\": [1]}")))
                .isEqualTo("/matrix: expected an array, got an object");
        assertThat(reject(c, VALID.replace("Springfield", s + "\\u0000")))
                .isEqualTo("/customer/address/city: holds U+0000, which text columns cannot store");
        assertThat(reject(c, VALID.replace("2026-11-30T09:14:02Z", s)))
                .isEqualTo("/at: expected an RFC 3339 date-time with an offset");
    }

    @Test
    void nullableAtDepthTakesNullAndOnlyThere() throws Exception {
        BodyConverter c = converter();
        Struct v = (Struct) c.convert(VALID.replace(
                        "{\"city\": \"Springfield\", \"geo\": {\"lat\": 1.5, \"lon\": -2}, "
                                + "\"extra\": \"dropped\"}",
                        "null"))
                .value();
        assertThat(v.getStruct("customer").get("address")).isNull();
        assertThat(reject(c, VALID.replace("\"customer\": {", "\"customer\": null, \"x\": {")))
                .isEqualTo("/customer: expected an object, got null");
        assertThat(reject(c, VALID.replace("\"sku\": \"BK-1\"", "\"sku\": null")))
                .isEqualTo("/items/0/sku: expected a string, got null");
    }

    @Test
    void theShippedSchemasKeepCompiling() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Schema logins = JsonValueSchema.compile(
                        Files.readString(repo.resolve("datasets/user_logins/event.schema.json")), "message_id")
                .connectSchema();
        assertThat(logins.name()).isEqualTo("io.sqspii.UserLogin");
        assertThat(logins.fields())
                .extracting(f ->
                        f.name() + ":" + f.schema().type() + ":" + f.schema().isOptional())
                .containsExactly(
                        "user_id:STRING:false",
                        "device_type:STRING:false",
                        "ip:STRING:false",
                        "device_id:STRING:false",
                        "locale:STRING:true",
                        "app_version:STRING:false",
                        "message_id:STRING:false");
        assertThat(logins.fields())
                .allSatisfy(f -> assertThat(f.schema().parameters()).isNull());
        for (String d : List.of("orders", "user_logins")) {
            JsonValueSchema.compile(
                    Files.readString(repo.resolve("datasets/" + d + "/event.schema.json")), "message_id");
        }
    }

    private static String reject(BodyConverter c, String body) {
        BodyConverter.Outcome o = c.convert(body);
        assertThat(o.valid()).as(body).isFalse();
        assertThat(o.rejection().reason()).isIn(BodyConverter.R_SCHEMA, BodyConverter.R_NUL);
        assertThat(o.rejection().message())
                .doesNotContain(SECRET)
                .doesNotContain("ZZ-")
                .doesNotContain("4111");
        return o.rejection().message();
    }
}
