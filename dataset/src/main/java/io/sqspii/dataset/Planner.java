package io.sqspii.dataset;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a definition with what a database holds (the PII catalog plus the tables' information_schema) and
 * plans the difference. Only additive changes are planned; anything that would change or lose what existing rows
 * mean is refused, naming the property (JSON Pointer) and what to do instead.
 */
final class Planner {

    private final Connection c;
    private final Layout l;
    private final Definition d;
    private final List<String> sql = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    private Planner(Connection c, Layout l) {
        this.c = c;
        this.l = l;
        this.d = l.definition();
    }

    static Plan plan(Connection c, Definition d) throws SQLException, DefinitionException {
        Planner p = new Planner(c, Layout.of(d));
        p.run();
        return new Plan(
                d.name(),
                p.refusals.isEmpty() ? List.copyOf(p.sql) : List.of(),
                List.copyOf(p.notes),
                List.copyOf(p.refusals),
                DatasetConnectors.of(p.l));
    }

    private void run() throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String r : Ddl.ROLES) {
            if (!exists("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", r)) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            refusals.add("roles " + String.join(", ", missing) + " do not exist: apply connect-config/sql/roles.sql "
                    + "first");
            return;
        }
        // The rule that keeps ciphertexts is declared once, in roles.sql; the tables' triggers only name columns.
        if (!exists(
                "SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure(?) "
                        + "AND p.proowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = '" + Ddl.OWNER + "') "
                        + "AND p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype AND NOT p.prosecdef",
                Ddl.KEEP_FUNCTION)) {
            refusals.add("function " + Ddl.KEEP_FUNCTION + " (owned by " + Ddl.OWNER + ") does not exist: apply "
                    + "connect-config/sql/roles.sql first");
            return;
        }
        boolean catalog = Catalog.exists(c);
        List<Catalog.Applied> applied = catalog ? Catalog.read(c) : List.of();
        Catalog.Applied mine = applied.stream()
                .filter(a -> a.dataset().equals(d.name()))
                .findFirst()
                .orElse(null);
        Layout old = oldLayout(mine);
        checkAgainstCatalog(applied, mine);
        if (!catalog) {
            sql.addAll(Catalog.create());
            sql.addAll(Catalog.ownership());
        } else if (!Ddl.OWNER.equals(owner(Catalog.DATASETS))
                || !Ddl.OWNER.equals(owner(Catalog.COLUMNS))
                || !Catalog.privileges().equals(privileges(Catalog.DATASETS, Set.of()))
                || !Catalog.privileges().equals(privileges(Catalog.COLUMNS, Set.of()))) {
            sql.addAll(Catalog.ownership());
        }
        table(d.table(), l.columns(), l.keyColumn(), mine, old);
        table(d.rejectedTable(), l.rejectedColumns(), Layout.MESSAGE_ID, mine, null);
        if (!refusals.isEmpty()) {
            return;
        }
        Map<String, String> indexes = Ddl.indexes(l);
        Set<String> present = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexname FROM pg_catalog.pg_indexes "
                + "WHERE schemaname = 'public' AND tablename IN (?, ?)")) {
            ps.setString(1, d.table());
            ps.setString(2, d.rejectedTable());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        indexes.forEach((name, stmt) -> {
            if (!present.contains(name)) {
                sql.add(stmt);
            }
        });
        keep(d.table(), l.columns(), Ddl.legacyKeepFunction(d.table()));
        keep(d.rejectedTable(), l.rejectedColumns(), Ddl.LEGACY_KEEP_REJECTED);
        grants(d.table(), l.keyColumn(), l.columns());
        grants(d.rejectedTable(), Layout.MESSAGE_ID, l.rejectedColumns());
        if (!catalogUpToDate(mine)) {
            sql.addAll(Catalog.rows(l));
        }
    }

    /** The layout of the definition last applied, to name the property of a column it had. */
    private static Layout oldLayout(Catalog.Applied mine) {
        if (mine == null || mine.definition() == null) {
            return null;
        }
        try {
            return Layout.of(Definition.of(
                    mine.definition().path(Definition.DATASET_FILE),
                    mine.definition().path(Definition.SCHEMA_FILE)));
        } catch (DefinitionException e) {
            return null; // applied by a version with other rules: columns are named by their column alone
        }
    }

    private void checkAgainstCatalog(List<Catalog.Applied> applied, Catalog.Applied mine) {
        for (Catalog.Applied a : applied) {
            if (a.dataset().equals(d.name())) {
                continue;
            }
            for (String t : List.of(d.table(), d.rejectedTable())) {
                if (t.equals(a.table()) || t.equals(a.rejectedTable())) {
                    refusals.add(Definition.DATASET_FILE + ": table " + t + " belongs to dataset " + a.dataset()
                            + "; choose another table name");
                }
            }
        }
        // A shared domain correlates equal values across datasets only if every use protects them alike.
        for (Layout.PiiField f : l.pii()) {
            for (Catalog.Applied a : applied) {
                for (Layout.PiiField g : a.pii()) {
                    if (f.associatedData().equals(f.keyDomain())
                            && g.associatedData().equals(f.keyDomain())
                            && !(a.dataset().equals(d.name()) && g.column().equals(f.column()))
                            && (g.mode() != f.mode()
                                    || g.canonical() != f.canonical()
                                    || !Objects.equals(g.region(), f.region())
                                    || !g.keyset().equals(f.keyset()))) {
                        refusals.add(Definition.SCHEMA_FILE + "#" + f.schemaPointer() + ": shared key domain "
                                + f.keyDomain() + " is used by " + a.dataset() + "." + g.column() + " with mode "
                                + g.mode().id() + ", canonical " + g.canonical().id() + ", keyset " + g.keyset()
                                + ": use the same, or another domain");
                    }
                }
            }
        }
        if (mine == null) {
            return;
        }
        if (!mine.table().equals(d.table())
                || !mine.rejectedTable().equals(d.rejectedTable())
                || !mine.rowKey().equals(d.rowKey())) {
            refusals.add(Definition.DATASET_FILE + ": the table, rejected table and row key of an applied dataset do "
                    + "not change (applied: " + mine.table() + ", " + mine.rejectedTable() + ", " + mine.rowKey()
                    + "); define a new dataset instead");
        }
        for (Layout.PiiField was : mine.pii()) {
            if (!was.table().equals(d.table())) {
                continue;
            }
            Layout.PiiField now = l.pii().stream()
                    .filter(f -> f.jsonPointer().equals(was.jsonPointer())
                            && Objects.equals(f.itemPointer(), was.itemPointer()))
                    .findFirst()
                    .orElse(null);
            String where = "event property " + was.jsonPointer()
                    + (was.inArray() ? " (elements' " + was.itemPointer() + ")" : "");
            if (now == null) {
                refusals.add(where + ": its x-pii annotation (column " + was.column() + ") is gone: stored "
                        + "ciphertexts would be read as clear values; put the annotation back as applied (mode "
                        + was.mode().id() + ", canonical " + was.canonical().id() + ")");
                continue;
            }
            where = Definition.SCHEMA_FILE + "#" + now.schemaPointer();
            diff(where, "mode", was.mode().id(), now.mode().id());
            diff(where, "canonical", was.canonical().id(), now.canonical().id());
            diff(where, "region", was.region(), now.region());
            diff(where, "domain", was.keyDomain(), now.keyDomain());
            diff(where, "associated data", was.associatedData(), now.associatedData());
            diff(where, "keyset", was.keyset(), now.keyset());
            diff(where, "column", was.column(), now.column());
        }
    }

    private void diff(String where, String what, String was, String now) {
        if (!Objects.equals(was, now)) {
            refusals.add(where + ": x-pii " + what + " changed (applied: " + was + "): existing ciphertexts would no "
                    + "longer match new ones or decrypt; keep it as applied, or add a new property for the new "
                    + "protection and re-encrypt with pii-keys");
        }
    }

    private record Existing(String dataType, boolean nullable) {}

    private void table(String table, List<Layout.Column> columns, String key, Catalog.Applied mine, Layout old)
            throws SQLException {
        Map<String, Existing> existing = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, is_nullable = 'YES' "
                + "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? "
                + "ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getString(1), new Existing(rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        if (existing.isEmpty()) {
            sql.add(Ddl.createTable(table, columns, key));
            return;
        }
        if (mine == null) {
            notes.add("table " + table + " exists and is not in the PII catalog: it is adopted if its columns fit "
                    + "the definition");
        }
        for (Layout.Column col : columns) {
            String where = col.schemaPointer() == null
                    ? "column " + col.name()
                    : Definition.SCHEMA_FILE + "#" + col.schemaPointer();
            Existing e = existing.get(col.name());
            if (e == null) {
                if (col.notNull()) {
                    refusals.add(where + ": a new required property: rows already in " + table + " have no value "
                            + "for it; add it as optional (leave it out of required, or make it nullable)");
                } else {
                    sql.add(Ddl.addColumn(table, col));
                }
                continue;
            }
            if (!e.dataType().equals(Ddl.sqlTypeToDataType(col.sqlType()))) {
                refusals.add(where + ": its type changed: column " + table + "." + col.name() + " is " + e.dataType()
                        + ", the definition now needs " + col.sqlType() + "; keep the type, or add a property under a "
                        + "new name");
            } else if (!e.nullable() && !col.notNull()) {
                // Becoming optional keeps every existing row valid.
                sql.add("ALTER TABLE " + Ddl.table(table) + " ALTER COLUMN " + Names.q(col.name()) + " DROP NOT NULL");
            } else if (e.nullable() && col.notNull() && !col.name().equals(key)) {
                notes.add("column " + table + "." + col.name() + " stays nullable (an existing column is never "
                        + "tightened)");
            }
            if (mine != null && col.ciphertext() && col.schemaPointer() != null && table.equals(d.table())) {
                // x-pii added to a property whose column already exists: its rows hold clear values
                for (Layout.PiiField f : l.pii()) {
                    if (f.column().equals(col.name())
                            && mine.pii().stream()
                                    .noneMatch(g -> g.table().equals(table)
                                            && g.column().equals(f.column())
                                            && Objects.equals(g.itemPointer(), f.itemPointer()))) {
                        refusals.add(Definition.SCHEMA_FILE + "#" + f.schemaPointer()
                                + ": x-pii added to a value whose "
                                + "column " + col.name() + " already holds rows in clear; add a new property for the "
                                + "protected value instead");
                    }
                }
            }
        }
        for (String name : existing.keySet()) {
            if (columns.stream().noneMatch(x -> x.name().equals(name))) {
                Layout.Column was = old == null ? null : old.column(name);
                String where = was != null && was.schemaPointer() != null
                        ? Definition.SCHEMA_FILE + "#" + was.schemaPointer() + " (as applied)"
                        : "column " + name;
                refusals.add(where + ": column " + table + "." + name + " is not in the definition any more: apply "
                        + "never drops a column (its rows would be lost); put the property back, optional if need be");
            }
        }
    }

    /**
     * Plans the table's kept-ciphertext trigger unless it is exactly the one {@link Ddl#keepCiphertexts} makes:
     * roles.sql's function, BEFORE UPDATE, per row, enabled, unconditional, and the same columns as arguments.
     * Then drops the table-specific function an earlier version made, once nothing else uses it.
     */
    private void keep(String table, List<Layout.Column> columns, String legacyFunction) throws SQLException {
        List<String> want = columns.stream()
                .filter(Layout.Column::ciphertext)
                .map(Layout.Column::name)
                .toList();
        boolean present = false;
        boolean current = false;
        // tgtype 19: ROW (1) | BEFORE (2) | UPDATE (16)
        try (PreparedStatement ps = c.prepareStatement("SELECT t.tgfoid = pg_catalog.to_regprocedure(?) "
                + "AND t.tgtype = 19 AND t.tgenabled = 'O' AND t.tgqual IS NULL AND t.tgattr::text = '', t.tgargs "
                + "FROM pg_catalog.pg_trigger t WHERE t.tgname = ? AND t.tgrelid = pg_catalog.to_regclass(?)")) {
            ps.setString(1, Ddl.KEEP_FUNCTION);
            ps.setString(2, Ddl.TRIGGER);
            ps.setString(3, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                present = rs.next();
                current = present
                        && rs.getBoolean(1)
                        && triggerArgs(rs.getBytes(2)).equals(want);
            }
        }
        if (want.isEmpty()) {
            // nothing to keep (the function refuses to run without columns): no trigger
            if (present) {
                sql.add("DROP TRIGGER " + Ddl.TRIGGER + " ON " + Ddl.table(table));
            }
        } else if (!current) {
            sql.add(Ddl.keepCiphertexts(table, want));
        }
        String legacy = "public." + legacyFunction + "()";
        if (exists(
                "SELECT 1 WHERE pg_catalog.to_regprocedure(?) IS NOT NULL AND NOT EXISTS (SELECT FROM "
                        + "pg_catalog.pg_trigger t WHERE t.tgfoid = pg_catalog.to_regprocedure(?) AND NOT (t.tgname = ? AND "
                        + "t.tgrelid IS NOT DISTINCT FROM pg_catalog.to_regclass(?)))",
                legacy,
                legacy,
                Ddl.TRIGGER,
                "public." + table)) {
            sql.add("DROP FUNCTION public." + Names.q(legacyFunction) + "()");
        }
    }

    /** pg_trigger.tgargs: each argument followed by a NUL byte. */
    private static List<String> triggerArgs(byte[] raw) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; raw != null && i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    private void grants(String table, String key, List<Layout.Column> columns) throws SQLException {
        Set<String> columnNames = new TreeSet<>();
        columns.forEach(x -> columnNames.add(x.name()));
        if (!Ddl.privileges(key, columns).equals(privileges(table, columnNames))) {
            sql.addAll(Ddl.grants(table, key, columns));
        }
    }

    /** The privileges the model's roles (and PUBLIC) hold on a table, in {@link Ddl#privileges}' notation. */
    private TreeSet<String> privileges(String table, Set<String> columns) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type, NULL
                  FROM pg_catalog.pg_class t, pg_catalog.aclexplode(t.relacl) a
                  LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
                 WHERE t.oid = pg_catalog.to_regclass(?) AND a.grantee <> t.relowner
                UNION ALL
                SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type, c.attname
                  FROM pg_catalog.pg_attribute c, pg_catalog.aclexplode(c.attacl) a
                  LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
                 WHERE c.attrelid = pg_catalog.to_regclass(?) AND c.attnum > 0 AND NOT c.attisdropped""")) {
            ps.setString(1, "public." + table);
            ps.setString(2, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String who = rs.getString(1);
                    if (!who.equals("PUBLIC") && !Ddl.ROLES.contains(who)) {
                        continue; // logins and roles of the deployment's own are its business
                    }
                    out.add(who + " " + rs.getString(2) + (rs.getString(3) == null ? "" : "(" + rs.getString(3) + ")"));
                }
            }
        }
        return out;
    }

    private String owner(String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.rolname FROM pg_catalog.pg_class t "
                + "JOIN pg_catalog.pg_roles r ON r.oid = t.relowner WHERE t.oid = pg_catalog.to_regclass(?)")) {
            ps.setString(1, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether the catalog already records exactly this definition and its PII columns. */
    private boolean catalogUpToDate(Catalog.Applied mine) throws SQLException {
        if (mine == null || mine.definition() == null || !mine.definition().equals(d.documents())) {
            return false;
        }
        List<Layout.PiiField> want = new ArrayList<>(l.pii());
        want.addAll(l.rejectedPii());
        if (want.size() != mine.pii().size()) {
            return false;
        }
        for (Layout.PiiField f : want) {
            boolean found = mine.pii().stream()
                    .anyMatch(g -> g.table().equals(f.table())
                            && g.column().equals(f.column())
                            && g.jsonPointer().equals(f.jsonPointer())
                            && Objects.equals(g.itemPointer(), f.itemPointer())
                            && g.mode() == f.mode()
                            && g.canonical() == f.canonical()
                            && Objects.equals(g.region(), f.region())
                            && g.keyDomain().equals(f.keyDomain())
                            && g.associatedData().equals(f.associatedData())
                            && g.keyset().equals(f.keyset()));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private boolean exists(String query, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
