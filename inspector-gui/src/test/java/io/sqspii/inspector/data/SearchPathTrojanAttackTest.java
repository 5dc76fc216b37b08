package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding U1 (inspector part): on a cluster where PUBLIC may CREATE in schema public (PostgreSQL
 * 14 and older, or clusters upgraded from them), a reader plants functions and operators in public whose
 * argument types match the inspector's bound parameters (pgjdbc binds strings as varchar) better than
 * pg_catalog's. Each trojan records that it ran, as the calling login (here: an auditor, who can read the
 * audit log), before doing the real work. The inspector connects, browses, filters, pages, counts
 * duplicates, loads the overview and exports: no trojan may ever run.
 */
class SearchPathTrojanAttackTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void trojansPlantedInSchemaPublicNeverRunInTheInspectorsSession(@TempDir Path dir) throws Exception {
        try (TestDb db = TestDb.create()) {
            db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
            for (int i = 0; i < 12; i++) {
                db.insertLogin(
                        "m-" + i,
                        "user-" + (i % 3),
                        i % 2 == 0 ? "ios" : "web",
                        "ipct-" + (i % 4),
                        "devct-" + (i % 5),
                        "DE",
                        "2.3.0",
                        T0.plusMinutes(i));
            }
            db.insertRejected("r-1", "missing required field: ip", "bodyct-1", T0);
            db.execute("INSERT INTO pii_access_log (analyst, at, table_name, row_key, column_name, reason)"
                    + " VALUES ('someone', now(), 'user_logins', 'm-1', 'masked_ip', 'ticket 1')");

            String attacker = db.createLogin("pii_reader", "pw");
            try (Connection a = DriverManager.getConnection(db.url, attacker, "pw");
                    Statement s = a.createStatement()) {
                plantTrojans(s);
            }

            String victim = db.createLogin("pii_auditor", "pw");
            db.execute("GRANT analyst TO " + victim);
            try (Session session = Session.open(db.settings(victim, "pw"))) {
                assertThat(trojanCalls(db))
                        .as("trojans that ran while the inspector connected")
                        .isEmpty();
                InspectorRepository repo = session.repository();
                browseAsAnAnalystWould(repo, dir);
                assertThat(session.canReadAudit()).isTrue();
            }
            assertThat(trojanCalls(db))
                    .as("trojans that ran in the inspector's session")
                    .isEmpty();
        }
    }

    /** Exact-type overloads of what the inspector calls, each logging its call; all return the true answer. */
    private static void plantTrojans(Statement s) throws Exception {
        s.execute("CREATE TABLE public.trojan_calls (fn text, by_user text DEFAULT current_user)");
        s.execute("GRANT INSERT ON public.trojan_calls TO PUBLIC");
        s.execute("""
                CREATE FUNCTION public.to_regclass(varchar) RETURNS regclass LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('to_regclass'); RETURN pg_catalog.to_regclass($1::text); END $$""");
        s.execute("""
                CREATE FUNCTION public.to_regprocedure(varchar) RETURNS regprocedure LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('to_regprocedure'); RETURN pg_catalog.to_regprocedure($1::text); END $$""");
        s.execute("""
                CREATE FUNCTION public.has_function_privilege(varchar, text) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('has_function_privilege');
                RETURN pg_catalog.has_function_privilege($1::text, $2); END $$""");
        s.execute("""
                CREATE FUNCTION public.has_table_privilege(name, varchar, text) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('has_table_privilege');
                RETURN pg_catalog.has_table_privilege($1, $2::text, $3); END $$""");
        for (String[] op : new String[][] {{"=", "eq"}, {">", "gt"}, {"<", "lt"}}) {
            s.execute(
                    "CREATE FUNCTION public.trojan_" + op[1] + "(text, varchar) RETURNS boolean LANGUAGE plpgsql AS $$"
                            + " BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('operator " + op[0] + "');"
                            + " RETURN $1 OPERATOR(pg_catalog." + op[0] + ") $2::text; END $$");
            s.execute("CREATE OPERATOR public." + op[0]
                    + " (LEFTARG = text, RIGHTARG = varchar, FUNCTION = public.trojan_" + op[1] + ")");
        }
        s.execute("""
                CREATE FUNCTION public.split_part(text, varchar, integer) RETURNS text LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('split_part'); RETURN pg_catalog.split_part($1, $2::text, $3); END $$""");
        s.execute("""
                CREATE FUNCTION public.date_trunc(varchar, timestamptz, varchar) RETURNS timestamptz LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.trojan_calls(fn) VALUES ('date_trunc'); RETURN pg_catalog.date_trunc($1::text, $2, $3::text); END $$""");
    }

    /** What the Logins, Rejected, Duplicates, Overview and Audit tabs run, including filters, paging and export. */
    private static void browseAsAnAnalystWould(InspectorRepository repo, Path dir) throws Exception {
        // the catalog read as the login reads it, under the trojans too
        io.sqspii.inspector.model.Dataset logins = repo.datasets().stream()
                .filter(d -> d.name().equals("user_logins"))
                .findFirst()
                .orElseThrow();
        TableSpec LOGINS = logins.table();
        TableSpec REJECTED = logins.rejected();
        Filter byDevice = Filter.builder()
                .eq("device_type", "ios")
                .eq("user_id", "user-0")
                .eq("locale", "DE")
                .from("create_date", T0)
                .until("create_date", T0.plusDays(1))
                .build();
        List<Page> pages = new ArrayList<>();
        for (Sort sort : List.of(
                new Sort("create_date", true),
                new Sort("device_type", false),
                new Sort("message_id", true),
                new Sort("locale", true))) {
            Page p = repo.page(LOGINS, Filter.NONE, sort, null, 5);
            pages.add(repo.page(LOGINS, Filter.NONE, sort, p.next(), 5));
            pages.add(repo.page(LOGINS, byDevice, sort, null, 5));
        }
        assertThat(pages).allSatisfy(p -> assertThat(p.rows()).isNotNull());
        assertThat(repo.count(LOGINS, byDevice)).isPositive();
        assertThat(repo.duplicates(LOGINS, List.of("masked_device_id", "masked_ip"), 2, 10, 0))
                .isNotEmpty();
        assertThat(repo.rowsSharingValue(LOGINS, "m-1", "masked_ip")).isEqualTo(3);
        Filter kind = Filter.builder().kind("error", "missing required field").build();
        assertThat(repo.count(REJECTED, kind)).isEqualTo(1);
        repo.page(REJECTED, kind, new Sort("create_date", false), null, 5);
        assertThat(new OverviewRepository(repo)
                        .load(logins, byDevice, null, null)
                        .rows())
                .isPositive();
        assertThat(new OverviewRepository(repo)
                        .load(logins, Filter.NONE, "hour", "create_date")
                        .rows())
                .isEqualTo(12);
        Filter audit = Filter.builder().eq("analyst", "someone").build();
        assertThat(repo.page(TableSpec.AUDIT, audit, new Sort("id", false), null, 5)
                        .rows())
                .hasSize(1);
        assertThat(CsvExport.export(
                        repo, LOGINS, byDevice, new Sort("create_date", true), dir.resolve("l.csv"), () -> false))
                .isPositive();
        assertThat(Files.exists(dir.resolve("l.csv"))).isTrue();
    }

    private static List<String> trojanCalls(TestDb db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT fn FROM public.trojan_calls ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
