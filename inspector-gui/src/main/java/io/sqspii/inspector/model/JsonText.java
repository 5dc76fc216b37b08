package io.sqspii.inspector.model;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** JSON cell values (jsonb columns): compact text, and where the PII values of an array cell are. */
public final class JsonText {

    // numbers kept exactly as stored (no double rounding)
    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonText() {}

    /** The document without insignificant white space ({@code [{"sku":"BK-001"}]}); text that is no JSON as is. */
    public static String compact(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    /**
     * The reveal paths of the PII values in an array cell: {@code /<element index><item pointer>} for every
     * element and every item pointer where a non-null value is stored, in element order.
     */
    public static List<String> arrayPaths(String json, List<String> itemPointers) {
        List<String> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        JsonNode array;
        try {
            array = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return out;
        }
        if (array == null || !array.isArray()) {
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            for (String pointer : itemPointers) {
                JsonNode v = array.get(i).at(JsonPointer.compile(pointer));
                if (!v.isMissingNode() && !v.isNull()) {
                    out.add("/" + i + pointer);
                }
            }
        }
        return out;
    }
}
