package io.sqspii.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every value of an event is stored: objects are flattened into columns (names joined by the dataset's
 * separator), arrays become one jsonb column each, and PII leaves are stored as ciphertext, in their own column
 * ({@code masked_<flattened name>} unless x-pii names one) or, inside an array, in place in the array's column.
 * A pure function of the definition.
 */
record Layout(
        Definition definition,
        String keyColumn,
        List<Column> columns,
        List<PiiField> pii,
        List<Column> rejectedColumns,
        List<PiiField> rejectedPii) {

    static final String MESSAGE_ID = "message_id";
    static final String CREATE_DATE = "create_date";
    static final String ENCRYPTED_BODY = "encrypted_body";
    static final String PII_PREFIX = "masked_";

    /**
     * One column. {@code schemaPointer} is the property it stores (null for the row key from SQS and create_date);
     * {@code ciphertext}: the column is written by the PII transform (a PII leaf, or an array with PII inside).
     */
    record Column(String name, String sqlType, boolean notNull, String schemaPointer, boolean ciphertext) {}

    /**
     * One PII value and how it is protected. {@code jsonPointer}: from the event root to the value or, inside an
     * array, to the array; {@code itemPointer}: null outside arrays, else from each element to the value ("" = the
     * element itself).
     */
    record PiiField(
            String table,
            String column,
            String jsonPointer,
            String itemPointer,
            PiiMode mode,
            Canonical canonical,
            String region,
            String keyDomain,
            String associatedData,
            String keyset,
            String schemaPointer) {

        boolean inArray() {
            return itemPointer != null;
        }

        /**
         * The value's path as the PII transform names it (its {@code fields} entry): dotted names, {@code []} for
         * every element of an array ({@code customer.email}, {@code items[].holder_name}, {@code tags[]}). The
         * transform binds a ciphertext of the own key domain to {@code <key domain>.<this path>}.
         */
        String fieldPath() {
            return TransformPath.of(jsonPointer, itemPointer);
        }
    }

    static Layout of(Definition d) throws DefinitionException {
        List<String> problems = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        List<PiiField> pii = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        String keyColumn;
        if (d.rowKey().equals(Definition.SQS_MESSAGE_ID)) {
            keyColumn = MESSAGE_ID;
            columns.add(new Column(MESSAGE_ID, "text", true, null, false));
            owners.put(MESSAGE_ID, "the row key (SQS MessageId)");
        } else {
            keyColumn = null;
        }
        owners.put(CREATE_DATE, "the row's create_date (SQS SentTimestamp)");
        new Flattener(d, columns, pii, owners, problems).object(d.event(), "", true);
        if (keyColumn == null) {
            keyColumn = fieldKey(d, columns, problems);
        }
        columns.add(new Column(CREATE_DATE, "timestamptz", true, null, false));
        Map<String, PiiField> shared = new HashMap<>();
        for (PiiField f : pii) {
            // A shared domain correlates equal values only if every use of it protects them alike.
            PiiField first = f.associatedData().equals(f.keyDomain()) ? shared.putIfAbsent(f.keyDomain(), f) : null;
            if (first != null
                    && (first.mode() != f.mode()
                            || first.canonical() != f.canonical()
                            || !java.util.Objects.equals(first.region(), f.region()))) {
                problems.add(Definition.SCHEMA_FILE + "#" + f.schemaPointer() + ": shared key domain " + f.keyDomain()
                        + " is used by " + Definition.SCHEMA_FILE + "#" + first.schemaPointer() + " with another mode, "
                        + "canonical form or region; use the same, or another domain");
            }
            if (!f.inArray()
                    && f.mode().indexed()
                    && indexName(d.table(), f.column()).length() > Names.MAX_IDENTIFIER) {
                problems.add(Definition.SCHEMA_FILE + "#" + f.schemaPointer() + ": its column name is too long for its "
                        + "hash index (" + indexName(d.table(), f.column())
                        + " exceeds 63 characters); set x-pii column");
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        List<Column> rejected = List.of(
                new Column(MESSAGE_ID, "text", true, null, false),
                new Column("error", "text", true, null, false),
                new Column(ENCRYPTED_BODY, "text", true, null, true),
                new Column(CREATE_DATE, "timestamptz", true, null, false));
        // The whole body of a rejected message, as the source connector's dead-letter transform encrypts it.
        List<PiiField> rejectedPii = List.of(new PiiField(
                d.rejectedTable(),
                ENCRYPTED_BODY,
                "",
                null,
                PiiMode.RANDOMIZED,
                Canonical.NONE,
                null,
                d.rejectedTable(),
                d.rejectedTable() + ".body",
                d.keysets().get(PiiMode.RANDOMIZED),
                null));
        return new Layout(d, keyColumn, List.copyOf(columns), List.copyOf(pii), rejected, rejectedPii);
    }

    static String indexName(String table, String column) {
        return table + "_" + column + "_hash";
    }

    /** The hash-indexed columns: deterministic and hmac ciphertexts, found by SQL equality. */
    List<String> hashIndexed() {
        List<String> out = new ArrayList<>();
        for (PiiField f : pii) {
            if (!f.inArray() && f.mode().indexed()) {
                out.add(f.column());
            }
        }
        return out;
    }

    Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private static String fieldKey(Definition d, List<Column> columns, List<String> problems) {
        String where = Definition.DATASET_FILE + "#/row_key: ";
        SchemaNode leaf = find(d.event(), d.rowKey());
        if (leaf == null) {
            problems.add(where + "names no property of the event (a JSON Pointer such as /order_id, outside arrays)");
            return null;
        }
        Column c = columns.stream()
                .filter(x -> leaf.schemaPointer().equals(x.schemaPointer()))
                .findFirst()
                .orElse(null);
        if (c == null
                || c.ciphertext()
                || !(c.sqlType().equals("text") || c.sqlType().equals("bigint"))
                || !c.notNull()) {
            problems.add(where + "the row key must be a required, non-nullable string or integer property that is "
                    + "not PII, outside arrays");
            return null;
        }
        return c.name();
    }

    private static SchemaNode find(SchemaNode node, String pointer) {
        SchemaNode at = node;
        for (String token : pointer.substring(1).split("/", -1)) {
            if (at.kind() != SchemaNode.Kind.OBJECT) {
                return null;
            }
            String name = token.replace("~1", "/").replace("~0", "~");
            at = at.properties().stream()
                    .filter(p -> p.name().equals(name))
                    .map(SchemaNode.Property::node)
                    .findFirst()
                    .orElse(null);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    /** Walks the schema once, producing columns in property order. */
    private record Flattener(
            Definition d, List<Column> columns, List<PiiField> pii, Map<String, String> owners, List<String> problems) {

        void object(SchemaNode o, String prefix, boolean present) {
            for (SchemaNode.Property p : o.properties()) {
                SchemaNode n = p.node();
                String flat = prefix.isEmpty() ? p.name() : prefix + d.separator() + p.name();
                // NOT NULL only where every enclosing object is itself required and non-nullable.
                boolean notNull = present && p.required() && !n.nullable();
                switch (n.kind()) {
                    case OBJECT -> object(n, flat, notNull);
                    case ARRAY -> {
                        add(new Column(flat, "jsonb", notNull, n.schemaPointer(), n.holdsPii()), n);
                        inner(n.items(), n.eventPointer(), flat);
                    }
                    default -> {
                        if (n.pii() != null) {
                            String column = n.pii().column() != null ? n.pii().column() : PII_PREFIX + flat;
                            add(new Column(column, "text", notNull, n.schemaPointer(), true), n);
                            pii.add(field(column, n.eventPointer(), null, n));
                        } else {
                            add(new Column(flat, sqlType(n), notNull, n.schemaPointer(), false), n);
                        }
                    }
                }
            }
        }

        /** PII leaves inside an array's elements: encrypted in place in the array's jsonb column. */
        void inner(SchemaNode n, String arrayPointer, String column) {
            if (n == null) {
                return;
            }
            if (n.pii() != null) {
                pii.add(field(column, arrayPointer, n.eventPointer(), n));
            }
            for (SchemaNode.Property p : n.properties()) {
                inner(p.node(), arrayPointer, column);
            }
        }

        private PiiField field(String column, String jsonPointer, String itemPointer, SchemaNode n) {
            PiiAnnotation a = n.pii();
            boolean shared = a.domain() != null && !a.domain().equals(d.keyDomain());
            String path = new PiiField(
                            d.table(),
                            column,
                            jsonPointer,
                            itemPointer,
                            a.mode(),
                            a.canonical(),
                            a.region(),
                            null,
                            null,
                            null,
                            null)
                    .fieldPath();
            // Own domain: <domain>.<field path>, so a ciphertext moved to another column does not decrypt there.
            // Shared domain: the domain alone, so equal values correlate across every dataset that opts in.
            String ad = shared ? a.domain() : d.keyDomain() + "." + path;
            return new PiiField(
                    d.table(),
                    column,
                    jsonPointer,
                    itemPointer,
                    a.mode(),
                    a.canonical(),
                    a.region(),
                    shared ? a.domain() : d.keyDomain(),
                    ad,
                    d.keysets().get(a.mode()),
                    n.schemaPointer());
        }

        private void add(Column c, SchemaNode n) {
            String where = Definition.SCHEMA_FILE + "#" + n.schemaPointer() + ": ";
            if (!Names.isIdentifier(c.name())) {
                problems.add(where + "its column name is longer than 63 characters; shorten the property names or "
                        + "the column_separator");
                return;
            }
            String owner = owners.putIfAbsent(c.name(), n.schemaPointer());
            if (owner != null) {
                problems.add(where + "its column " + c.name() + " is already the column of "
                        + (owner.startsWith("/") ? Definition.SCHEMA_FILE + "#" + owner : owner)
                        + "; rename a property or set x-pii column");
                return;
            }
            columns.add(c);
        }

        private static String sqlType(SchemaNode n) {
            return switch (n.kind()) {
                case INTEGER -> "bigint";
                case NUMBER -> "double precision";
                case BOOLEAN -> "boolean";
                case STRING ->
                    n.format() == null
                            ? "text"
                            : switch (n.format()) {
                                case "date-time" -> "timestamptz";
                                case "date" -> "date";
                                default -> "text"; // uuid, email, ipv4, ipv6: kept as sent
                            };
                default -> throw new IllegalStateException(n.kind().name());
            };
        }
    }
}
