package io.sqspii.pipeline.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.sqspii.dataset.Definition;
import java.io.IOException;

/**
 * The tests' own reading of the source connector's input contract for any dataset: its event schema through a full
 * JSON Schema 2020-12 validator (formats asserted), strict JSON (no repeated key, nesting at most 32 deep) and no
 * U+0000 in a string. Says why a body must be rejected, with the connector's reason names, or null.
 */
final class ContractCheck {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private final Schema schema;

    ContractCheck(Definition definition) {
        this.schema = SchemaRegistry.withDefaultDialect(
                        SpecificationVersion.DRAFT_2020_12,
                        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()))
                .getSchema(definition.schemaJson().toString());
    }

    /** Null for a body that becomes a row, else the reason of its rejected row. */
    String rejection(String body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (StreamConstraintsException e) {
            return "json_limit_exceeded";
        } catch (JsonEOFException e) {
            return "truncated_json";
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).contains("Duplicate field") ? "duplicate_key" : "invalid_json";
        }
        if (root == null || !root.isObject()) {
            return "not_an_object";
        }
        if (holdsNul(root)) {
            return "nul_character";
        }
        return schema.validate(body, InputFormat.JSON).isEmpty() ? null : "schema_mismatch";
    }

    private static boolean holdsNul(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue().indexOf('\0') >= 0;
        }
        for (JsonNode child : n) {
            if (holdsNul(child)) {
                return true;
            }
        }
        return false;
    }
}
