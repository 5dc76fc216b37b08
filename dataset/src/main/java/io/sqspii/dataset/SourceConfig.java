package io.sqspii.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The SQS source connector config of a dataset: the queue, the event schema (inline, so a new definition reaches the
 * tasks with the config), and the transform chain that turns an event into a row of the dataset's table before
 * anything reaches Kafka:
 * <ol>
 *   <li>one {@code EncryptFields} per way of protecting (mode, keyset, key domain, phone region), over the PII
 *       leaves' paths with their canonical forms; a value past its bound makes the record a dead letter;</li>
 *   <li>{@code encryptBody}: the whole body of a dead letter (randomized, bound to the rejected table);</li>
 *   <li>{@code flatten} (Kafka's Flatten): nested objects to columns joined by the dataset's separator;</li>
 *   <li>{@code rename} (Kafka's ReplaceField): PII leaves to their ciphertext columns, the body to encrypted_body;</li>
 *   <li>{@code arraysToJson}: arrays to JSON text for their jsonb columns (PII inside stays ciphertext in place);</li>
 *   <li>{@code created} (Kafka's InsertField): create_date from the record timestamp (SQS SentTimestamp).</li>
 * </ol>
 * Records go out as plain JSON without a schema envelope; the sinks read them with the row schema the definition
 * gives ({@link RowSchema}). Deployment values are worker config-provider references, resolved on the worker.
 */
final class SourceConfig {

    static final String CONNECTOR_CLASS = "io.sqspii.sqs.SqsSourceConnector";
    static final String ENCRYPT = "io.sqspii.pii.EncryptFields$Value";
    static final String FLATTEN = "org.apache.kafka.connect.transforms.Flatten$Value";
    static final String RENAME = "org.apache.kafka.connect.transforms.ReplaceField$Value";
    static final String ARRAYS_TO_JSON = "io.sqspii.sqs.ArraysToJson$Value";
    static final String INSERT = "org.apache.kafka.connect.transforms.InsertField$Value";
    static final String HAS_HEADER_KEY = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";
    /** The header the source connector (and EncryptFields' oversize path) set on a dead letter. */
    static final String DEAD_LETTER_HEADER = "sqs.error.reason";

    static final String DEAD_LETTER = "isDeadLetter";
    /** Worker environment: the queue URL up to the queue name (https://sqs.eu-west-1.amazonaws.com/123456789012). */
    static final String QUEUE_URL_BASE = "SQS_QUEUE_URL_BASE";
    /** The dead-letter value's body field (the SQS source connector's dead-letter Struct). */
    static final String BODY = "body";

    private SourceConfig() {}

    /** {@code ${env:PII_<KEYSET>_KEYSET}}: the path of a keyset's file on the worker. */
    static String keysetEnv(String keyset) {
        return "PII_" + keyset.toUpperCase(Locale.ROOT) + "_KEYSET";
    }

    static Map<String, String> of(Layout l) {
        Definition d = l.definition();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        c.put("sqs.queue.url", "${env:" + QUEUE_URL_BASE + "}/" + d.queue());
        c.put("sqs.max.messages", "10");
        c.put("sqs.wait.time.seconds", "20");
        c.put("sqs.visibility.timeout.seconds", "60");
        // 20 polls of 10 near-1 MiB bodies each fit (connect-config/README.md, "Scaling")
        c.put("sqs.max.inflight.bytes", "268435456");
        c.put("topic", d.topic());
        c.put("dlq.topic", d.deadLetterTopic());
        c.put("message.format", "json");
        if (d.rowKey().equals(Definition.SQS_MESSAGE_ID)) {
            c.put("value.message.id.field", Layout.MESSAGE_ID);
        }
        c.put("value.schema", json(d));
        c.put("topic.creation.default.partitions", "6");
        c.put("topic.creation.default.replication.factor", "-1");
        c.put("topic.creation.default.max.message.bytes", "3145728");
        // The sinks know the row schema from the definition: no schema envelope on every record.
        c.put("value.converter", RowSchema.JSON_CONVERTER);
        c.put("value.converter.schemas.enable", "false");

        List<String> aliases = new ArrayList<>();
        for (Group g : groups(l.pii())) {
            String alias = unique(aliases, g.alias());
            String p = "transforms." + alias + ".";
            c.put(p + "type", ENCRYPT);
            c.put(
                    p + "fields",
                    String.join(
                            ",",
                            g.fields.stream().map(Layout.PiiField::fieldPath).toList()));
            c.put(p + "mode", g.mode.id());
            keyset(c, p, g.keyset);
            c.put(p + "associated.data", g.domain);
            if (g.shared) {
                c.put(p + "associated.data.mode", "constant");
            }
            for (Layout.PiiField f : g.fields) {
                if (f.canonical() != Canonical.NONE) {
                    c.put(p + "canonicalize." + f.fieldPath(), f.canonical().id());
                }
            }
            if (g.region != null) {
                c.put(p + "phone.default.region", g.region);
            }
            c.put(p + "oversize.dead.letter.topic", d.deadLetterTopic());
            validOnly(c, p);
        }
        Layout.PiiField body = l.rejectedPii().get(0);
        String b = "transforms." + unique(aliases, "encryptBody") + ".";
        c.put(b + "type", ENCRYPT);
        c.put(b + "fields", BODY);
        c.put(b + "mode", body.mode().id());
        keyset(c, b, body.keyset());
        c.put(b + "associated.data", body.keyDomain());
        c.put(b + "predicate", DEAD_LETTER);

        if (d.event().properties().stream().anyMatch(p -> p.node().kind() == SchemaNode.Kind.OBJECT)) {
            String f = "transforms." + unique(aliases, "flatten") + ".";
            c.put(f + "type", FLATTEN);
            c.put(f + "delimiter", d.separator());
            validOnly(c, f);
        }
        List<String> renames = new ArrayList<>();
        for (Layout.PiiField f : l.pii()) {
            String flat = flattened(f.jsonPointer(), d.separator());
            if (!f.inArray() && !flat.equals(f.column())) {
                renames.add(flat + ":" + f.column());
            }
        }
        renames.add(BODY + ":" + Layout.ENCRYPTED_BODY);
        String r = "transforms." + unique(aliases, "rename") + ".";
        c.put(r + "type", RENAME);
        c.put(r + "renames", String.join(",", renames));
        if (l.columns().stream().anyMatch(col -> col.sqlType().equals("jsonb"))) {
            String a = "transforms." + unique(aliases, "arraysToJson") + ".";
            c.put(a + "type", ARRAYS_TO_JSON);
            validOnly(c, a);
        }
        String t = "transforms." + unique(aliases, "created") + ".";
        c.put(t + "type", INSERT);
        c.put(t + "timestamp.field", Layout.CREATE_DATE);
        c.put("transforms", String.join(",", aliases));
        c.put("predicates", DEAD_LETTER);
        c.put("predicates." + DEAD_LETTER + ".type", HAS_HEADER_KEY);
        c.put("predicates." + DEAD_LETTER + ".name", DEAD_LETTER_HEADER);
        return reorder(c);
    }

    /** Connect lists transforms before their keys in the shipped files: keep that order for a reader. */
    private static Map<String, String> reorder(Map<String, String> c) {
        Map<String, String> out = new LinkedHashMap<>();
        c.forEach((k, v) -> {
            if (k.startsWith("transforms.") && !out.containsKey("transforms")) {
                out.put("transforms", c.get("transforms"));
            }
            if (k.startsWith("predicates.") && !out.containsKey("predicates")) {
                out.put("predicates", c.get("predicates"));
            }
            out.putIfAbsent(k, v);
        });
        return out;
    }

    private static void keyset(Map<String, String> c, String prefix, String keyset) {
        c.put(prefix + "keyset.file", "${env:" + keysetEnv(keyset) + "}");
        // development keysets are clear text; the deployment recipes turn this off and add the KMS key
        c.put(prefix + "keyset.allow.cleartext", "true");
    }

    /** The transform runs on valid records only (a dead letter carries the dead-letter header). */
    private static void validOnly(Map<String, String> c, String prefix) {
        c.put(prefix + "predicate", DEAD_LETTER);
        c.put(prefix + "negate", "true");
    }

    private static String unique(List<String> aliases, String alias) {
        String a = alias;
        for (int i = 2; aliases.contains(a); i++) {
            a = alias + i;
        }
        aliases.add(a);
        return a;
    }

    /** The name Flatten gives a value outside arrays: its pointer's tokens joined by the separator. */
    static String flattened(String jsonPointer, String separator) {
        return String.join(separator, jsonPointer.substring(1).split("/", -1));
    }

    /** PII leaves protected alike, in property order of their first leaf. */
    private static List<Group> groups(List<Layout.PiiField> pii) {
        List<Group> out = new ArrayList<>();
        for (Layout.PiiField f : pii) {
            boolean shared = f.associatedData().equals(f.keyDomain());
            Group g = new Group(f.mode(), f.keyset(), f.keyDomain(), shared, f.region());
            Group existing = out.stream().filter(g::equals).findFirst().orElse(null);
            if (existing == null) {
                out.add(g);
                existing = g;
            }
            existing.fields.add(f);
        }
        return out;
    }

    private static String json(Definition d) {
        try {
            return Definition.JSON.writeValueAsString(d.schemaJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One EncryptFields transform: equal by how it protects, not by its fields. */
    private static final class Group {
        final PiiMode mode;
        final String keyset;
        final String domain;
        final boolean shared;
        final String region;
        final List<Layout.PiiField> fields = new ArrayList<>();

        Group(PiiMode mode, String keyset, String domain, boolean shared, String region) {
            this.mode = mode;
            this.keyset = keyset;
            this.domain = domain;
            this.shared = shared;
            this.region = region;
        }

        String alias() {
            String m = mode.id();
            StringBuilder a = new StringBuilder("encrypt")
                    .append(Character.toUpperCase(m.charAt(0)))
                    .append(m.substring(1));
            if (shared) {
                a.append("In").append(camel(domain));
            }
            if (region != null) {
                a.append("Phone")
                        .append(region.charAt(0))
                        .append(region.substring(1).toLowerCase(Locale.ROOT));
            }
            return a.toString();
        }

        private static String camel(String name) {
            StringBuilder out = new StringBuilder();
            for (String part : name.split("_")) {
                if (!part.isEmpty()) {
                    out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
            return out.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group g
                    && g.mode == mode
                    && g.keyset.equals(keyset)
                    && g.domain.equals(domain)
                    && g.shared == shared
                    && Objects.equals(g.region, region);
        }

        @Override
        public int hashCode() {
            return Objects.hash(mode, keyset, domain, shared, region);
        }
    }
}
