package io.sqspii.dataset;

import io.sqspii.testsupport.FreshDatabase;
import io.sqspii.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FreshDatabase} on the tests' PostgreSQL server ({@link PostgresServer#fromEnvironment()}: PG_URL, PG_USER,
 * PG_PASSWORD). The roles of connect-config/sql/roles.sql are created if missing (they are cluster-wide), and
 * its kept-ciphertext trigger function is installed.
 * {@link #close()} drops the database.
 */
final class TestDb implements AutoCloseable {

    static final PostgresServer SERVER = PostgresServer.fromEnvironment();
    static final String USER = SERVER.user();
    static final String PASSWORD = SERVER.password();
    static final Path REPO = Path.of(System.getProperty("repo.dir", ".."));

    final String url;
    private final FreshDatabase db;

    private TestDb() throws SQLException {
        db = SERVER.freshDatabase("dataset");
        url = db.url();
        execute(rolesSql("DO $$", "END\n$$;")); // roles.sql's cluster roles, from the file itself
        installKeepFunction();
    }

    /**
     * roles.sql's pii_keep_ciphertexts() (which `dataset apply` requires), taken from the file so the tests run the
     * one declaration; the rest of roles.sql needs schema.sql's tables.
     */
    void installKeepFunction() throws SQLException {
        execute(rolesSql(
                "CREATE OR REPLACE FUNCTION public.pii_keep_ciphertexts()",
                "REVOKE ALL ON FUNCTION public.pii_keep_ciphertexts() FROM PUBLIC;"));
    }

    /** The first statement of roles.sql that starts with {@code from}, up to and including {@code end}. */
    private static String rolesSql(String from, String end) {
        String roles;
        try {
            roles = Files.readString(FreshDatabase.sqlFile("roles.sql"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = roles.indexOf(from);
        int stop = roles.indexOf(end, start);
        if (start < 0 || stop < 0) {
            throw new IllegalStateException("roles.sql no longer holds '" + from + "' … '" + end + "' as expected");
        }
        return roles.substring(start, stop + end.length());
    }

    static TestDb create() throws SQLException {
        return new TestDb();
    }

    Connection admin() {
        return db.admin();
    }

    void execute(String sql) throws SQLException {
        db.execute(sql);
    }

    /** Every row of a query, each as its columns joined by '|', in the query's order. */
    List<String> rows(String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.admin().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        b.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(b.toString());
                }
            }
        }
        return out;
    }

    /** What a change must leave alone: tables' columns, indexes, privileges, triggers and the catalog's rows. */
    List<String> state() throws SQLException {
        List<String> s = new ArrayList<>();
        s.addAll(rows("SELECT table_name, column_name, ordinal_position, data_type, is_nullable "
                + "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 3"));
        s.addAll(rows(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"));
        s.addAll(rows("SELECT c.relname, c.relacl::text FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace "
                + "AND c.relkind = 'r' ORDER BY 1"));
        s.addAll(rows(
                "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                        + "ORDER BY 1, 2"));
        s.addAll(rows("SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
                + "ORDER BY 1"));
        if (!rows("SELECT to_regclass('public.pii_datasets')").get(0).equals("null")) {
            s.addAll(rows("SELECT dataset, table_name, rejected_table, row_key, row_key_column, queue, topic, "
                    + "dead_letter_topic, definition::text, applied_at::text FROM pii_datasets ORDER BY 1"));
            s.addAll(rows("SELECT * FROM pii_columns ORDER BY table_name, column_name, array_item_pointer"));
        }
        return s;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
