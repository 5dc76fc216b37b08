package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orders dataset (datasets/orders: nested objects, an array of objects, enum, formats, nullable at depth)
 * through real ElasticMQ and a real Connect worker with its event.schema.json as value.schema.file: the sample's
 * valid lines become records at every depth, the malformed ones dead letters whose error names the JSON Pointer
 * of the offending value and quotes none of it.
 */
class OrdersDatasetConnectIT {

    /** Planted in bad events: must reach neither an error text, a header, nor a log line. */
    private static final String SECRET = "QQ-planted-secret-5500005555555559";

    private static final Path ORDERS = Path.of("../datasets/orders");

    private static EmbeddedConnectCluster connect;
    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startConnect() {
        connect = ConnectWorkers.start("orders-it", Map.of());
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void theOrdersSampleBecomesNestedRecordsAndPointedDeadLetters() throws Exception {
        List<String> sample = Files.readAllLines(ORDERS.resolve("sample.jsonl"));
        assertThat(sample).hasSize(8);
        List<String> bodies = new ArrayList<>(sample);
        String first = sample.get(0);
        bodies.add(first.replace("Ada.Lovelace@example.com", SECRET)); // not an email
        bodies.add(first.replace("\"quantity\":3", "\"quantity\":\"" + SECRET + "\"")); // /items/1/quantity
        bodies.add(first.replace("\"sku\":\"PN-204\",", "")); // /items/1/sku required
        bodies.add(first.replace("\"city\":\"Springfield\"", "\"city\":{\"" + SECRET + "\":1}"));
        bodies.add(first.replace("2026-12-04", SECRET)); // not a date

        String queue = sqs.createQueue(30);
        List<String> ids = sqs.send(queue, bodies);
        Map<String, Integer> line = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            line.put(ids.get(i), i);
        }
        connect.kafka().createTopic("orders", 1);
        connect.kafka().createTopic("orders.dlq", 1);
        Map<String, String> props = SourceProps.of(queue);
        props.remove("name");
        props.put("connector.class", SqsSourceConnector.class.getName());
        props.put("tasks.max", "1");
        props.put(SqsSourceConfig.TOPIC, "orders");
        props.put(SqsSourceConfig.DLQ_TOPIC, "orders.dlq");
        props.put(
                SqsSourceConfig.VALUE_SCHEMA_FILE,
                ORDERS.resolve("event.schema.json").toString());
        props.put(SqsSourceConfig.VALUE_MESSAGE_ID_FIELD, "message_id");

        try (LogCapture logs = new LogCapture()) {
            connect.configureConnector("orders", props);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("orders", 1, "connector did not start");

            Map<Integer, JsonNode> valid = new HashMap<>();
            JsonNode schema = null;
            for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(3, 60_000, "orders")) {
                JsonNode v = json.readTree(r.value());
                schema = v.get("schema");
                valid.put(line.get(v.at("/payload/message_id").asText()), v.get("payload"));
            }
            assertThat(valid).containsOnlyKeys(0, 1, 2);
            assertThat(schema.get("name").asText()).isEqualTo("io.sqspii.Order");
            JsonNode o = valid.get(0);
            assertThat(o.at("/customer/shipping_address/city").asText()).isEqualTo("Springfield");
            assertThat(o.at("/customer/email").asText()).isEqualTo("Ada.Lovelace@example.com");
            assertThat(o.at("/items/0/sku").asText()).isEqualTo("BK-001");
            assertThat(o.at("/items/1/quantity").asLong()).isEqualTo(3);
            assertThat(o.at("/items/1/holder_name").isNull()).isTrue();
            assertThat(o.at("/delivery_date").asLong())
                    .as("Connect Date: days since the epoch")
                    .isEqualTo(LocalDate.of(2026, 12, 4).toEpochDay());
            assertThat(o.at("/placed_at").asLong())
                    .isEqualTo(java.time.Instant.parse("2026-11-30T09:14:02Z").toEpochMilli());
            assertThat(valid.get(1).at("/items").isEmpty()).isTrue();
            assertThat(valid.get(1).at("/customer/phone").isNull()).isTrue();
            assertThat(valid.get(2).at("/items/0/holder_name").isNull()).isTrue();
            assertThat(valid.get(2).at("/gift").isNull()).isTrue();

            Map<Integer, String> errors = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(10, 60_000, "orders.dlq")) {
                JsonNode p = json.readTree(r.value()).get("payload");
                String error = p.get("error").asText();
                assertThat(error).doesNotContain(SECRET).doesNotContain("QQ-planted");
                r.headers()
                        .forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                                .doesNotContain(SECRET));
                errors.put(line.get(p.get("message_id").asText()), error);
            }
            assertThat(errors).containsOnlyKeys(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(errors.get(3)).isEqualTo("/order_id: required");
            assertThat(errors.get(4)).isEqualTo("/status: not one of the enum values");
            assertThat(errors.get(5)).isEqualTo("/customer/shipping_address: required");
            assertThat(errors.get(6))
                    .isEqualTo("the event: has a property the schema does not declare "
                            + "(additionalProperties is false)");
            assertThat(errors.get(7)).startsWith("truncated JSON");
            assertThat(errors.get(8)).isEqualTo("/customer/email: expected an email address (local-part@host.name)");
            assertThat(errors.get(9)).isEqualTo("/items/1/quantity: expected an integer, got a string");
            assertThat(errors.get(10)).isEqualTo("/items/1/sku: required");
            assertThat(errors.get(11)).isEqualTo("/customer/shipping_address/city: expected a string, got an object");
            assertThat(errors.get(12)).isEqualTo("/delivery_date: expected an RFC 3339 full-date (YYYY-MM-DD)");
            await().atMost(Duration.ofSeconds(30)).until(() -> sqs.remaining(queue) == 0);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("orders", 1, "the task keeps running");
            assertThat(logs.lines).noneMatch(l -> l.contains(SECRET) || l.contains("QQ-planted"));
        } finally {
            connect.deleteConnector("orders");
        }
    }
}
