package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Arrays of a row-shaped record become JSON text for a jsonb column; everything else passes through. */
class ArraysToJsonTest {

    private static final String SCHEMA = """
      {"title": "io.sqspii.Basket", "type": "object", "properties": {
         "id": {"type": "string"},
         "items": {"type": "array", "items": {"type": "object", "properties": {
           "sku": {"type": "string"}, "qty": {"type": "integer"}, "price": {"type": "number"},
           "when": {"type": ["string", "null"], "format": "date"},
           "at": {"type": "string", "format": "date-time"},
           "gift": {"type": "object", "properties": {"to": {"type": "string"}}}}, "required": ["sku"]}},
         "tags": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
         "total": {"type": "number"}},
       "required": ["id", "items"]}
      """;

    private final ObjectMapper json = new ObjectMapper();

    private static SourceRecord record(String body) throws Exception {
        BodyConverter.Outcome o =
                new BodyConverter(JsonValueSchema.compile(SCHEMA, "message_id"), 1 << 16, 16).convert(body);
        assertThat(o.rejection()).isNull();
        Struct v = (Struct) o.value();
        v.put("message_id", "m-1");
        return new SourceRecord(Map.of(), Map.of(), "t", Schema.STRING_SCHEMA, "m-1", v.schema(), v);
    }

    private static ArraysToJson.Value<SourceRecord> transform() {
        ArraysToJson.Value<SourceRecord> t = new ArraysToJson.Value<>();
        t.configure(Map.of());
        return t;
    }

    @Test
    void arraysBecomeJsonTextWithIsoDatesAndNestedObjects() throws Exception {
        SourceRecord in = record("""
        {"id": "b-1", "total": 12.5, "tags": ["a", null],
         "items": [{"sku": "S1", "qty": 2, "price": 2.5, "when": "2026-12-04", "at": "2026-11-30T09:14:02.120Z",
                    "gift": {"to": "Bo"}},
                   {"sku": "S2", "when": null}]}
        """);
        SourceRecord out = transform().apply(in);
        Struct v = (Struct) out.value();
        Schema items = out.valueSchema().field("items").schema();
        assertThat(items.type()).isEqualTo(Schema.Type.STRING);
        assertThat(items.name()).isEqualTo("io.debezium.data.Json");
        assertThat(items.parameters()).containsEntry("__debezium.source.column.type", "JSONB");
        assertThat(items.isOptional()).isTrue();
        assertThat(json.readTree(v.getString("items"))).isEqualTo(json.readTree("""
        [{"sku": "S1", "qty": 2, "price": 2.5, "when": "2026-12-04", "at": "2026-11-30T09:14:02.120Z",
          "gift": {"to": "Bo"}},
         {"sku": "S2", "qty": null, "price": null, "when": null, "at": null, "gift": null}]
        """));
        assertThat(json.readTree(v.getString("tags"))).isEqualTo(json.readTree("[\"a\", null]"));
        assertThat(v.getString("id")).isEqualTo("b-1");
        assertThat(v.getFloat64("total")).isEqualTo(12.5);
        assertThat(out.valueSchema().field("total").schema())
                .isEqualTo(in.valueSchema().field("total").schema());
        v.validate();
    }

    @Test
    void aNullArrayStaysNullAndTheSchemaIsBuiltOncePerInputSchema() throws Exception {
        ArraysToJson.Value<SourceRecord> t = transform();
        SourceRecord a = t.apply(record("{\"id\": \"b-1\", \"items\": [], \"tags\": null}"));
        SourceRecord b = t.apply(record("{\"id\": \"b-2\", \"items\": [{\"sku\": \"x\"}]}"));
        assertThat(((Struct) a.value()).getString("tags")).isNull();
        assertThat(((Struct) a.value()).getString("items")).isEqualTo("[]");
        assertThat(a.valueSchema()).isSameAs(b.valueSchema());
    }

    @Test
    void aRecordWithoutArraysIsReturnedAsItIs() {
        Schema flat = SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).build();
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "t", null, null, flat, new Struct(flat).put("a", "x"));
        assertThat(transform().apply(in)).isSameAs(in);
    }

    @Test
    void schemalessMapsGetTheirListsAsJsonText() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        items.add(Map.of("sku", "S1"));
        items.add(null);
        value.put("items", items);
        value.put("id", "b-1");
        SourceRecord out = transform().apply(new SourceRecord(Map.of(), Map.of(), "t", null, null, null, value));
        Map<?, ?> v = (Map<?, ?>) out.value();
        assertThat(json.readTree((String) v.get("items"))).isEqualTo(json.readTree("[{\"sku\": \"S1\"}, null]"));
        assertThat(v.get("id")).isEqualTo("b-1");
    }

    @Test
    void aValueThatIsNoStructOrMapIsAClearError() {
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "t", null, null, Schema.STRING_SCHEMA, "secret-value");
        assertThatThrownBy(() -> transform().apply(in))
                .isInstanceOf(DataException.class)
                .hasMessageNotContaining("secret-value")
                .hasMessageContaining("STRING");
    }
}
