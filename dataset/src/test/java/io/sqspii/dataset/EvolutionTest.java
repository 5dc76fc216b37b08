package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing an applied definition: additive changes are applied, incompatible ones refused with nothing changed. */
class EvolutionTest {

    @TempDir
    Path dir;

    private TestDb db;

    @BeforeEach
    void applyOrders() throws Exception {
        db = TestDb.create();
        assertThat(Apply.run(db.admin(), Fixtures.load("orders"), false).refusals())
                .isEmpty();
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    private static ObjectNode obj(String json) {
        try {
            return (ObjectNode) Definition.JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Plan apply(Consumer<ObjectNode> edit) throws Exception {
        return Apply.run(db.admin(), Definition.load(Fixtures.edited("orders", dir, edit)), false);
    }

    /** Applies the edit, expects it refused with {@code expected} among the reasons, and nothing changed. */
    private void refused(Consumer<ObjectNode> edit, String... expected) throws Exception {
        List<String> before = db.state();
        Plan plan = apply(edit);
        assertThat(plan.refusals()).contains(expected);
        assertThat(plan.statements()).isEmpty();
        assertThat(plan.render()).contains("REFUSED: nothing is applied");
        assertThat(db.state()).isEqualTo(before);
    }

    @Test
    void anOptionalPropertyIsAddedAsAColumnAndAnOptionalPiiPropertyAlsoAsACatalogRow() throws Exception {
        Plan plan = apply(s -> {
            Fixtures.at(s, "/properties").set("coupon", obj("{'type':['string','null'],'maxLength':32}"));
            Fixtures.at(s, "/properties/customer/properties")
                    .set("tax_id", obj("{'type':'string','x-pii':{'mode':'hmac','canonical':'identifier'}}"));
        });
        assertThat(plan.refusals()).isEmpty();
        List<String> ddl = plan.statements().stream()
                .filter(x -> !x.contains("pii_columns") && !x.contains("pii_datasets"))
                .toList();
        assertThat(ddl.subList(0, 3))
                .containsExactly(
                        "ALTER TABLE public.\"orders\" ADD COLUMN IF NOT EXISTS \"masked_customer_tax_id\" text",
                        "ALTER TABLE public.\"orders\" ADD COLUMN IF NOT EXISTS \"coupon\" text",
                        "CREATE INDEX IF NOT EXISTS \"orders_masked_customer_tax_id_hash\" ON public.\"orders\" USING hash "
                                + "(\"masked_customer_tax_id\")");
        // then: the new ciphertext is kept once written like the others, and the grants name the new columns
        assertThat(ddl.get(3))
                .isEqualTo("CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON "
                        + "public.\"orders\" FOR EACH ROW EXECUTE FUNCTION public.pii_keep_ciphertexts('masked_customer_email', "
                        + "'masked_customer_phone', 'masked_customer_name', 'masked_customer_shipping_address_street', "
                        + "'masked_customer_tax_id', 'items')");
        assertThat(db.rows("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'pii_keep_ciphertexts' AND "
                                + "tgrelid = 'public.orders'::regclass")
                        .get(0))
                .endsWith("'masked_customer_tax_id', 'items')");
        assertThat(ddl)
                .anyMatch(x ->
                        x.startsWith("GRANT UPDATE (") && x.contains("\"coupon\"") && x.endsWith("TO pipeline_writer"));
        assertThat(db.rows(
                        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name "
                                + "= 'orders' AND column_name IN ('coupon', 'masked_customer_tax_id') ORDER BY 1"))
                .containsExactly("coupon|text|YES", "masked_customer_tax_id|text|YES");
        assertThat(db.rows("SELECT mode, canonical, associated_data FROM pii_columns WHERE column_name = "
                        + "'masked_customer_tax_id'"))
                .containsExactly("hmac|identifier|orders.customer.tax_id");
        assertThat(
                        db.rows(
                                "SELECT has_column_privilege('pipeline_writer', 'public.orders', 'coupon', 'UPDATE'), "
                                        + "has_column_privilege('pii_reencryptor', 'public.orders', 'masked_customer_tax_id', 'UPDATE')"))
                .containsExactly("t|t");
        assertThat(Apply.run(
                                db.admin(),
                                Definition.load(Fixtures.edited("orders", dir, s -> {
                                    Fixtures.at(s, "/properties")
                                            .set("coupon", obj("{'type':['string','null'],'maxLength':32}"));
                                    Fixtures.at(s, "/properties/customer/properties")
                                            .set(
                                                    "tax_id",
                                                    obj(
                                                            "{'type':'string','x-pii':{'mode':'hmac','canonical':'identifier'}}"));
                                })),
                                false)
                        .empty())
                .isTrue();
    }

    @Test
    void boundsAddedOrTightenedArePlannedLikeAMaxLengthChange() throws Exception {
        // A bound is kept by the source connector on the events it reads: no DDL, grant or note, only the stored
        // definition (and the source connector's schema) change. Rows already stored are not checked again.
        List<Consumer<ObjectNode>> edits = List.of(
                s -> Fixtures.at(s, "/properties/customer/properties/shipping_address/properties/city")
                        .put("maxLength", 50),
                s -> {
                    Fixtures.at(s, "/properties/items/items/properties/quantity")
                            .put("minimum", 1)
                            .put("maximum", 999);
                    Fixtures.at(s, "/properties/total").put("exclusiveMinimum", 0);
                    Fixtures.at(s, "/properties/customer/properties/name").put("minLength", 1);
                    Fixtures.at(s, "/properties/items").put("minItems", 1);
                },
                s -> Fixtures.at(s, "/properties/items/items/properties/quantity")
                        .put("minimum", 2)
                        .put("maximum", 99));
        for (Consumer<ObjectNode> edit : edits) {
            Plan plan = apply(edit);
            assertThat(plan.refusals()).isEmpty();
            assertThat(plan.notes()).isEmpty();
            assertThat(plan.statements())
                    .isNotEmpty()
                    .allMatch(x -> x.contains("pii_datasets") || x.contains("pii_columns"));
        }
        assertThat(db.rows("SELECT definition #>> '{event.schema.json,properties,items,items,properties,quantity,"
                        + "maximum}' FROM pii_datasets WHERE dataset = 'orders'"))
                .containsExactly("99");
    }

    @Test
    void aTypeChangeIsRefused() throws Exception {
        refused(
                s -> Fixtures.at(s, "/properties/total").put("type", "integer"),
                "event.schema.json#/properties/total: its type changed: column orders.total is double precision, the "
                        + "definition now needs bigint; keep the type, or add a property under a new name");
    }

    @Test
    void aNewRequiredPropertyIsRefused() throws Exception {
        refused(
                s -> {
                    Fixtures.at(s, "/properties").set("channel", obj("{'type':'string'}"));
                    s.withArray("required").add("channel");
                },
                "event.schema.json#/properties/channel: a new required property: rows already in orders have no value for "
                        + "it; add it as optional (leave it out of required, or make it nullable)");
    }

    @Test
    void droppingAPiiAnnotationIsRefused() throws Exception {
        refused(
                s -> Fixtures.at(s, "/properties/customer/properties/phone").remove("x-pii"),
                "event property /customer/phone: its x-pii annotation (column masked_customer_phone) is gone: stored "
                        + "ciphertexts would be read as clear values; put the annotation back as applied (mode "
                        + "deterministic, canonical phone)",
                "event.schema.json#/properties/customer/properties/phone (as applied): column "
                        + "orders.masked_customer_phone is not in the definition any more: apply never drops a column "
                        + "(its rows would be lost); put the property back, optional if need be");
        refused(
                s -> Fixtures.at(s, "/properties/items/items/properties/holder_name")
                        .remove("x-pii"),
                "event property /items (elements' /holder_name): its x-pii annotation (column items) is gone: stored "
                        + "ciphertexts would be read as clear values; put the annotation back as applied (mode "
                        + "randomized, canonical none)");
    }

    @Test
    void changingAModeADomainOrACanonicalFormIsRefused() throws Exception {
        String name = "event.schema.json#/properties/customer/properties/name";
        refused(
                s -> Fixtures.at(s, "/properties/customer/properties/name/x-pii")
                        .put("mode", "deterministic"),
                name
                        + ": x-pii mode changed (applied: randomized): existing ciphertexts would no longer match new ones "
                        + "or decrypt; keep it as applied, or add a new property for the new protection and re-encrypt "
                        + "with pii-keys");
        String email = "event.schema.json#/properties/customer/properties/email";
        refused(
                s -> Fixtures.at(s, "/properties/customer/properties/email/x-pii")
                        .remove("domain"),
                email + ": x-pii domain changed (applied: email): existing ciphertexts would no longer match new ones "
                        + "or decrypt; keep it as applied, or add a new property for the new protection and re-encrypt "
                        + "with pii-keys");
        String phone = "event.schema.json#/properties/customer/properties/phone";
        refused(
                s -> {
                    ObjectNode x = Fixtures.at(s, "/properties/customer/properties/phone/x-pii");
                    x.put("canonical", "identifier");
                    x.remove("region");
                },
                phone
                        + ": x-pii canonical changed (applied: phone): existing ciphertexts would no longer match new ones or "
                        + "decrypt; keep it as applied, or add a new property for the new protection and re-encrypt with "
                        + "pii-keys");
        refused(
                s -> Fixtures.at(s, "/properties/customer/properties/phone/x-pii")
                        .put("region", "GB"),
                phone + ": x-pii region changed (applied: US): existing ciphertexts would no longer match new ones or "
                        + "decrypt; keep it as applied, or add a new property for the new protection and re-encrypt "
                        + "with pii-keys");
    }

    @Test
    void removingAColumnIsRefused() throws Exception {
        refused(
                s -> Fixtures.at(s, "/properties").remove("gift"),
                "event.schema.json#/properties/gift (as applied): column orders.gift is not in the definition any "
                        + "more: apply never drops a column (its rows would be lost); put the property back, optional "
                        + "if need be");
    }

    @Test
    void addingPiiToAStoredPropertyIsRefused() throws Exception {
        refused(
                s -> Fixtures.at(s, "/properties/items/items/properties/sku").set("x-pii", obj("{'mode':'hmac'}")),
                "event.schema.json#/properties/items/items/properties/sku: x-pii added to a value whose column items "
                        + "already holds rows in clear; add a new property for the protected value instead");
    }

    @Test
    void makingAPropertyOptionalDropsItsNotNull() throws Exception {
        Plan plan = apply(s -> {
            Fixtures.at(s, "").withArray("required").remove(5); // total
        });
        assertThat(plan.statements()).contains("ALTER TABLE public.\"orders\" ALTER COLUMN \"total\" DROP NOT NULL");
        assertThat(db.rows("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'orders' AND "
                        + "column_name = 'total'"))
                .containsExactly("YES");
    }

    @Test
    void aDescriptionChangeOnlyUpdatesTheCatalog() throws Exception {
        List<String> tables = db.rows("SELECT table_name, column_name, data_type, is_nullable FROM "
                + "information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2");
        Plan plan = apply(s -> Fixtures.at(s, "/properties/total").put("description", "Sum of the items' prices."));
        assertThat(plan.refusals()).isEmpty();
        assertThat(plan.statements())
                .isNotEmpty()
                .allMatch(x -> x.contains("public.pii_columns") || x.contains("public.pii_datasets"));
        assertThat(db.rows(
                        "SELECT definition #>> '{event.schema.json,properties,total,description}' FROM pii_datasets"))
                .containsExactly("Sum of the items' prices.");
        assertThat(db.rows("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                        + "WHERE table_schema = 'public' ORDER BY 1, 2"))
                .isEqualTo(tables);
    }
}
