package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

    @Test
    void userLoginsHasTodaysColumnsAndPii() throws Exception {
        Layout l = Layout.of(Fixtures.load("user_logins"));
        assertThat(l.columns())
                .extracting(c -> c.name() + " " + c.sqlType() + (c.notNull() ? " NOT NULL" : ""))
                .containsExactly(
                        "message_id text NOT NULL",
                        "user_id text NOT NULL",
                        "device_type text NOT NULL",
                        "masked_ip text NOT NULL",
                        "masked_device_id text NOT NULL",
                        "locale text",
                        "app_version text NOT NULL",
                        "create_date timestamptz NOT NULL");
        assertThat(l.pii())
                .extracting(f -> f.column() + " " + f.jsonPointer() + " "
                        + f.mode().id() + " " + f.canonical().id() + " " + f.associatedData() + " " + f.keyset())
                .containsExactly(
                        "masked_ip /ip deterministic ip user_logins.ip deterministic",
                        "masked_device_id /device_id deterministic identifier user_logins.device_id deterministic");
        // the whole body of a rejected message, bound to the rejected table
        assertThat(l.rejectedPii())
                .extracting(f -> f.table() + "." + f.column() + " " + f.mode().id() + " " + f.associatedData())
                .containsExactly("user_logins_rejected.encrypted_body randomized " + "user_logins_rejected.body");
        assertThat(l.hashIndexed()).containsExactly("masked_ip", "masked_device_id");
    }

    @Test
    void ordersFlattensObjectsKeepsArraysAsJsonbAndEncryptsInsideThem() throws Exception {
        Layout l = Layout.of(Fixtures.load("orders"));
        assertThat(l.columns())
                .extracting(c -> c.name() + " " + c.sqlType() + (c.notNull() ? " NOT NULL" : ""))
                .containsExactly(
                        "message_id text NOT NULL",
                        "order_id text NOT NULL",
                        "placed_at timestamptz NOT NULL",
                        "status text NOT NULL",
                        "masked_customer_email text NOT NULL",
                        "masked_customer_phone text",
                        "masked_customer_name text NOT NULL",
                        "masked_customer_shipping_address_street text NOT NULL",
                        "customer_shipping_address_city text NOT NULL",
                        "customer_shipping_address_postcode text NOT NULL",
                        "items jsonb NOT NULL",
                        "total double precision NOT NULL",
                        "gift boolean",
                        "delivery_date date",
                        "create_date timestamptz NOT NULL");
        assertThat(l.pii())
                .extracting(f -> f.column() + " " + f.jsonPointer() + " " + f.inArray() + " "
                        + f.itemPointer() + " " + f.mode().id() + " "
                        + f.canonical().id() + " " + f.region() + " "
                        + f.keyDomain() + " " + f.associatedData())
                .containsExactly(
                        "masked_customer_email /customer/email false null deterministic email null email email",
                        "masked_customer_phone /customer/phone false null deterministic phone US orders "
                                + "orders.customer.phone",
                        "masked_customer_name /customer/name false null randomized none null orders orders.customer.name",
                        "masked_customer_shipping_address_street /customer/shipping_address/street false null "
                                + "randomized none null orders orders.customer.shipping_address.street",
                        "items /items true /holder_name randomized none null orders orders.items[].holder_name");
        assertThat(l.columns().stream().filter(Layout.Column::ciphertext))
                .extracting(Layout.Column::name)
                .contains("items");
        assertThat(l.hashIndexed()).containsExactly("masked_customer_email", "masked_customer_phone");
    }

    @Test
    void notNullOnlyWhereEveryEnclosingObjectIsRequired(@TempDir Path dir) throws Exception {
        Path f = Fixtures.edited(
                "orders", dir, s -> Fixtures.at(s, "").withArray("required").remove(3)); // customer
        Layout l = Layout.of(Definition.load(f));
        assertThat(l.column("customer_shipping_address_city").notNull()).isFalse();
        assertThat(l.column("masked_customer_email").notNull()).isFalse();
        assertThat(l.column("order_id").notNull()).isTrue();
    }

    @Test
    void collidingColumnsAndAFieldRowKeyAreChecked(@TempDir Path dir) throws Exception {
        Path f = Fixtures.edited(
                "orders",
                dir,
                s -> Fixtures.at(s, "/properties")
                        .set(
                                "customer_shipping_address_city",
                                Definition.JSON.createObjectNode().put("type", "string")));
        assertThatThrownBy(() -> Layout.of(Definition.load(f)))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("event.schema.json#/properties/customer_shipping_address_city: its column "
                        + "customer_shipping_address_city is already the column of "
                        + "event.schema.json#/properties/customer/properties/shipping_address/properties/city; "
                        + "rename a property or set x-pii column");
        Path reserved = Fixtures.edited(
                "orders",
                dir,
                s -> Fixtures.at(s, "/properties")
                        .set("create_date", Definition.JSON.createObjectNode().put("type", "string")));
        assertThatThrownBy(() -> Layout.of(Definition.load(reserved)))
                .hasMessageContaining(
                        "event.schema.json#/properties/create_date: its column create_date is already the column of the row's "
                                + "create_date");
    }

    @Test
    void aFieldRowKeyIsThePrimaryKey(@TempDir Path dir) throws Exception {
        Path f = Fixtures.edited("orders", dir, s -> {});
        JsonNode ds = Definition.JSON.readTree(f.resolve("dataset.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) ds).put("row_key", "/order_id");
        java.nio.file.Files.writeString(f.resolve("dataset.json"), Json.pretty(ds));
        Layout l = Layout.of(Definition.load(f));
        assertThat(l.keyColumn()).isEqualTo("order_id");
        assertThat(l.columns().get(0).name()).isEqualTo("order_id");
        assertThat(Ddl.createTable("orders", l.columns(), l.keyColumn())).contains("\"order_id\" text PRIMARY KEY");
        Map<String, Map<String, String>> sinks = SinkConfigs.of(l);
        assertThat(sinks.get("orders-sink")).containsEntry("primary.key.fields", "order_id");
        ((com.fasterxml.jackson.databind.node.ObjectNode) ds).put("row_key", "/customer/email");
        java.nio.file.Files.writeString(f.resolve("dataset.json"), Json.pretty(ds));
        assertThatThrownBy(() -> Layout.of(Definition.load(f)))
                .hasMessage("dataset.json#/row_key: the row key must be "
                        + "a required, non-nullable string or integer property that is not PII, outside arrays");
    }

    @Test
    void anArrayOfPiiStringsAndASharedDomainUsedTwice(@TempDir Path dir) throws Exception {
        Path ok = Fixtures.edited("orders", dir, s -> {
            com.fasterxml.jackson.databind.node.ObjectNode tags =
                    Fixtures.at(s, "/properties").putObject("aliases");
            tags.put("type", "array");
            tags.putObject("items")
                    .put("type", "string")
                    .putObject("x-pii")
                    .put("mode", "deterministic")
                    .put("canonical", "email")
                    .put("domain", "email");
        });
        Layout l = Layout.of(Definition.load(ok));
        assertThat(l.pii())
                .filteredOn(f -> f.column().equals("aliases"))
                .extracting(f -> f.jsonPointer() + " " + f.itemPointer() + " " + f.associatedData())
                .containsExactly("/aliases  email");
        assertThatThrownBy(() -> Layout.of(Definition.load(Fixtures.edited("orders", dir, s -> {
                    com.fasterxml.jackson.databind.node.ObjectNode x =
                            Fixtures.at(s, "/properties").putObject("backup_email");
                    x.put("type", "string")
                            .putObject("x-pii")
                            .put("mode", "deterministic")
                            .put("canonical", "none")
                            .put("domain", "email");
                }))))
                .hasMessage("event.schema.json#/properties/backup_email: shared key domain email is used by "
                        + "event.schema.json#/properties/customer/properties/email with another mode, canonical form or "
                        + "region; use the same, or another domain");
    }
}
