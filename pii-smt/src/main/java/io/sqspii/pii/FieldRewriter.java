package io.sqspii.pii;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Rewrites the listed (possibly nested) fields of a Struct or schemaless Map, leaving the rest as is.
 * A path is dot-separated field names, each optionally followed by {@code []} (every element of that array, once
 * per array level): {@code customer.email}, {@code items[].holder_name}, {@code tags[]}. With a schema, the
 * rewritten leaves become optional strings (array elements: an array of optional strings); updated schemas are
 * cached per input schema. Null parents, elements and leaves stay null.
 */
final class FieldRewriter {
    /**
     * Turns one field value into text; {@code path} is the configured field path, {@code type} its type name,
     * {@code schema} the field's schema (null for schemaless values).
     */
    interface Op {
        String apply(String path, String type, Schema schema, Object value);
    }

    /** The tree segment of "every element" of an array. */
    static final String EACH = "[]";

    /** A level of the field-path tree: leaves are rewritten, branches are descended into. */
    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        String leafPath;
    }

    private final Node root = new Node();
    private final Op op;
    private final Cache<Schema, Schema> schemaCache = new SynchronizedCache<>(new LRUCache<>(16));

    FieldRewriter(List<String> paths, Op op) {
        this.op = op;
        for (String p : paths) {
            Node n = root;
            for (String seg : segments(p)) {
                n = n.children.computeIfAbsent(seg, k -> new Node());
            }
            n.leafPath = p;
        }
    }

    /** {@code items[].holder_name} → items, [], holder_name. The config validates the syntax. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("\\.", -1)) {
            int end = part.length();
            while (end >= 2 && part.startsWith(EACH, end - 2)) {
                end -= 2;
            }
            out.add(part.substring(0, end));
            for (int i = end; i < part.length(); i += 2) {
                out.add(EACH);
            }
        }
        return out;
    }

    // ---- with schema

    Schema updatedSchema(Schema schema) {
        Schema s = schemaCache.get(schema);
        if (s == null) {
            s = rewriteStruct(schema, root);
            schemaCache.put(schema, s);
        }
        return s;
    }

    private static Schema rewriteStruct(Schema schema, Node node) {
        SchemaBuilder b = SchemaBuilder.struct()
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc());
        if (schema.parameters() != null) {
            b.parameters(schema.parameters());
        }
        for (Field f : schema.fields()) {
            Node child = node.children.get(f.name());
            b.field(f.name(), child == null ? f.schema() : rewriteSchema(f.schema(), child));
        }
        if (schema.isOptional()) {
            b.optional();
        }
        return b.build();
    }

    /** The schema of a value that {@code node} reaches: a leaf's, a struct's or an array's. */
    private static Schema rewriteSchema(Schema schema, Node node) {
        if (node.leafPath != null) {
            return Schema.OPTIONAL_STRING_SCHEMA;
        }
        if (schema.type() == Schema.Type.STRUCT) {
            return rewriteStruct(schema, node);
        }
        Node each = node.children.get(EACH);
        if (schema.type() == Schema.Type.ARRAY && each != null) {
            SchemaBuilder b = SchemaBuilder.array(rewriteSchema(schema.valueSchema(), each))
                    .name(schema.name())
                    .version(schema.version())
                    .doc(schema.doc());
            if (schema.parameters() != null) {
                b.parameters(schema.parameters());
            }
            if (schema.isOptional()) {
                b.optional();
            }
            return b.build();
        }
        return schema; // the path does not continue in this schema: nothing to rewrite
    }

    Struct rewrite(Struct value, Schema updated) {
        return rewrite(value, updated, root);
    }

    private Struct rewrite(Struct value, Schema updated, Node node) {
        Struct out = new Struct(updated);
        for (Field f : value.schema().fields()) {
            Object v = value.get(f);
            Node child = node.children.get(f.name());
            out.put(
                    f.name(),
                    child == null
                            ? v
                            : rewrite(v, f.schema(), updated.field(f.name()).schema(), child));
        }
        return out;
    }

    /** A value that {@code node} reaches, of schema {@code schema}, as of schema {@code updated}. */
    private Object rewrite(Object v, Schema schema, Schema updated, Node node) {
        if (v == null) {
            return null;
        }
        if (node.leafPath != null) {
            return op.apply(node.leafPath, schema.type().name(), schema, v);
        }
        if (v instanceof Struct s) {
            return rewrite(s, updated, node);
        }
        Node each = node.children.get(EACH);
        if (v instanceof List<?> list && each != null && schema.type() == Schema.Type.ARRAY) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(rewrite(e, schema.valueSchema(), updated.valueSchema(), each));
            }
            return out;
        }
        return v;
    }

    // ---- schemaless

    Map<String, Object> rewrite(Map<?, ?> value) {
        return rewrite(value, root);
    }

    private Map<String, Object> rewrite(Map<?, ?> value, Node node) {
        Map<String, Object> out = new HashMap<>(Math.max(16, value.size() * 2));
        for (Map.Entry<?, ?> e : value.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new DataException("schemaless record has a map key that is not a string ("
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()) + ")");
            }
            Node child = node.children.get(key);
            out.put(key, child == null ? e.getValue() : rewrite(e.getValue(), child));
        }
        return out;
    }

    private Object rewrite(Object v, Node node) {
        if (v == null) {
            return null;
        }
        if (node.leafPath != null) {
            return op.apply(node.leafPath, typeName(v), null, v);
        }
        if (v instanceof Map<?, ?> m) {
            return rewrite(m, node);
        }
        Node each = node.children.get(EACH);
        if (v instanceof List<?> list && each != null) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(rewrite(e, each));
            }
            return out;
        }
        return v;
    }

    /** Type names for schemaless values, in Connect's vocabulary where there is one. */
    static String typeName(Object v) {
        if (v instanceof String) {
            return "STRING";
        }
        Schema.Type t = org.apache.kafka.connect.data.ConnectSchema.schemaType(v.getClass());
        return t != null ? t.name() : v.getClass().getSimpleName();
    }
}
