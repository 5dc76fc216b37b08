package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.testing.TestDb;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The datasets the inspector browses come from the PII catalog and the database's own catalog: the shipped
 * user_logins and orders, and a definition written here that no code names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetCatalogTest {

    TestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    void create() throws Exception {
        db = TestDb.create(); // user_logins applied
        db.applyDataset(TestDb.shipped("orders"));
    }

    @AfterAll
    void drop() throws Exception {
        db.close();
    }

    private List<Dataset> as(String group) throws Exception {
        String login = db.createLogin(group, "pw");
        try (Session s = Session.open(db.settings(login, "pw"))) {
            assertThat(s.repository().datasets()).isEqualTo(s.datasets());
            return s.datasets();
        }
    }

    private static Dataset named(List<Dataset> all, String name) {
        return all.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theShippedDatasetsAreReadFromTheCatalog() throws Exception {
        List<Dataset> all = as("analyst");
        assertThat(all).extracting(Dataset::name).contains("orders", "user_logins");

        Dataset logins = named(all, "user_logins");
        assertThat(logins.readable()).isTrue();
        TableSpec t = logins.table();
        assertThat(t.name()).isEqualTo("user_logins");
        assertThat(t.key().name()).isEqualTo("message_id");
        assertThat(t.columns())
                .extracting(Column::name)
                .containsExactly(
                        "message_id",
                        "user_id",
                        "device_type",
                        "masked_ip",
                        "masked_device_id",
                        "locale",
                        "app_version",
                        "create_date");
        assertThat(t.columns().stream().filter(Column::isPii).map(Column::name))
                .containsExactly("masked_ip", "masked_device_id");
        assertThat(t.deterministicColumns()).extracting(Column::name).containsExactly("masked_ip", "masked_device_id");
        assertThat(t.requireColumn("create_date").type()).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(t.requireColumn("create_date").indexed()).isTrue();
        assertThat(t.defaultSort()).isEqualTo(Sort.desc("create_date"));
        assertThat(t.requireColumn("device_type").nullable()).isTrue();
        assertThat(t.requireColumn("user_id").nullable()).isFalse();
        assertThat(logins.rejected().name()).isEqualTo("user_logins_rejected");
        assertThat(logins.rejected().requireColumn("encrypted_body").pii()).isEqualTo(Column.PiiMode.RANDOMIZED);

        TableSpec orders = named(all, "orders").table();
        assertThat(orders.requireColumn("masked_customer_email").isDeterministic())
                .isTrue();
        assertThat(orders.requireColumn("masked_customer_email").keyDomain()).isEqualTo("email");
        assertThat(orders.requireColumn("masked_customer_name").pii()).isEqualTo(Column.PiiMode.RANDOMIZED);
        assertThat(orders.requireColumn("customer_shipping_address_city").isPii())
                .isFalse();
        Column items = orders.requireColumn("items");
        assertThat(items.type()).isEqualTo(ColumnType.JSON);
        assertThat(items.itemPointers()).containsExactly("/holder_name");
        assertThat(items.display()).isEqualTo(Column.Display.JSON);
        assertThat(orders.requireColumn("total").type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(orders.requireColumn("gift").type()).isEqualTo(ColumnType.BOOLEAN);
        assertThat(orders.requireColumn("delivery_date").type()).isEqualTo(ColumnType.DATE);
        assertThat(orders.deterministicColumns())
                .extracting(Column::name)
                .containsExactly("masked_customer_email", "masked_customer_phone");
        assertThat(orders.defaultSort()).isEqualTo(Sort.desc("create_date"));
    }

    @Test
    void aDefinitionNoCodeNamesIsBrowsable() throws Exception {
        Path folder = dir.resolve("signups");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("dataset.json"), """
                {"name": "signups", "queue": "signups-queue", "topic": "signups", "dead_letter_topic": "signups.dlq",
                 "table": "signups", "rejected_table": "signups_rejected", "row_key": "sqs.message_id"}
                """);
        Files.writeString(folder.resolve("event.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "io.sqspii.Signup", "type": "object",
                 "additionalProperties": false,
                 "properties": {
                   "email": {"type": "string", "maxLength": 320,
                             "x-pii": {"mode": "deterministic", "canonical": "email", "domain": "email"}},
                   "referrer": {"type": ["string", "null"], "maxLength": 200, "x-pii": {"mode": "randomized"}},
                   "plan": {"type": "string", "maxLength": 20},
                   "seats": {"type": "integer"}
                 },
                 "required": ["email", "plan", "seats"]}
                """);
        db.applyDataset(folder);
        Dataset signups = named(as("analyst"), "signups");
        TableSpec t = signups.table();
        assertThat(t.columns().stream().filter(Column::isDeterministic).map(Column::name))
                .containsExactly("masked_email");
        assertThat(t.requireColumn("masked_email").keyDomain()).isEqualTo("email");
        assertThat(t.columns().stream()
                        .filter(c -> c.pii() == Column.PiiMode.RANDOMIZED)
                        .map(Column::name))
                .containsExactly("masked_referrer");
        assertThat(t.requireColumn("seats").type()).isEqualTo(ColumnType.BIGINT);

        // browsable: filters and pages over its generated columns
        String cols = String.join(", ", t.columns().stream().map(Column::name).toList());
        db.execute("INSERT INTO signups (" + cols + ") SELECT "
                + String.join(
                        ", ",
                        t.columns().stream()
                                .map(c -> switch (c.name()) {
                                    case "seats" -> "i";
                                    case "create_date" -> "timestamptz '2026-11-02 08:00Z' + i * interval '1 minute'";
                                    case "masked_email" -> "'ct-' || (i % 3)";
                                    default -> "'v-' || i";
                                })
                                .toList())
                + " FROM generate_series(1, 7) i");
        String login = db.createLogin("analyst", "pw");
        try (Session s = Session.open(db.settings(login, "pw"))) {
            InspectorRepository repo = s.repository();
            Page p = repo.page(
                    t,
                    Filter.builder()
                            .add("seats", Filter.Op.GTE, new BigDecimal(3))
                            .contains("plan", "v-")
                            .build(),
                    t.defaultSort(),
                    null,
                    3);
            assertThat(p.rows()).extracting(r -> r.get("seats")).containsExactly(7L, 6L, 5L);
            assertThat(p.rows().get(0).get("create_date")).isInstanceOf(OffsetDateTime.class);
            assertThat(repo.page(t, Filter.NONE, t.defaultSort(), p.next(), 10).rows())
                    .hasSize(4);
            assertThat(repo.duplicates(t, List.of("masked_email"), 2, 10, 0))
                    .extracting(g -> g.rows())
                    .containsExactly(3L, 2L, 2L);
        }
    }

    @Test
    void aValueOfASharedKeyDomainIsCountedInEveryDatasetOfTheDomainByCiphertextEquality() throws Exception {
        db.applyDataset(TestDb.testDataset("tickets"));
        db.execute("""
                INSERT INTO orders (message_id, order_id, placed_at, status, masked_customer_email, masked_customer_name,
                  masked_customer_shipping_address_street, customer_shipping_address_city, customer_shipping_address_postcode,
                  items, total, create_date)
                SELECT 'shared-o-' || i, 'order-' || i, now(), 'paid', CASE WHEN i <= 3 THEN 'AQann' ELSE 'AQbo' END, 'AQann',
                  'AQstreet', 'Springfield', '62701', '[]', 1, now()
                FROM generate_series(1, 4) i""");
        // the reporter's name holds the same text, randomized: not of the domain, not counted
        db.execute("""
                INSERT INTO tickets (message_id, ticket_no, opened_at, priority, masked_reporter_email, masked_reporter_name, create_date)
                SELECT 'shared-t-' || i, i, now(), 'low', CASE WHEN i <= 2 THEN 'AQann' ELSE 'AQcy' END, 'AQann', now()
                FROM generate_series(1, 5) i""");
        String login = db.createLogin("analyst", "pw");
        try (Session s = Session.open(db.settings(login, "pw"))) {
            List<Dataset> all = s.repository().datasets();
            assertThat(Dataset.sharedDomains(all)).contains("email");
            assertThat(named(all, "tickets")
                            .table()
                            .requireColumn("masked_reporter_email")
                            .keyDomain())
                    .isEqualTo("email");
            // most rows first; user_logins has no column of the domain, a dataset without the value is left out
            assertThat(s.repository().rowsPerDatasetInDomain(all, "email", "AQann"))
                    .containsExactly(java.util.Map.entry("orders", 3L), java.util.Map.entry("tickets", 2L));
            assertThat(s.repository().rowsPerDatasetInDomain(all, "email", "AQcy"))
                    .containsExactly(java.util.Map.entry("tickets", 3L));
            assertThat(s.repository().rowsPerDatasetInDomain(all, "email", "' OR 1=1 --"))
                    .isEmpty();
        } finally {
            db.execute("DELETE FROM orders WHERE message_id LIKE 'shared-o-%'");
        }
    }

    @Test
    void aLoginThatMayNotReadTheTablesSeesThemAsUnreadable() throws Exception {
        Dataset logins = named(as("pii_auditor"), "user_logins");
        assertThat(logins.readable()).isFalse();
        assertThat(logins.rejectedReadable()).isFalse();
    }

    @Test
    void noCatalogNoDatasets() throws Exception {
        try (TestDb empty = TestDb.createEmpty()) {
            empty.execute("CREATE TABLE pii_access_log (id bigint PRIMARY KEY)");
            try (Session s = Session.open(empty.settings(TestDb.PG_USER, TestDb.PG_PASSWORD))) {
                assertThat(s.datasets()).isEmpty();
            }
        }
    }
}
