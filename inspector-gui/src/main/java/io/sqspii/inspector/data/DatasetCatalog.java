package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The datasets to browse, from the PII catalog (public.pii_datasets, public.pii_columns, written by `dataset
 * apply`) and PostgreSQL's own catalog: a table's columns, types and order from pg_attribute, its key from its
 * primary key, which columns lead a btree index, which hold PII and how from pii_columns, and whether this login
 * may read it. Nothing about a dataset is known in code: a dataset applied later is found by reading again.
 */
final class DatasetCatalog {

    private final InspectorRepository repo;

    DatasetCatalog(InspectorRepository repo) {
        this.repo = repo;
    }

    /** One row of public.pii_columns, as far as browsing needs it. */
    private record Pii(String column, boolean inArray, String itemPointer, String mode, String keyDomain) {}

    /** A column of pg_attribute. */
    private record Attribute(String name, String typname, boolean notNull) {}

    List<Dataset> load() {
        // no catalog before the first `dataset apply`; a login outside the catalog's readers sees no dataset
        boolean applied = repo.query(
                        "SELECT CASE WHEN pg_catalog.to_regclass('public.pii_datasets') IS NULL"
                                + " OR pg_catalog.to_regclass('public.pii_columns') IS NULL THEN false"
                                + " ELSE pg_catalog.has_table_privilege('public.pii_datasets', 'SELECT')"
                                + " AND pg_catalog.has_table_privilege('public.pii_columns', 'SELECT') END",
                        List.of(),
                        rs -> rs.getBoolean(1))
                .get(0);
        if (!applied) {
            return List.of();
        }
        List<String[]> rows = repo.query(
                "SELECT dataset, table_name, rejected_table FROM public.pii_datasets ORDER BY dataset", List.of(), rs ->
                        new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        Map<String, Map<String, List<Pii>>> pii = new HashMap<>();
        repo.query(
                "SELECT table_name, column_name, in_array, array_item_pointer, mode, key_domain FROM public.pii_columns"
                        + " ORDER BY table_name, column_name, array_item_pointer",
                List.of(),
                rs -> {
                    pii.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), c -> new ArrayList<>())
                            .add(new Pii(
                                    rs.getString(2),
                                    rs.getBoolean(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6)));
                    return null;
                });
        List<Dataset> out = new ArrayList<>();
        for (String[] d : rows) {
            TableSpec table = spec(d[1], pii.getOrDefault(d[1], Map.of()));
            TableSpec rejected = spec(d[2], pii.getOrDefault(d[2], Map.of()));
            out.add(new Dataset(
                    d[0], table, rejected, table != null && readable(table), rejected != null && readable(rejected)));
        }
        return out;
    }

    /** The table as the database has it, or null when there is no such table (or it has no one-column key). */
    private TableSpec spec(String table, Map<String, List<Pii>> pii) {
        String qualified = TableSpec.SCHEMA + "." + table;
        List<InspectorRepository.Bind> name = List.of(new InspectorRepository.Bind(ColumnType.TEXT, qualified));
        // regclass by name, from pg_catalog: column names, types and order are the table's own
        List<Attribute> attributes = repo.query(
                "SELECT a.attname, t.typname, a.attnotnull FROM pg_catalog.pg_attribute a"
                        + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                        + " WHERE a.attrelid = pg_catalog.to_regclass(?::text) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                name,
                rs -> new Attribute(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
        if (attributes.isEmpty()) {
            return null;
        }
        List<String> primaryKey = repo.query(
                "SELECT a.attname FROM pg_catalog.pg_index i"
                        + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                        + " WHERE i.indrelid = pg_catalog.to_regclass(?::text) AND i.indisprimary",
                name,
                rs -> rs.getString(1));
        if (primaryKey.size() != 1) {
            return null;
        }
        Set<String> indexed = new HashSet<>(repo.query(
                "SELECT a.attname FROM pg_catalog.pg_index i"
                        + " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_am am ON am.oid = c.relam"
                        + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                        + " WHERE i.indrelid = pg_catalog.to_regclass(?::text) AND am.amname = 'btree'",
                name,
                rs -> rs.getString(1)));
        List<Column> columns = new ArrayList<>();
        for (Attribute a : attributes) {
            ColumnType type = ColumnType.ofPgType(a.typname());
            List<Pii> values = pii.getOrDefault(a.name(), List.of());
            Column.PiiMode mode = values.isEmpty()
                    ? null
                    : values.stream()
                            .map(p -> Column.PiiMode.ofCatalog(p.mode()))
                            // one deterministic value in the column makes equal cells tell equal plaintext
                            .reduce((x, y) -> x == Column.PiiMode.DETERMINISTIC ? x : y)
                            .orElseThrow();
            List<String> items =
                    values.stream().filter(Pii::inArray).map(Pii::itemPointer).toList();
            String domain = values.isEmpty() ? null : values.get(0).keyDomain();
            boolean key = a.name().equals(primaryKey.get(0));
            Column.Display display = key && type == ColumnType.TEXT && mode == null
                    ? Column.Display.REFERENCE
                    : Column.Display.of(type, mode);
            columns.add(new Column(
                    a.name(), type, !a.notNull(), mode, display, key || indexed.contains(a.name()), domain, items));
        }
        return new TableSpec(table, primaryKey.get(0), columns);
    }

    private boolean readable(TableSpec table) {
        return repo.query(
                        "SELECT pg_catalog.has_table_privilege(?::text, 'SELECT')",
                        List.of(new InspectorRepository.Bind(ColumnType.TEXT, table.qualifiedName())),
                        rs -> rs.getBoolean(1))
                .get(0);
    }
}
