package io.sqspii.dataset;

import static io.sqspii.dataset.Names.lit;
import static io.sqspii.dataset.Names.q;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The SQL a dataset's layout implies, as pure functions: tables, indexes, the trigger that keeps stored
 * ciphertexts (through roles.sql's pii_keep_ciphertexts()), and grants following connect-config/sql/roles.sql's role model. Tables live in schema public and
 * every name is schema-qualified and quoted (a property may be called "order").
 */
final class Ddl {

    /** Every group role a dataset's grants name; connect-config/sql/roles.sql creates them. */
    static final List<String> ROLES = List.of(
            "pipeline_writer",
            "analyst",
            "pii_reader",
            "pii_auditor",
            "pii_audit_owner",
            "pii_reveal_service",
            "pii_reencryptor");

    static final String OWNER = "pii_audit_owner";
    static final String REENCRYPTOR = "pii_reencryptor";
    static final String TRIGGER = "pii_keep_ciphertexts";

    private Ddl() {}

    static String table(String name) {
        return "public." + q(name);
    }

    static String createTable(String name, List<Layout.Column> columns, String key) {
        StringJoiner cols = new StringJoiner(",\n", "CREATE TABLE " + table(name) + " (\n", "\n)");
        for (Layout.Column c : columns) {
            cols.add("  " + columnDef(c, c.name().equals(key)));
        }
        return cols.toString();
    }

    static String columnDef(Layout.Column c, boolean key) {
        return q(c.name()) + " " + c.sqlType() + (key ? " PRIMARY KEY" : c.notNull() ? " NOT NULL" : "");
    }

    static String addColumn(String table, Layout.Column c) {
        return "ALTER TABLE " + table(table) + " ADD COLUMN IF NOT EXISTS " + columnDef(c, false);
    }

    /** Index name -> statement: hash on equality-searched ciphertexts, B-tree on (create_date, key) for paging. */
    static Map<String, String> indexes(Layout l) {
        Map<String, String> out = new LinkedHashMap<>();
        String t = l.definition().table();
        for (String c : l.hashIndexed()) {
            // A B-tree entry cannot hold the ciphertext of a 1 MiB value; a hash index can.
            out.put(
                    Layout.indexName(t, c),
                    "CREATE INDEX IF NOT EXISTS " + q(Layout.indexName(t, c)) + " ON " + table(t) + " USING hash ("
                            + q(c) + ")");
        }
        out.put(
                t + "_create_date_idx",
                "CREATE INDEX IF NOT EXISTS " + q(t + "_create_date_idx") + " ON " + table(t) + " ("
                        + q(Layout.CREATE_DATE) + ", " + q(l.keyColumn()) + ")");
        String r = l.definition().rejectedTable();
        out.put(
                r + "_create_date_idx",
                "CREATE INDEX IF NOT EXISTS " + q(r + "_create_date_idx") + " ON " + table(r) + " ("
                        + q(Layout.CREATE_DATE) + ", " + q(Layout.MESSAGE_ID) + ")");
        return out;
    }

    static String sqlTypeToDataType(String sqlType) {
        return switch (sqlType) {
            case "timestamptz" -> "timestamp with time zone";
            default -> sqlType;
        };
    }

    // ---- the trigger that keeps ciphertexts once written ----

    /** roles.sql's one trigger function; its arguments name the columns to keep. */
    private static final String KEEP_FUNCTION_NAME = "public.pii_keep_ciphertexts";

    static final String KEEP_FUNCTION = KEEP_FUNCTION_NAME + "()";

    /** The table-specific trigger function of an unreleased version, dropped once the trigger no longer uses it. */
    static String legacyKeepFunction(String table) {
        return "pii_keep_" + table + "_ciphertexts";
    }

    /** The shared function that version gave every rejected table (roles.sql too drops it once unused). */
    static final String LEGACY_KEEP_REJECTED = "pii_keep_rejected_ciphertexts";

    /**
     * A stored ciphertext is kept once written: the sink's login can neither swap two rows' values (the audit would
     * name row B while revealing A's value) nor erase one; only pii_reencryptor rewrites them. An empty cell may
     * still be filled. The rule itself is roles.sql's pii_keep_ciphertexts(); a table only names its columns.
     */
    static String keepCiphertexts(String table, List<String> ciphertextColumns) {
        StringJoiner args = new StringJoiner(", ", "(", ")");
        ciphertextColumns.forEach(col -> args.add(lit(col)));
        return "CREATE OR REPLACE TRIGGER " + TRIGGER + " BEFORE UPDATE ON " + table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + KEEP_FUNCTION_NAME + args;
    }

    // ---- grants ----

    /** Every privilege the model gives on one table, as "grantee PRIVILEGE" or "grantee PRIVILEGE(column)". */
    static TreeSet<String> privileges(String key, List<Layout.Column> columns) {
        TreeSet<String> p = new TreeSet<>();
        for (String role : List.of("pipeline_writer", REENCRYPTOR, "analyst", OWNER)) {
            p.add(role + " SELECT");
        }
        p.add("pipeline_writer INSERT");
        // pii_erase() (roles.sql, owned by the audit owner) deletes a data subject's rows
        p.add(OWNER + " DELETE");
        for (Layout.Column c : columns) {
            // The sink upserts: ON CONFLICT (key) DO UPDATE SET <every other column>. Never the key itself: the
            // audit names rows by it.
            if (!c.name().equals(key)) {
                p.add("pipeline_writer UPDATE(" + c.name() + ")");
            }
            // pii-keys reencrypt rewrites ciphertexts (to the keyset's new primary key), nothing else.
            if (c.ciphertext()) {
                p.add(REENCRYPTOR + " UPDATE(" + c.name() + ")");
            }
        }
        return p;
    }

    /**
     * Starts from nothing (so a privilege granted by an earlier version does not linger; revoking a table privilege
     * revokes its column privileges too), then grants {@link #privileges}.
     */
    static List<String> grants(String table, String key, List<Layout.Column> columns) {
        List<String> out = new ArrayList<>();
        out.add("REVOKE ALL ON " + table(table) + " FROM PUBLIC, " + String.join(", ", ROLES));
        Map<String, List<String>> tableLevel = new LinkedHashMap<>();
        Map<String, List<String>> columnLevel = new LinkedHashMap<>();
        for (String p : privileges(key, columns)) {
            String[] gp = p.split(" ", 2);
            int paren = gp[1].indexOf('(');
            if (paren < 0) {
                tableLevel.computeIfAbsent(gp[1], k -> new ArrayList<>()).add(gp[0]);
            } else {
                columnLevel
                        .computeIfAbsent(gp[0] + " " + gp[1].substring(0, paren), k -> new ArrayList<>())
                        .add(q(gp[1].substring(paren + 1, gp[1].length() - 1)));
            }
        }
        tableLevel.forEach(
                (priv, roles) -> out.add("GRANT " + priv + " ON " + table(table) + " TO " + String.join(", ", roles)));
        // column lists in table order, not sorted, so a reader can follow them
        for (Map.Entry<String, List<String>> e : columnLevel.entrySet()) {
            String[] rp = e.getKey().split(" ");
            List<String> ordered = new ArrayList<>();
            for (Layout.Column c : columns) {
                if (e.getValue().contains(q(c.name()))) {
                    ordered.add(q(c.name()));
                }
            }
            out.add("GRANT " + rp[1] + " (" + String.join(", ", ordered) + ") ON " + table(table) + " TO " + rp[0]);
        }
        return out;
    }
}
