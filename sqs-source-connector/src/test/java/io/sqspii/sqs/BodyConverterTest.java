package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class BodyConverterTest {

    private static final String TYPED = """
      {"title": "io.sqspii.Typed", "$id": "urn:typed", "$comment": "c", "examples": [{}], "type": "object",
       "properties": {
         "name":  {"type": "string", "description": "a name", "format": "uuid",
                   "$comment": "annotations as today's schemas carry them", "examples": ["x"], "deprecated": false,
                   "readOnly": false, "writeOnly": false},
         "count": {"type": "integer"},
         "ratio": {"type": ["null", "number"]},
         "ok":    {"type": "boolean"},
         "at":    {"type": "string", "format": "date-time"}
       },
       "required": ["name", "count", "at"],
       "additionalProperties": false}
      """;

    private static final String UUID = "2f1c7a4e-8a51-4c36-9d0e-5b7f3e9c1a20";

    private static BodyConverter converter(String schema) throws Exception {
        return new BodyConverter(JsonValueSchema.compile(schema), 4096, 8);
    }

    @Test
    void theSchemaSubsetMapsToConnectTypes() throws Exception {
        Schema s = JsonValueSchema.compile(TYPED).connectSchema();
        assertThat(s.name()).isEqualTo("io.sqspii.Typed");
        assertThat(s.fields()).extracting(f -> f.name()).containsExactly("name", "count", "ratio", "ok", "at");
        assertThat(s.field("name").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(s.field("name").schema().isOptional()).isFalse();
        assertThat(s.field("name").schema().doc()).isEqualTo("a name");
        assertThat(s.field("count").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(s.field("ratio").schema().type()).isEqualTo(Schema.Type.FLOAT64);
        assertThat(s.field("ratio").schema().isOptional()).isTrue();
        assertThat(s.field("ok").schema().type()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(s.field("ok").schema().isOptional()).as("not required").isTrue();
        assertThat(s.field("at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
    }

    @Test
    void validBodiesBecomeStructs() throws Exception {
        BodyConverter c = converter(TYPED);
        BodyConverter.Outcome o =
                c.convert("{\"name\":\"" + UUID + "\",\"count\":-9007199254740993,\"ratio\":0.25,\"ok\":true,"
                        + "\"at\":\"2026-11-24T18:00:00.123+01:00\"}");
        assertThat(o.valid()).isTrue();
        Struct v = (Struct) o.value();
        v.validate();
        assertThat(v.getString("name")).isEqualTo(UUID);
        assertThat(v.getInt64("count")).isEqualTo(-9007199254740993L);
        assertThat(v.getFloat64("ratio")).isEqualTo(0.25);
        assertThat(v.getBoolean("ok")).isTrue();
        assertThat((Date) v.get("at")).isEqualTo(Date.from(java.time.Instant.parse("2026-11-24T17:00:00.123Z")));

        Struct sparse = (Struct)
                c.convert("{\"name\":\"" + UUID + "\",\"count\":1,\"ratio\":null,\"at\":\"2026-01-01T00:00:00Z\"}")
                        .value();
        assertThat(sparse.get("ratio")).isNull();
        assertThat(sparse.get("ok")).isNull();
        assertThat(c.convert("{\"name\":\"" + UUID + "\",\"count\":1,\"ratio\":3,\"at\":\"2026-01-01T00:00:00Z\"}")
                        .valid())
                .as("an integer is a number")
                .isTrue();
    }

    @Test
    void typeAndRangeViolationsAreRejectedWithoutQuotingTheBody() throws Exception {
        BodyConverter c = converter(TYPED);
        String ok = "{\"name\":\"" + UUID + "\",\"count\":1,\"at\":\"2026-01-01T00:00:00Z\"";
        assertThat(reject(c, ok.replace("\"count\":1", "\"count\":1.5") + "}"))
                .isEqualTo("/count: expected an integer, got a number");
        assertThat(reject(c, ok.replace("\"count\":1", "\"count\":\"1\"") + "}"))
                .isEqualTo("/count: expected an integer, got a string");
        assertThat(reject(c, ok.replace("\"count\":1", "\"count\":92233720368547758070") + "}"))
                .isEqualTo("/count: an integer outside the 64-bit range");
        assertThat(reject(c, ok + ",\"ratio\":1e400}")).isEqualTo("/ratio: a number outside the 64-bit float range");
        assertThat(reject(c, ok + ",\"ok\":\"yes\"}")).isEqualTo("/ok: expected a boolean, got a string");
        assertThat(reject(c, ok + ",\"ok\":null}")).isEqualTo("/ok: expected a boolean, got null");
        assertThat(reject(c, ok.replace("2026-01-01T00:00:00Z", "2026-01-01 00:00") + "}"))
                .isEqualTo("/at: expected an RFC 3339 date-time with an offset");
        assertThat(reject(c, ok.replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00") + "}"))
                .isEqualTo("/at: expected an RFC 3339 date-time with an offset");
        assertThat(reject(c, ok + ",\"secret-10.1.1.1\":1}"))
                .isEqualTo(
                        "the event: has a property the schema does not " + "declare (additionalProperties is false)");
        assertThat(reject(c, ok + ",\"x\":[[[[[[[[[1]]]]]]]]]}"))
                .isEqualTo("JSON nesting deeper than " + "json.max.nesting.depth=8");
        assertThat(reject(c, "")).isEqualTo("empty body");
        assertThat(reject(c, "   ")).isEqualTo("empty body");
        assertThat(reject(c, "\"10.1.1.1\"")).isEqualTo("expected a JSON object, got a string");
        assertThat(reject(c, "{'name':'10.1.1.1'}")).startsWith("not valid JSON (line 1, column ");
        assertThat(reject(c, "{\"name\":\"10.1.1.1\" // c\n}")).startsWith("not valid JSON");
        assertThat(reject(c, "{\"a\":{\"b\":1,\"b\":2}}")).isEqualTo("duplicate object key (line 1, column 16)");
        assertThat(reject(c, "{\"name\":\"x" + "y".repeat(5000) + "\"}"))
                .startsWith("body is 5012 bytes, more " + "than max.body.bytes=4096");
    }

    @Test
    void multiByteBodiesAreMeasuredInUtf8Bytes() throws Exception {
        BodyConverter c = new BodyConverter(null, 10, 8);
        assertThat(c.convert("ééééé").valid()).as("10 bytes").isTrue();
        assertThat(c.convert("éééééé").rejection().message())
                .isEqualTo("body is 12 bytes, more than " + "max.body.bytes=10");
        assertThat(c.convert("\uD83D\uDE00\uD83D\uDE00").valid())
                .as("2 emoji = 8 bytes")
                .isTrue();
        assertThat(BodyConverter.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(c.convert("not json").value())
                .as("string format keeps any body")
                .isEqualTo("not json");
    }

    @Test
    void unsupportedSchemasAreRefusedWithAReason() {
        assertThatThrownBy(() -> JsonValueSchema.compile("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"))
                .hasMessage("value schema#: the event must be an object (type \"object\")");
        assertThatThrownBy(() -> JsonValueSchema.compile("{\"type\":\"object\",\"properties\":{}}"))
                .hasMessage("value schema#: an object needs properties (a non-empty object)");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":" + "\"string\"}},\"required\":[\"b\"]}"))
                .hasMessage("value schema#/required/0: names a property that is not declared in properties");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":" + "[\"string\",\"integer\"]}}}"))
                .hasMessageStartingWith("value schema#/properties/a/type: type must be one of");
        assertThatThrownBy(() -> JsonValueSchema.compile("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
                        + "\"integer\",\"format\":\"int32\"}}}"))
                .hasMessage("value schema#/properties/a/format: format applies to string schemas only; "
                        + "value schema#/properties/a/format: unsupported format; the supported formats are date-time, date, "
                        + "uuid, email, ipv4, ipv6");
        assertThatThrownBy(() -> JsonValueSchema.compile("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
                        + "\"string\"},\"a\":{\"type\":\"string\"}}}"))
                .hasMessageStartingWith("the schema is not valid JSON");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"oneOf\":[],\"properties\":{\"a\":" + "{\"type\":\"string\"}}}"))
                .hasMessageStartingWith(
                        "value schema#/oneOf: unsupported keyword; the supported " + "keywords are type, properties");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"message_id\":" + "{\"type\":\"string\"}}}",
                        "message_id"))
                .hasMessageContaining("the message id needs a field of its own");
    }

    @Test
    void maxLengthIsEnforcedInCodePointsAndCarriedAsASchemaParameter() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"d\":{\"type\":\"string\",\"maxLength\":3}}}";
        Schema s = JsonValueSchema.compile(schema).connectSchema();
        assertThat(s.field("d").schema().parameters()).containsEntry(JsonValueSchema.MAX_LENGTH_PARAMETER, "3");
        BodyConverter c = new BodyConverter(JsonValueSchema.compile(schema), 4096, 8);
        assertThat(c.convert("{\"d\":\"\uD83D\uDE00ab\"}").valid()).isTrue(); // 3 code points, 4 UTF-16 units
        assertThat(reject(c, "{\"d\":\"secret\"}")).isEqualTo("/d: 6 characters, more than its maxLength 3");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":" + "\"integer\",\"maxLength\":3}}}"))
                .hasMessage("value schema#/properties/a/maxLength: maxLength applies to string schemas only");
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":" + "\"string\",\"maxLength\":-1}}}"))
                .hasMessageContaining("must be a non-negative integer");
    }

    private static final String BOUNDED = """
      {"type": "object",
       "properties": {
         "age":   {"type": "integer", "minimum": 0, "maximum": 120},
         "ratio": {"type": ["number", "null"], "exclusiveMinimum": 0, "exclusiveMaximum": 0.1},
         "big":   {"type": "integer", "minimum": 9007199254740993},
         "cap":   {"type": "number", "maximum": 9007199254740992},
         "half":  {"type": "integer", "exclusiveMaximum": 2.5, "exclusiveMinimum": -1e2},
         "code":  {"type": "string", "minLength": 2, "maxLength": 3},
         "tags":  {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
         "email": {"type": "string", "minLength": 40, "x-pii": {"mode": "deterministic", "canonical": "email"}}
       }}
      """;

    @Test
    void numbersOutsideTheirBoundsAreRejectedNamingTheBoundNotTheValue() throws Exception {
        BodyConverter c = converter(BOUNDED);
        for (String edge : new String[] {
            "\"age\":0",
            "\"age\":120",
            "\"ratio\":1e-300",
            "\"ratio\":0.09999999999999999",
            "\"ratio\":null",
            "\"big\":9007199254740993",
            "\"big\":9223372036854775807",
            "\"cap\":9007199254740992",
            "\"cap\":-1e308",
            "\"half\":2",
            "\"half\":-99"
        }) {
            assertThat(c.convert("{" + edge + "}").rejection()).as(edge).isNull();
        }
        assertThat(reject(c, "{\"age\":-1}")).isEqualTo("/age: below its minimum 0");
        assertThat(reject(c, "{\"age\":130}"))
                .isEqualTo("/age: above its maximum 120")
                .doesNotContain("130");
        assertThat(reject(c, "{\"age\":120.5}")).isEqualTo("/age: expected an integer, got a number");
        assertThat(reject(c, "{\"ratio\":0}")).isEqualTo("/ratio: not above its exclusiveMinimum 0");
        assertThat(reject(c, "{\"ratio\":-0.0}")).isEqualTo("/ratio: not above its exclusiveMinimum 0");
        assertThat(reject(c, "{\"ratio\":0.1}")).isEqualTo("/ratio: not below its exclusiveMaximum 0.1");
        assertThat(reject(c, "{\"ratio\":0.1000001}")).isEqualTo("/ratio: not below its exclusiveMaximum 0.1");
        // 2^53: equal to 2^53 + 1 as a double, not as a number
        assertThat(reject(c, "{\"big\":9007199254740992}")).isEqualTo("/big: below its minimum 9007199254740993");
        assertThat(reject(c, "{\"cap\":9007199254740993}")).isEqualTo("/cap: above its maximum 9007199254740992");
        assertThat(reject(c, "{\"half\":3}")).isEqualTo("/half: not below its exclusiveMaximum 2.5");
        assertThat(reject(c, "{\"half\":-100}")).isEqualTo("/half: not above its exclusiveMinimum -100");
        assertThat(reject(c, "{\"big\":92233720368547758070}"))
                .as("the range before the bound")
                .isEqualTo("/big: an integer outside the 64-bit range");
    }

    @Test
    void stringsAndArraysShorterThanTheirMinimumAreRejectedWithTheirLengthOnly() throws Exception {
        BodyConverter c = converter(BOUNDED);
        assertThat(c.convert("{\"code\":\"ab\",\"tags\":[\"x\"]}").valid()).isTrue();
        assertThat(c.convert("{\"code\":\"\uD83D\uDE00a\"}").valid())
                .as("2 code points")
                .isTrue();
        assertThat(reject(c, "{\"code\":\"\uD83D\uDE00\"}"))
                .isEqualTo("/code: 1 character, fewer than its minLength 2");
        assertThat(reject(c, "{\"code\":\"\"}")).isEqualTo("/code: 0 characters, fewer than its minLength 2");
        assertThat(reject(c, "{\"code\":\"abcd\"}")).isEqualTo("/code: 4 characters, more than its maxLength 3");
        assertThat(reject(c, "{\"tags\":[]}")).isEqualTo("/tags: 0 items, fewer than its minItems 1");
        assertThat(reject(c, "{\"tags\":[\"a\",\"b\",\"c\"]}")).isEqualTo("/tags: 3 items, more than its maxItems 2");
    }

    @Test
    void aPiiValueOutsideItsBoundsIsNotQuoted() throws Exception {
        BodyConverter c = converter(BOUNDED);
        String email = "QQsecret.ada@example.com";
        BodyConverter.Outcome o = c.convert("{\"email\":\"" + email + "\"}");
        assertThat(o.rejection().reason()).isEqualTo(BodyConverter.R_SCHEMA);
        assertThat(o.rejection().message())
                .isEqualTo("/email: 24 characters, fewer than its minLength 40")
                .doesNotContain(email)
                .doesNotContain("ada")
                .doesNotContain("example");
    }

    @Test
    void boundsOnTheWrongTypeOrContradictoryAreRefused() {
        assertThatThrownBy(() -> JsonValueSchema.compile(
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":" + "\"string\",\"minimum\":3}}}"))
                .hasMessage("value schema#/properties/a/minimum: minimum applies to integer and number schemas only");
        assertThatThrownBy(() -> JsonValueSchema.compile("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
                        + "\"integer\",\"minimum\":3,\"maximum\":2}}}"))
                .hasMessage("value schema#/properties/a: minimum is greater than maximum: no value fits");
    }

    private static String reject(BodyConverter c, String body) {
        BodyConverter.Outcome o = c.convert(body);
        assertThat(o.valid()).as(body).isFalse();
        assertThat(o.rejection().message()).doesNotContain("10.1.1.1").doesNotContain("secret");
        return o.rejection().message();
    }
}
