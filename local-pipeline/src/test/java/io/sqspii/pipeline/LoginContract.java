package io.sqspii.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * The test's own reading of the input contract (docs/design.md §2, datasets/user_logins/event.schema.json),
 * written independently of the connector: which bodies must become rows and which must be rejected.
 */
final class LoginContract {

    static final List<String> REQUIRED = List.of("user_id", "app_version", "device_type", "ip", "device_id");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private LoginContract() {}

    /** The parsed login, or null when the body must be rejected. */
    static JsonNode validLogin(String body) {
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String field : REQUIRED) {
            if (!node.path(field).isTextual() || node.get(field).asText().indexOf('\0') >= 0) {
                return null;
            }
        }
        JsonNode locale = node.get("locale");
        if (locale != null
                && !locale.isNull()
                && (!locale.isTextual() || locale.asText().indexOf('\0') >= 0)) {
            return null;
        }
        return node;
    }
}
