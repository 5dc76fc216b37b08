package io.sqspii.dataset;

import static io.sqspii.dataset.Names.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The PII catalog in PostgreSQL: which tables hold PII, in which columns and JSON paths, and how each value is
 * protected. The reveal function, the reveal service and the inspector read it instead of a list in code. It holds
 * no secrets (keyset names, not keys): owned by pii_audit_owner, readable by analyst, pii_reader and pii_auditor.
 */
final class Catalog {

    static final String DATASETS = "pii_datasets";
    static final String COLUMNS = "pii_columns";
    /**
     * Who may read it: the analysts' roles, and the pipeline's own login (the connector policy on the Connect
     * worker reads which topics are datasets' and which of their fields must be encrypted).
     */
    static final List<String> READERS = List.of("analyst", "pii_reader", "pii_auditor", "pipeline_writer");

    private Catalog() {}

    static List<String> create() {
        return List.of("""
                CREATE TABLE IF NOT EXISTS public.pii_datasets (
                  dataset           text PRIMARY KEY,
                  table_name        text NOT NULL UNIQUE,
                  rejected_table    text NOT NULL UNIQUE,
                  row_key           text NOT NULL,
                  row_key_column    text NOT NULL,
                  queue             text NOT NULL,
                  topic             text NOT NULL,
                  dead_letter_topic text NOT NULL,
                  definition        jsonb NOT NULL,
                  applied_at        timestamptz NOT NULL
                )""", """
                CREATE TABLE IF NOT EXISTS public.pii_columns (
                  dataset            text NOT NULL REFERENCES public.pii_datasets (dataset),
                  table_name         text NOT NULL,
                  column_name        text NOT NULL,
                  json_pointer       text NOT NULL,
                  in_array           boolean NOT NULL,
                  array_item_pointer text NOT NULL,
                  mode               text NOT NULL CHECK (mode IN ('deterministic', 'randomized', 'hmac')),
                  canonical          text NOT NULL CHECK (canonical IN ('ip', 'identifier', 'email', 'phone', 'none')),
                  region             text CHECK ((region IS NOT NULL) = (canonical = 'phone')),
                  key_domain         text NOT NULL,
                  associated_data    text NOT NULL,
                  keyset             text NOT NULL,
                  PRIMARY KEY (table_name, column_name, array_item_pointer),
                  CHECK (in_array OR array_item_pointer = '')
                )""");
    }

    static List<String> ownership() {
        List<String> out = new ArrayList<>();
        for (String t : List.of(DATASETS, COLUMNS)) {
            out.add("ALTER TABLE public." + t + " OWNER TO " + Ddl.OWNER);
            out.add("REVOKE ALL ON public." + t + " FROM PUBLIC, "
                    + String.join(
                            ", ",
                            Ddl.ROLES.stream().filter(r -> !r.equals(Ddl.OWNER)).toList()));
            out.add("GRANT SELECT ON public." + t + " TO " + String.join(", ", READERS));
        }
        return out;
    }

    static TreeSet<String> privileges() {
        TreeSet<String> p = new TreeSet<>();
        READERS.forEach(r -> p.add(r + " SELECT"));
        return p;
    }

    /** Replaces the dataset's rows (apply refuses any change to an existing PII row, so this only adds). */
    static List<String> rows(Layout l) {
        Definition d = l.definition();
        List<String> out = new ArrayList<>();
        out.add("DELETE FROM public.pii_columns WHERE dataset = " + lit(d.name()));
        out.add("INSERT INTO public.pii_datasets AS p (dataset, table_name, rejected_table, row_key, row_key_column, "
                + "queue, topic, dead_letter_topic, definition, applied_at)\n  VALUES ("
                + String.join(
                        ", ",
                        lit(d.name()),
                        lit(d.table()),
                        lit(d.rejectedTable()),
                        lit(d.rowKey()),
                        lit(l.keyColumn()),
                        lit(d.queue()),
                        lit(d.topic()),
                        lit(d.deadLetterTopic()),
                        lit(json(d.documents())) + "::jsonb",
                        "pg_catalog.clock_timestamp()")
                + ")\n  ON CONFLICT (dataset) DO UPDATE SET queue = EXCLUDED.queue, "
                + "topic = EXCLUDED.topic, dead_letter_topic = EXCLUDED.dead_letter_topic, definition = "
                + "EXCLUDED.definition, applied_at = EXCLUDED.applied_at");
        List<Layout.PiiField> all = new ArrayList<>(l.pii());
        all.addAll(l.rejectedPii());
        for (Layout.PiiField f : all) {
            out.add("INSERT INTO public.pii_columns (dataset, table_name, column_name, json_pointer, in_array, "
                    + "array_item_pointer, mode, canonical, region, key_domain, associated_data, keyset)\n  VALUES ("
                    + String.join(
                            ", ",
                            lit(d.name()),
                            lit(f.table()),
                            lit(f.column()),
                            lit(f.jsonPointer()),
                            String.valueOf(f.inArray()),
                            lit(f.inArray() ? f.itemPointer() : ""),
                            lit(f.mode().id()),
                            lit(f.canonical().id()),
                            lit(f.region()),
                            lit(f.keyDomain()),
                            lit(f.associatedData()),
                            lit(f.keyset()))
                    + ")");
        }
        return out;
    }

    private static String json(JsonNode n) {
        try {
            return Definition.JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading back what is applied ----

    /** A dataset as the catalog records it. {@code definition}: dataset.json and event.schema.json as applied. */
    record Applied(
            String dataset,
            String table,
            String rejectedTable,
            String rowKey,
            JsonNode definition,
            List<Layout.PiiField> pii) {}

    static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT pg_catalog.to_regclass('public.pii_datasets') IS NOT NULL "
                                + "AND pg_catalog.to_regclass('public.pii_columns') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Every dataset in the catalog (to find table clashes and shared domains across datasets). */
    static List<Applied> read(Connection c) throws SQLException {
        List<Applied> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT dataset, table_name, rejected_table, row_key, "
                        + "definition::text FROM public.pii_datasets ORDER BY dataset");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode def;
                try {
                    def = Definition.JSON.readTree(rs.getString(5));
                } catch (JsonProcessingException e) {
                    def = null;
                }
                out.add(new Applied(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), def, new ArrayList<>()));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT dataset, table_name, column_name, json_pointer, in_array, "
                                + "array_item_pointer, mode, canonical, region, key_domain, associated_data, keyset "
                                + "FROM public.pii_columns ORDER BY dataset, table_name, column_name, array_item_pointer");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                for (Applied a : out) {
                    if (a.dataset().equals(rs.getString(1))) {
                        a.pii()
                                .add(new Layout.PiiField(
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getBoolean(5) ? rs.getString(6) : null,
                                        PiiMode.valueOf(rs.getString(7).toUpperCase(java.util.Locale.ROOT)),
                                        Canonical.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)),
                                        rs.getString(9),
                                        rs.getString(10),
                                        rs.getString(11),
                                        rs.getString(12),
                                        null));
                    }
                }
            }
        }
        return out;
    }
}
