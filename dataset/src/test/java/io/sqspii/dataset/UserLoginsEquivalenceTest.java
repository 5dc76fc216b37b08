package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.testsupport.LegacySchema;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The definition datasets/user_logins generates the tables schema.sql created by hand before dataset definitions
 * (test-support's LegacySchema), and adopts a database of that time as it is.
 */
class UserLoginsEquivalenceTest {

    private static final String COLUMNS = "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, "
            + "column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN "
            + "('user_logins', 'user_logins_rejected') ORDER BY 1, 3";
    private static final String INDEXES = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = "
            + "'public' AND tablename IN ('user_logins', 'user_logins_rejected') ORDER BY 1, 2";

    @Test
    void generatedTablesEqualTheHandWrittenOnesOnFreshDatabases() throws Exception {
        try (TestDb today = TestDb.create();
                TestDb generated = TestDb.create()) {
            today.execute(LegacySchema.userLoginsTables());
            Plan plan = Apply.run(generated.admin(), Fixtures.load("user_logins"), false);
            assertThat(plan.refusals()).isEmpty();

            assertThat(generated.rows(INDEXES)).isEqualTo(today.rows(INDEXES));
            List<String> want = today.rows(COLUMNS);
            List<String> got = generated.rows(COLUMNS);
            assertThat(names(got)).isEqualTo(names(want));
            // The one difference, on purpose: the definition's required properties are NOT NULL (an event without
            // them is a rejected row, never a table row); the hand-written tables left these four nullable.
            List<String> stricter = new ArrayList<>();
            for (int i = 0; i < want.size(); i++) {
                if (!got.get(i).equals(want.get(i))) {
                    assertThat(got.get(i)).isEqualTo(want.get(i).replace("|YES|", "|NO|"));
                    stricter.add(got.get(i).split("\\|")[1]);
                }
            }
            assertThat(stricter).containsExactly("device_type", "masked_ip", "masked_device_id", "app_version");
        }
    }

    @Test
    void applyingTheDefinitionOnADatabaseOfBeforeDefinitionsAdoptsItsTablesAsTheyAre() throws Exception {
        try (TestDb db = TestDb.create()) {
            db.execute(LegacySchema.userLoginsTables());
            List<String> before = db.rows(COLUMNS);
            List<String> indexes = db.rows(INDEXES);
            Plan plan = Apply.run(db.admin(), Fixtures.load("user_logins"), false);
            assertThat(plan.refusals()).isEmpty();
            assertThat(plan.statements())
                    .noneMatch(s -> s.startsWith("CREATE TABLE public.\"user_logins")
                            || s.startsWith("ALTER TABLE public.\"user_logins")
                            || s.startsWith("CREATE INDEX"));
            assertThat(plan.notes())
                    .contains(
                            "table user_logins exists and is not in the PII catalog: it is adopted if "
                                    + "its columns fit the definition",
                            "column user_logins.masked_ip stays nullable (an existing " + "column is never tightened)");
            assertThat(db.rows(COLUMNS)).isEqualTo(before);
            assertThat(db.rows(INDEXES)).isEqualTo(indexes);
            assertThat(Apply.run(db.admin(), Fixtures.load("user_logins"), false)
                            .empty())
                    .isTrue();
        }
    }

    @Test
    void onADatabaseOfBeforeDefinitionsApplyPlansOnlyTheCatalogAndErasuresGrant() throws Exception {
        try (TestDb db = TestDb.create()) {
            db.execute(Files.readString(TestDb.REPO.resolve("connect-config/sql/schema.sql")));
            db.execute(LegacySchema.userLoginsTables());
            db.execute(Files.readString(TestDb.REPO.resolve("connect-config/sql/roles.sql")));
            db.execute(LegacySchema.userLoginsGrants());
            Plan plan = Apply.run(db.admin(), Fixtures.load("user_logins"), true);
            assertThat(plan.refusals()).isEmpty();
            // the old triggers already name what the definition keeps and the old grants are the model's, but for
            // erasure's DELETE (pii_erase(), owned by the audit owner), which is new: the tables' grants are redone
            assertThat(plan.statements())
                    .isNotEmpty()
                    .allMatch(
                            s -> s.contains("pii_datasets")
                                    || s.contains("pii_columns")
                                    || s.matches(
                                            "(REVOKE ALL|GRANT [A-Z]+( \\(.*\\))?) ON public\\.\"user_logins(_rejected)?\" .*"));
            assertThat(plan.statements())
                    .contains(
                            "GRANT DELETE ON public.\"user_logins\" TO pii_audit_owner",
                            "GRANT DELETE ON public.\"user_logins_rejected\" TO pii_audit_owner");
        }
    }

    private static List<String> names(List<String> rows) {
        return rows.stream()
                .map(r -> String.join("|", List.of(r.split("\\|")).subList(0, 4)))
                .toList();
    }
}
