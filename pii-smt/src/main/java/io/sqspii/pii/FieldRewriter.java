package io.sqspii.pii;

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
 * With a schema, the rewritten fields become optional strings; updated schemas are cached per input schema.
 */
final class FieldRewriter {
    /**
     * Turns one field value into text; {@code path} is the configured field path, {@code type} its type name,
     * {@code schema} the field's schema (null for schemaless values).
     */
    interface Op {
        String apply(String path, String type, Schema schema, Object value);
    }

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
            for (String seg : p.split("\\.")) {
                n = n.children.computeIfAbsent(seg, k -> new Node());
            }
            n.leafPath = p;
        }
    }

    // ---- with schema

    Schema updatedSchema(Schema schema) {
        Schema s = schemaCache.get(schema);
        if (s == null) {
            s = rewriteSchema(schema, root);
            schemaCache.put(schema, s);
        }
        return s;
    }

    private static Schema rewriteSchema(Schema schema, Node node) {
        SchemaBuilder b = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null) {
            b.parameters(schema.parameters());
        }
        for (Field f : schema.fields()) {
            Node child = node.children.get(f.name());
            if (child == null) {
                b.field(f.name(), f.schema());
            } else if (child.leafPath != null) {
                b.field(f.name(), Schema.OPTIONAL_STRING_SCHEMA);
            } else if (f.schema().type() == Schema.Type.STRUCT) {
                b.field(f.name(), rewriteSchema(f.schema(), child));
            } else {
                b.field(f.name(), f.schema()); // path does not continue in this schema: nothing to rewrite
            }
        }
        if (schema.isOptional()) {
            b.optional();
        }
        return b.build();
    }

    Struct rewrite(Struct value, Schema updated) {
        return rewrite(value, updated, root);
    }

    private Struct rewrite(Struct value, Schema updated, Node node) {
        Struct out = new Struct(updated);
        for (Field f : value.schema().fields()) {
            Object v = value.get(f);
            Node child = node.children.get(f.name());
            if (child == null || v == null) {
                out.put(f.name(), v);
            } else if (child.leafPath != null) {
                out.put(f.name(), op.apply(child.leafPath, f.schema().type().name(), f.schema(), v));
            } else if (v instanceof Struct s) {
                out.put(f.name(), rewrite(s, updated.field(f.name()).schema(), child));
            } else {
                out.put(f.name(), v);
            }
        }
        return out;
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
            Object v = e.getValue();
            Node child = node.children.get(key);
            if (child == null || v == null) {
                out.put(key, v);
            } else if (child.leafPath != null) {
                out.put(key, op.apply(child.leafPath, typeName(v), null, v));
            } else if (v instanceof Map<?, ?> m) {
                out.put(key, rewrite(m, child));
            } else {
                out.put(key, v);
            }
        }
        return out;
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
