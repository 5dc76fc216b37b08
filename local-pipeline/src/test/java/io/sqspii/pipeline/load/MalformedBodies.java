package io.sqspii.pipeline.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Random;

/**
 * Junk bodies of each {@link SyntheticLogins.Kind}. Each is one line, non-empty and valid UTF-8 without
 * unpaired surrogates: SQS itself refuses anything else at send time, so such bodies never reach a queue.
 */
final class MalformedBodies {

    /** One more than the connector's (and the contract's) maximum nesting depth of 32, plus a margin. */
    private static final int MIN_DEPTH = 40;

    private MalformedBodies() {}

    static String body(SyntheticLogins.Kind kind, LoginPool pool, Random rnd) {
        ObjectNode login = pool.next();
        return switch (kind) {
            case WRONG_FORMAT -> "{\"foo\":\"oops_wrong_msg_format\"}";
            case TRUNCATED -> {
                // Any proper prefix of an object's text lacks the closing brace, so it never parses.
                String text = Json.write(login);
                yield text.substring(0, 1 + rnd.nextInt(text.length() - 1));
            }
            case NOT_JSON -> notJson(login, rnd);
            case ARRAY -> Json.write(Json.MAPPER.createArrayNode().add(login));
            case WRONG_TYPE ->
                Json.write(login.put(
                        "app_version",
                        Integer.parseInt(login.get("app_version").asText().replace(".", ""))));
            case MISSING_USER_ID -> {
                login.remove("user_id");
                yield Json.write(login);
            }
            case DUPLICATE_KEY ->
                Json.write(g -> {
                    g.writeStartObject();
                    writeFields(g, login);
                    // A second ip: which one wins depends on the parser, so the contract rejects the body.
                    g.writeStringField("ip", Ips.ipv4(rnd));
                    g.writeEndObject();
                });
            case NUL_CHARACTER -> {
                String id = login.get("device_id").asText();
                yield Json.write(login.put("device_id", id.substring(0, 3) + '\0' + id.substring(3)));
            }
            case TOO_DEEP ->
                Json.write(g -> {
                    g.writeStartObject();
                    writeFields(g, login);
                    g.writeFieldName("context");
                    int depth = MIN_DEPTH + rnd.nextInt(24);
                    for (int i = 0; i < depth; i++) {
                        g.writeStartArray();
                    }
                    g.writeString("x");
                    for (int i = 0; i < depth; i++) {
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                });
            case IP_AS_NUMBER -> Json.write(login.put("ip", pool.ipv4Number()));
            case VALID -> throw new IllegalArgumentException("not a malformed kind: " + kind);
        };
    }

    private static String notJson(ObjectNode login, Random rnd) {
        String user = login.get("user_id").asText();
        String ip = login.get("ip").asText();
        String device = login.get("device_id").asText();
        return switch (rnd.nextInt(3)) {
            case 0 -> "user_id=" + user + "&ip=" + ip + "&device_id=" + device; // a form post forwarded as is
            case 1 -> "<login><user_id>" + user + "</user_id><ip>" + ip + "</ip></login>";
            default -> "{'user_id': '" + user + "', 'ip': '" + ip + "', 'locale': None}"; // a Python dict's repr
        };
    }

    private static void writeFields(JsonGenerator g, JsonNode login) throws IOException {
        for (Map.Entry<String, JsonNode> field : login.properties()) {
            g.writeFieldName(field.getKey());
            Json.MAPPER.writeTree(g, field.getValue());
        }
    }
}
