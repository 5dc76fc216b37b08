package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApplyTest {

    @Test
    void ordersIsAppliedWithTablesIndexesGrantsAndCatalog() throws Exception {
        try (TestDb db = TestDb.create()) {
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.refusals()).isEmpty();
            assertThat(db.rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                            + "WHERE table_schema = 'public' AND table_name = 'orders' ORDER BY ordinal_position"))
                    .containsExactly(
                            "message_id|text|NO",
                            "order_id|text|NO",
                            "placed_at|timestamp with time zone|NO",
                            "status|text|NO",
                            "masked_customer_email|text|NO",
                            "masked_customer_phone|text|YES",
                            "masked_customer_name|text|NO",
                            "masked_customer_shipping_address_street|text|NO",
                            "customer_shipping_address_city|text|NO",
                            "customer_shipping_address_postcode|text|NO",
                            "items|jsonb|NO",
                            "total|double precision|NO",
                            "gift|boolean|YES",
                            "delivery_date|date|YES",
                            "create_date|timestamp with time zone|NO");
            assertThat(db.rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'orders%' ORDER BY 1"))
                    .containsExactly(
                            "orders_create_date_idx|CREATE INDEX orders_create_date_idx ON public.orders USING btree "
                                    + "(create_date, message_id)",
                            "orders_masked_customer_email_hash|CREATE INDEX orders_masked_customer_email_hash ON "
                                    + "public.orders USING hash (masked_customer_email)",
                            "orders_masked_customer_phone_hash|CREATE INDEX orders_masked_customer_phone_hash ON "
                                    + "public.orders USING hash (masked_customer_phone)",
                            "orders_pkey|CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (message_id)",
                            "orders_rejected_create_date_idx|CREATE INDEX orders_rejected_create_date_idx ON "
                                    + "public.orders_rejected USING btree (create_date, message_id)",
                            "orders_rejected_pkey|CREATE UNIQUE INDEX orders_rejected_pkey ON public.orders_rejected "
                                    + "USING btree (message_id)");
            assertThat(db.rows("SELECT dataset, table_name, rejected_table, row_key, row_key_column, queue, topic, "
                            + "dead_letter_topic FROM pii_datasets"))
                    .containsExactly("orders|orders|orders_rejected|sqs.message_id|message_id|orders-queue|orders|"
                            + "orders.dlq");
            assertThat(
                            db.rows(
                                    "SELECT table_name, column_name, json_pointer, in_array, array_item_pointer, mode, "
                                            + "canonical, region, key_domain, associated_data, keyset FROM pii_columns ORDER BY 1, 2, 5"))
                    .containsExactly(
                            "orders|items|/items|t|/holder_name|randomized|none|null|orders|orders.items[].holder_name|"
                                    + "randomized",
                            "orders|masked_customer_email|/customer/email|f||deterministic|email|null|email|email|"
                                    + "deterministic",
                            "orders|masked_customer_name|/customer/name|f||randomized|none|null|orders|"
                                    + "orders.customer.name|randomized",
                            "orders|masked_customer_phone|/customer/phone|f||deterministic|phone|US|orders|"
                                    + "orders.customer.phone|deterministic",
                            "orders|masked_customer_shipping_address_street|/customer/shipping_address/street|f||"
                                    + "randomized|none|null|orders|orders.customer.shipping_address.street|randomized",
                            "orders_rejected|encrypted_body||f||randomized|none|null|orders_rejected|orders_rejected.body|"
                                    + "randomized");
            assertThat(db.rows("SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
                            + "WHERE relname IN ('pii_datasets', 'pii_columns') ORDER BY 1"))
                    .containsExactly("pii_columns|pii_audit_owner", "pii_datasets|pii_audit_owner");
            for (String reader : List.of("analyst", "pii_reader", "pii_auditor")) {
                assertThat(db.rows(
                                "SELECT has_table_privilege(?, 'public.pii_columns', 'SELECT'), "
                                        + "has_table_privilege(?, 'public.pii_columns', 'INSERT')",
                                reader,
                                reader))
                        .containsExactly("t|f");
            }
        }
    }

    @Test
    void thePipelineWriterUpsertsButNeverRewritesAKeyOrAStoredCiphertext() throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            String login = "ds_"
                    + UUID.randomUUID()
                            .toString()
                            .replace("-", "")
                            .substring(0, 8)
                            .toLowerCase(Locale.ROOT);
            db.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'pw' IN ROLE pipeline_writer");
            try (Connection w = DriverManager.getConnection(db.url, login, "pw");
                    Statement s = w.createStatement()) {
                String upsert =
                        "INSERT INTO public.orders (message_id, order_id, placed_at, status, masked_customer_email, "
                                + "masked_customer_name, masked_customer_shipping_address_street, customer_shipping_address_city, "
                                + "customer_shipping_address_postcode, items, total, create_date) VALUES ('m1', 'o1', now(), "
                                + "'placed', '%s', 'n', 's', 'c', 'p', '[]', 1, now()) ON CONFLICT (message_id) DO UPDATE SET "
                                + "masked_customer_email = EXCLUDED.masked_customer_email, status = EXCLUDED.status";
                s.execute(upsert.formatted("AAAA"));
                s.execute(upsert.formatted("BBBB").replace("'placed'", "'paid'"));
                assertThat(db.rows("SELECT status, masked_customer_email FROM orders"))
                        .containsExactly("paid|AAAA");
                assertThatThrownBy(() -> s.execute("UPDATE public.orders SET message_id = 'm2'"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.execute("DELETE FROM public.orders"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.execute("INSERT INTO public.pii_columns SELECT * FROM public.pii_columns"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            } finally {
                db.execute("DROP OWNED BY " + login);
                db.execute("DROP ROLE " + login);
            }
        }
    }

    @Test
    void aDryRunChangesNothingAndPrintsExactlyWhatApplyThenDoes() throws Exception {
        try (TestDb db = TestDb.create()) {
            List<String> empty = db.state();
            Plan dry = Apply.run(db.admin(), Fixtures.load("orders"), true);
            assertThat(db.state()).isEqualTo(empty);
            assertThat(dry.statements()).isNotEmpty();
            Plan applied = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(applied.render()).isEqualTo(dry.render());
            assertThat(applied.statements()).isEqualTo(dry.statements());
        }
    }

    @Test
    void aSecondApplyIsANoOp() throws Exception {
        try (TestDb db = TestDb.create()) {
            for (String ds : List.of("orders", "user_logins")) {
                Apply.run(db.admin(), Fixtures.load(ds), false);
            }
            List<String> state = db.state();
            for (String ds : List.of("orders", "user_logins")) {
                Plan again = Apply.run(db.admin(), Fixtures.load(ds), false);
                assertThat(again.statements()).isEmpty();
                assertThat(again.render()).contains("nothing to change");
            }
            assertThat(db.state()).isEqualTo(state);
        }
    }

    @Test
    void aTableOfAnotherDatasetIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            java.nio.file.Path copy = Fixtures.edited("orders", dir, x -> {});
            java.nio.file.Files.writeString(
                    copy.resolve("dataset.json"),
                    java.nio.file.Files.readString(copy.resolve("dataset.json"))
                            .replace("\"name\": \"orders\"", "\"name\": \"orders_copy\""));
            List<String> state = db.state();
            Plan plan = Apply.run(db.admin(), Definition.load(copy), false);
            assertThat(plan.refusals())
                    .contains(
                            "dataset.json: table orders belongs to dataset orders; choose another " + "table name",
                            "dataset.json: table orders_rejected belongs to dataset orders; choose another "
                                    + "table name");
            assertThat(plan.statements()).isEmpty();
            assertThat(db.state()).isEqualTo(state);
        }
    }
    // ---- the kept-ciphertext trigger: roles.sql's one function, the tables name their columns ----

    @Test
    void eachTableNamesItsCiphertextsAsArgumentsOfRolesSqlsOneFunction() throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(db.rows("SELECT tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT "
                            + "tgisinternal ORDER BY 1"))
                    .containsExactly(
                            "orders|CREATE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.orders FOR EACH "
                                    + "ROW EXECUTE FUNCTION pii_keep_ciphertexts('masked_customer_email', "
                                    + "'masked_customer_phone', 'masked_customer_name', "
                                    + "'masked_customer_shipping_address_street', 'items')",
                            "orders_rejected|CREATE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.orders_rejected "
                                    + "FOR EACH ROW EXECUTE FUNCTION pii_keep_ciphertexts('encrypted_body')");
            assertThat(db.rows("SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = "
                            + "'public'::regnamespace AND p.prorettype = 'trigger'::regtype"))
                    .containsExactly("pii_keep_ciphertexts()");
        }
    }

    @Test
    void applyBeforeRolesSqlIsRefusedNamingTheMissingFunctionAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.create()) {
            db.execute("DROP FUNCTION public.pii_keep_ciphertexts()");
            List<String> state = db.state();
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.refusals())
                    .containsExactly("function public.pii_keep_ciphertexts() (owned by "
                            + "pii_audit_owner) does not exist: apply connect-config/sql/roles.sql first");
            assertThat(plan.statements()).isEmpty();
            assertThat(db.state()).isEqualTo(state);
        }
    }

    @Test
    void aPlantedKeepFunctionNotOwnedByTheAuditOwnerIsRefused() throws Exception {
        try (TestDb db = TestDb.create()) {
            // a look-alike that keeps nothing, created by someone other than roles.sql
            db.execute("CREATE OR REPLACE FUNCTION public.pii_keep_ciphertexts() RETURNS trigger LANGUAGE plpgsql "
                    + "AS $fn$ BEGIN RETURN NEW; END $fn$");
            db.execute("ALTER FUNCTION public.pii_keep_ciphertexts() OWNER TO pipeline_writer");
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.refusals())
                    .containsExactly("function public.pii_keep_ciphertexts() (owned by "
                            + "pii_audit_owner) does not exist: apply connect-config/sql/roles.sql first");
        }
    }

    @Test
    void aKeepTriggerDisabledOrNamingFewerCiphertextsIsRestoredByTheNextApply() throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            List<String> state = db.state();
            db.execute("CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.orders FOR EACH ROW "
                    + "EXECUTE FUNCTION public.pii_keep_ciphertexts('masked_customer_name')");
            db.execute("ALTER TABLE public.orders_rejected DISABLE TRIGGER pii_keep_ciphertexts");
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.statements()).hasSize(2).allMatch(x -> x.startsWith("CREATE OR REPLACE TRIGGER"));
            assertThat(db.state()).isEqualTo(state);
            assertThat(db.rows("SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'public.orders_rejected'::regclass"))
                    .containsExactly("O");
        }
    }

    @Test
    void aDatabaseAppliedWithTheTableSpecificFunctionsMovesToTheOneFunctionAndDropsThem() throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            List<String> state = db.state();
            // what the first version of dataset apply (and of roles.sql, for rejected tables) left
            for (String[] t : new String[][] {
                {"orders", "pii_keep_orders_ciphertexts"}, {"orders_rejected", "pii_keep_rejected_ciphertexts"}
            }) {
                db.execute("CREATE FUNCTION public." + t[1] + "() RETURNS trigger LANGUAGE plpgsql "
                        + "SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN RETURN NEW; END $fn$");
                db.execute("ALTER FUNCTION public." + t[1] + "() OWNER TO pii_audit_owner");
                db.execute("CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public." + t[0]
                        + " FOR EACH ROW EXECUTE FUNCTION public." + t[1] + "()");
            }
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.statements())
                    .filteredOn(x -> x.startsWith("DROP FUNCTION"))
                    .containsExactly(
                            "DROP FUNCTION public.\"pii_keep_orders_ciphertexts\"()",
                            "DROP FUNCTION public.\"pii_keep_rejected_ciphertexts\"()");
            assertThat(db.state()).isEqualTo(state);
            assertThat(Apply.run(db.admin(), Fixtures.load("orders"), false).statements())
                    .isEmpty();
        }
    }

    @Test
    void theSharedRejectedFunctionIsKeptWhileAnotherTableStillUsesIt() throws Exception {
        try (TestDb db = TestDb.create()) {
            db.execute("CREATE TABLE public.other_rejected (message_id text PRIMARY KEY, encrypted_body text)");
            db.execute("CREATE FUNCTION public.pii_keep_rejected_ciphertexts() RETURNS trigger LANGUAGE plpgsql "
                    + "AS $fn$ BEGIN RETURN NEW; END $fn$");
            db.execute("CREATE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.other_rejected FOR EACH ROW "
                    + "EXECUTE FUNCTION public.pii_keep_rejected_ciphertexts()");
            Plan plan = Apply.run(db.admin(), Fixtures.load("orders"), false);
            assertThat(plan.refusals()).isEmpty();
            assertThat(plan.statements()).noneMatch(x -> x.startsWith("DROP FUNCTION"));
            assertThat(db.rows("SELECT to_regprocedure('public.pii_keep_rejected_ciphertexts()') IS NOT NULL"))
                    .containsExactly("t");
        }
    }

    @Test
    void theSinkLoginRewritingAStoredCiphertextOfAnyKeptColumnChangesNothing() throws Exception {
        try (TestDb db = TestDb.create()) {
            Apply.run(db.admin(), Fixtures.load("orders"), false);
            db.execute("INSERT INTO public.orders (message_id, order_id, placed_at, status, masked_customer_email, "
                    + "masked_customer_name, masked_customer_shipping_address_street, customer_shipping_address_city, "
                    + "customer_shipping_address_postcode, items, total, create_date) VALUES ('m1', 'o1', now(), "
                    + "'placed', 'E1', 'N1', 'S1', 'c', 'p', '[{\"holder_name\": \"H1\"}]', 1, now())");
            db.execute("INSERT INTO public.orders_rejected VALUES ('r1', 'bad', 'B1', now())");
            String login = "ds_"
                    + UUID.randomUUID()
                            .toString()
                            .replace("-", "")
                            .substring(0, 8)
                            .toLowerCase(Locale.ROOT);
            db.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'pw' IN ROLE pipeline_writer");
            try (Connection w = DriverManager.getConnection(db.url, login, "pw");
                    Statement s = w.createStatement()) {
                s.execute("UPDATE public.orders SET masked_customer_email = 'E2', masked_customer_phone = 'P2', "
                        + "masked_customer_name = NULL, masked_customer_shipping_address_street = 'S2', items = '[]', "
                        + "status = 'paid'");
                s.execute("UPDATE public.orders_rejected SET encrypted_body = 'B2', error = 'worse'");
            } finally {
                db.execute("DROP OWNED BY " + login);
                db.execute("DROP ROLE " + login);
            }
            // every kept ciphertext is the first one; an empty cell (phone) was filled; other columns changed
            assertThat(db.rows("SELECT masked_customer_email, masked_customer_phone, masked_customer_name, "
                            + "masked_customer_shipping_address_street, items::text, status FROM orders"))
                    .containsExactly("E1|P2|N1|S1|[{\"holder_name\": \"H1\"}]|paid");
            assertThat(db.rows("SELECT encrypted_body, error FROM orders_rejected"))
                    .containsExactly("B1|worse");
        }
    }

    @Test
    void aTableWithoutCiphertextsGetsNoKeepTriggerItsRejectedTableDoes(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (TestDb db = TestDb.create()) {
            Definition plain = Definition.load(Fixtures.edited("orders", dir, ApplyTest::dropPii));
            assertThat(Apply.run(db.admin(), plain, false).refusals()).isEmpty();
            assertThat(db.rows("SELECT tgrelid::regclass::text, tgnargs FROM pg_trigger WHERE NOT tgisinternal"))
                    .containsExactly("orders_rejected|1");
            // the function refuses to run without columns; a table without PII updates as usual
            db.execute("INSERT INTO public.orders (message_id, order_id, placed_at, status, customer_email, "
                    + "customer_name, customer_shipping_address_street, customer_shipping_address_city, "
                    + "customer_shipping_address_postcode, items, total, create_date) VALUES ('m1', 'o1', now(), "
                    + "'placed', 'e', 'n', 's', 'c', 'p', '[]', 1, now())");
            db.execute("UPDATE public.orders SET status = 'paid'");
            assertThat(Apply.run(db.admin(), plain, false).statements()).isEmpty();
        }
    }

    private static void dropPii(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove("x-pii");
        }
        n.forEach(ApplyTest::dropPii);
    }
}
