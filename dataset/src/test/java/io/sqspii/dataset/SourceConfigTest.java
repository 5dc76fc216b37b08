package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source connector config a definition gives: what each transform does, derived from the layout alone. */
class SourceConfigTest {

    private static Map<String, String> source(Definition d) throws Exception {
        return DatasetConnectors.of(d).get(DatasetConnectors.sourceName(d));
    }

    @Test
    void everyPiiLeafIsEncryptedOnceByTheTransformOfItsModeDomainAndRegion() throws Exception {
        Definition d = Fixtures.load("orders");
        Map<String, String> c = source(d);
        assertThat(c.get("transforms"))
                .isEqualTo("encryptDeterministicInEmail,encryptDeterministicPhoneUs,"
                        + "encryptRandomized,encryptBody,flatten,rename,arraysToJson,created");
        assertThat(c)
                .containsEntry("transforms.encryptDeterministicInEmail.fields", "customer.email")
                .containsEntry("transforms.encryptDeterministicInEmail.associated.data", "email")
                .containsEntry("transforms.encryptDeterministicInEmail.associated.data.mode", "constant")
                .containsEntry("transforms.encryptDeterministicInEmail.canonicalize.customer.email", "email")
                .containsEntry("transforms.encryptDeterministicPhoneUs.fields", "customer.phone")
                .containsEntry("transforms.encryptDeterministicPhoneUs.phone.default.region", "US")
                .containsEntry("transforms.encryptDeterministicPhoneUs.associated.data", "orders")
                .containsEntry(
                        "transforms.encryptRandomized.fields",
                        "customer.name,customer.shipping_address.street,items[].holder_name")
                .containsEntry("transforms.encryptRandomized.keyset.file", "${env:PII_RANDOMIZED_KEYSET}")
                .containsEntry("transforms.encryptBody.fields", "body")
                .containsEntry("transforms.encryptBody.associated.data", "orders_rejected")
                .containsEntry("transforms.flatten.delimiter", "_")
                .containsEntry(
                        "transforms.rename.renames",
                        "customer_email:masked_customer_email,"
                                + "customer_phone:masked_customer_phone,customer_name:masked_customer_name,"
                                + "customer_shipping_address_street:masked_customer_shipping_address_street,"
                                + "body:encrypted_body")
                .containsEntry("sqs.queue.url", "${env:SQS_QUEUE_URL_BASE}/orders-queue")
                .containsEntry("value.converter.schemas.enable", "false");
        // What each transform binds is what the catalog records.
        Layout l = Layout.of(d);
        for (Layout.PiiField f : l.pii()) {
            String alias = List.of(c.get("transforms").split(",")).stream()
                    .filter(a -> List.of(c.getOrDefault("transforms." + a + ".fields", "")
                                    .split(","))
                            .contains(f.fieldPath()))
                    .findFirst()
                    .orElseThrow();
            String ad = c.get("transforms." + alias + ".associated.data");
            boolean constant = "constant".equals(c.get("transforms." + alias + ".associated.data.mode"));
            assertThat(constant ? ad : ad + "." + f.fieldPath()).isEqualTo(f.associatedData());
            assertThat(c.get("transforms." + alias + ".mode"))
                    .isEqualTo(f.mode().id());
        }
        assertThat(Definition.JSON.readTree(c.get("value.schema"))).isEqualTo(d.schemaJson());
    }

    @Test
    void transformsAfterTheEncryptionRunOnValidRecordsOnlyAndTheBodyOnDeadLettersOnly() throws Exception {
        Map<String, String> c = source(Fixtures.load("orders"));
        for (String alias : c.get("transforms").split(",")) {
            String p = "transforms." + alias + ".";
            switch (alias) {
                case "encryptBody" ->
                    assertThat(c).containsEntry(p + "predicate", "isDeadLetter").doesNotContainKey(p + "negate");
                case "rename", "created" -> assertThat(c).doesNotContainKey(p + "predicate");
                default ->
                    assertThat(c).containsEntry(p + "predicate", "isDeadLetter").containsEntry(p + "negate", "true");
            }
        }
        assertThat(c).containsEntry("predicates.isDeadLetter.name", "sqs.error.reason");
    }

    @Test
    void aFlatDatasetWithoutArraysNeedsNoFlattenAndNoJson() throws Exception {
        Map<String, String> c = source(Fixtures.load("user_logins"));
        assertThat(c.get("transforms")).isEqualTo("encryptDeterministic,encryptBody,rename,created");
        assertThat(c)
                .containsEntry(
                        "transforms.rename.renames", "ip:masked_ip,device_id:masked_device_id," + "body:encrypted_body")
                .containsEntry("value.message.id.field", "message_id");
    }

    @Test
    void theSinksReadTheRowSchemaOfTheTableColumnsInOrder() throws Exception {
        Definition d = Fixtures.load("orders");
        Map<String, String> sink = DatasetConnectors.of(d).get(DatasetConnectors.sinkName(d));
        JsonNode schema = Definition.JSON.readTree(sink.get("value.converter.schema.content"));
        List<String> fields = new ArrayList<>();
        schema.get("fields").forEach(f -> fields.add(f.get("field").asText()));
        assertThat(fields)
                .containsExactlyElementsOf(
                        Layout.of(d).columns().stream().map(Layout.Column::name).toList());
        assertThat(schema.at("/fields/10"))
                .isEqualTo(Definition.JSON.readTree("{\"field\": \"items\", \"type\": "
                        + "\"string\", \"name\": \"io.debezium.data.Json\", \"parameters\": {\"__debezium.source.column.type\": "
                        + "\"JSONB\"}, \"optional\": true}"));
        assertThat(schema.at("/fields/0/optional").asBoolean())
                .as("the row key")
                .isFalse();
        assertThat(sink)
                .containsEntry("primary.key.fields", "message_id")
                .containsEntry("collection.name.format", "orders")
                .containsEntry("value.converter.schemas.enable", "true");
    }

    @Test
    void aFieldRowKeyAddsNoMessageIdAndKeysTheSink(@TempDir Path dir) throws Exception {
        Definition d = Definition.load(Fixtures.editedDataset("orders", dir, ds -> ds.put("row_key", "/order_id")));
        Map<String, Map<String, String>> all = DatasetConnectors.of(d);
        assertThat(all.get("orders-source")).doesNotContainKey("value.message.id.field");
        assertThat(all.get("orders-sink")).containsEntry("primary.key.fields", "order_id");
        assertThat(all.get("orders-rejected-sink")).containsEntry("primary.key.fields", "message_id");
    }
}
