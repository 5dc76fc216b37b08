package io.sqspii.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One dataset: its folder's dataset.json (queue, topics, tables, row key, key domain and keysets) and its compiled
 * event.schema.json. The single declaration the table, the catalog and the connector configs derive from.
 *
 * @param rowKey {@link #SQS_MESSAGE_ID} or a JSON Pointer into the event (e.g. /order_id)
 * @param keyDomain prefix of the per-field associated data ({@code <keyDomain>.<field path>}); the table by default
 * @param keysets keyset name per mode; the mode's own name by default
 */
public record Definition(
        String name,
        String queue,
        String topic,
        String deadLetterTopic,
        String table,
        String rejectedTable,
        String rowKey,
        String separator,
        String keyDomain,
        Map<PiiMode, String> keysets,
        SchemaNode event,
        JsonNode datasetJson,
        JsonNode schemaJson) {

    public static final String SQS_MESSAGE_ID = "sqs.message_id";
    static final String DATASET_FILE = "dataset.json";
    static final String SCHEMA_FILE = "event.schema.json";
    static final List<String> KEYS = List.of(
            "name",
            "description",
            "queue",
            "topic",
            "dead_letter_topic",
            "table",
            "rejected_table",
            "row_key",
            "column_separator",
            "key_domain",
            "keysets");

    /** Strict JSON: a repeated key would let two readers see two different definitions. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads and checks {@code folder}/dataset.json and {@code folder}/event.schema.json. */
    public static Definition load(Path folder) throws DefinitionException {
        JsonNode dataset = read(folder.resolve(DATASET_FILE));
        JsonNode schema = read(folder.resolve(SCHEMA_FILE));
        return of(dataset, schema);
    }

    /** From the two documents as parsed (the catalog keeps them, so an applied definition can be read back). */
    static Definition of(JsonNode dataset, JsonNode schema) throws DefinitionException {
        List<String> problems = new ArrayList<>();
        SchemaNode event = null;
        try {
            event = SchemaCompiler.compile(SCHEMA_FILE, schema);
        } catch (DefinitionException e) {
            problems.addAll(e.problems());
        }
        if (!dataset.isObject()) {
            problems.add(DATASET_FILE + "#: must be a JSON object");
            throw new DefinitionException(problems);
        }
        for (Iterator<String> it = dataset.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                problems.add(DATASET_FILE + "#/" + Names.token(k) + ": unsupported key; the supported keys are "
                        + String.join(", ", KEYS));
            }
        }
        String name = text(dataset, "name", null, problems);
        String table = text(dataset, "table", name, problems);
        String queue = text(dataset, "queue", null, problems);
        String topic = text(dataset, "topic", null, problems);
        String dlq = text(dataset, "dead_letter_topic", topic == null ? null : topic + ".dlq", problems);
        String rejected = text(dataset, "rejected_table", table == null ? null : table + "_rejected", problems);
        String rowKey = text(dataset, "row_key", SQS_MESSAGE_ID, problems);
        String separator = text(dataset, "column_separator", "_", problems);
        String keyDomain = text(dataset, "key_domain", table, problems);
        text(dataset, "description", "", problems);
        for (String[] t : new String[][] {{"name", name}, {"table", table}, {"rejected_table", rejected}}) {
            if (t[1] != null && (!Names.IDENTIFIER.matcher(t[1]).matches() || t[1].length() > Names.MAX_TABLE)) {
                problems.add(DATASET_FILE + "#/" + t[0] + ": must be a lower-case identifier ([a-z_][a-z0-9_]*) of at "
                        + "most " + Names.MAX_TABLE + " characters");
            }
        }
        if (table != null && table.equals(rejected)) {
            problems.add(DATASET_FILE + "#/rejected_table: must differ from table");
        }
        for (String[] t : new String[][] {{"queue", queue}, {"topic", topic}, {"dead_letter_topic", dlq}}) {
            if (t[1] != null && !t[1].matches("[A-Za-z0-9._-]{1,249}")) {
                problems.add(DATASET_FILE + "#/" + t[0] + ": must be 1 to 249 characters of A-Z a-z 0-9 . _ -");
            }
        }
        if (topic != null && topic.equals(dlq)) {
            problems.add(DATASET_FILE + "#/dead_letter_topic: must differ from topic");
        }
        if (separator != null && !separator.matches("[a-z0-9_]{1,3}")) {
            problems.add(DATASET_FILE + "#/column_separator: must be 1 to 3 characters of a-z 0-9 _");
        }
        if (keyDomain != null && !Names.DOMAIN.matcher(keyDomain).matches()) {
            problems.add(DATASET_FILE + "#/key_domain: a key domain is a lower-case name ([a-z][a-z0-9_]*)");
        }
        if (rowKey != null && !rowKey.equals(SQS_MESSAGE_ID) && !rowKey.startsWith("/")) {
            problems.add(DATASET_FILE + "#/row_key: must be \"" + SQS_MESSAGE_ID + "\" or a JSON Pointer into the "
                    + "event (e.g. /order_id)");
        }
        Map<PiiMode, String> keysets = new EnumMap<>(PiiMode.class);
        for (PiiMode m : PiiMode.values()) {
            keysets.put(m, m.id());
        }
        JsonNode ks = dataset.get("keysets");
        if (ks != null) {
            if (!ks.isObject()) {
                problems.add(DATASET_FILE + "#/keysets: must be an object of mode -> keyset name");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = ks.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    PiiMode m = mode(e.getKey());
                    if (m == null) {
                        problems.add(DATASET_FILE + "#/keysets/" + Names.token(e.getKey())
                                + ": not a mode (deterministic, randomized, hmac)");
                    } else if (!e.getValue().isTextual()
                            || !Names.isIdentifier(e.getValue().asText())) {
                        problems.add(DATASET_FILE + "#/keysets/" + e.getKey()
                                + ": a keyset name is a lower-case identifier");
                    } else {
                        keysets.put(m, e.getValue().asText());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new Definition(
                name,
                queue,
                topic,
                dlq,
                table,
                rejected,
                rowKey,
                separator,
                keyDomain,
                Map.copyOf(keysets),
                event,
                dataset,
                schema);
    }

    private static PiiMode mode(String id) {
        for (PiiMode m : PiiMode.values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    private static String text(JsonNode o, String key, String dflt, List<String> problems) {
        JsonNode v = o.get(key);
        if (v == null) {
            if (dflt == null) {
                problems.add(DATASET_FILE + "#: " + key + " is required");
            }
            return dflt;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            problems.add(DATASET_FILE + "#/" + key + ": must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    /** Parse errors name the file and position only: Jackson's own message may quote the offending text. */
    private static JsonNode read(Path file) throws DefinitionException {
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            return n == null ? JSON.nullNode() : n;
        } catch (NoSuchFileException e) {
            throw new DefinitionException(List.of(file.getFileName() + ": missing (" + file + ")"));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new DefinitionException(List.of(file.getFileName() + ": not valid JSON" + at));
        } catch (IOException e) {
            throw new DefinitionException(List.of(
                    file.getFileName() + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** dataset.json and event.schema.json in one document, as the catalog stores what was applied. */
    ObjectNode documents() {
        ObjectNode o = JSON.createObjectNode();
        o.set(DATASET_FILE, datasetJson);
        o.set(SCHEMA_FILE, schemaJson);
        return o;
    }
}
