package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.dataset.Datasets;
import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset's definition changes while its messages flow. An added optional nested property (a non-PII enum and a
 * deterministic PII leaf) is applied as {@code dataset apply --connect-url} does — ALTER TABLE, catalog rows, then
 * the sinks' and the source's new configs — with no message lost or stored twice, and the new columns filled for the
 * events that carry the property. An incompatible change (a type change) is refused and changes nothing: not the
 * table, not the catalog, not a connector.
 */
class SchemaEvolutionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDERS = "orders";

    @Test
    void anAddedOptionalPropertyIsAppliedWhileMessagesFlowAndAnIncompatibleChangeIsRefused(@TempDir Path dir)
            throws Exception {
        PipelineLayout layout = PipelineLayout.fromSystemProperties();
        RunDataset shipped = RunDataset.shipped(layout, ORDERS);
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(layout, db.database(), 60, Map.of(), List.of(shipped))) {
            pipeline.registerConnectors(2, 1);
            Counts baseline = pipeline.counts();
            String queue = pipeline.queueUrl(shipped);

            // Events of the old shape keep arriving, a few at a time, before, during and after the apply.
            List<SentMessage> sent = Collections.synchronizedList(new ArrayList<>());
            List<String> oldShape = SyntheticEvents.generate(shipped.definition(), 21, 6000, 0.05);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> flowing = CompletableFuture.runAsync(() -> {
                try (LoadGenerator g = new LoadGenerator(pipeline.sqs().client(), queue, 1)) {
                    for (int i = 0; i < oldShape.size() && !stop.get(); i += 20) {
                        sent.addAll(g.send(oldShape.subList(i, Math.min(i + 20, oldShape.size())), n -> {}));
                        Thread.sleep(40);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            awaitRows(pipeline, baseline, 200);

            RunDataset loyal =
                    EditedDefinition.withSchema(layout, ORDERS, dir.resolve("loyal"), SchemaEvolutionIT::addLoyalty);
            String report = pipeline.apply(loyal);
            System.out.println(report);
            assertThat(report)
                    .contains("ADD COLUMN")
                    .contains("customer_loyalty_tier")
                    .contains(ORDERS + "-source: updated")
                    .contains(ORDERS + "-sink: updated");
            long rowsAtApply = pipeline.counts().minus(baseline).total();
            awaitRows(pipeline, baseline, rowsAtApply + 200);
            stop.set(true);
            flowing.get();
            assertThat(sent.size())
                    .as("old-shape events sent while the change was applied")
                    .isGreaterThan(400);

            // Producers start sending the new property once the apply has finished.
            List<String> newShape = SyntheticEvents.generate(loyal.definition(), 22, 400, 0);
            assertThat(newShape).anySatisfy(b -> assertThat(b).contains("\"loyalty\""));
            List<SentMessage> sentNew;
            try (LoadGenerator g = new LoadGenerator(pipeline.sqs().client(), queue, 2)) {
                sentNew = g.send(newShape, n -> {});
            }
            int total = sent.size() + sentNew.size();
            new ProgressMonitor(pipeline, baseline, System.out, Duration.ofSeconds(120))
                    .awaitAccounted(total, () -> total);

            Map<String, Integer> stored = storedIds(db.database(), shipped);
            Map<String, String> bodies = new HashMap<>();
            sent.forEach(m -> bodies.put(m.messageId(), m.body()));
            sentNew.forEach(m -> bodies.put(m.messageId(), m.body()));
            assertThat(stored.keySet())
                    .as("every message a row or a rejected row")
                    .isEqualTo(bodies.keySet());
            assertThat(stored.values()).as("no message stored twice").containsOnly(1);

            Map<String, String> tiers = tiers(db.database());
            int carried = 0;
            for (SentMessage m : sentNew) {
                JsonNode loyalty = JSON.readTree(m.body()).at("/customer/loyalty");
                assertThat(tiers).as("a new-shape event is a row").containsKey(m.messageId());
                assertThat(tiers.get(m.messageId()))
                        .as("customer_loyalty_tier of a new row")
                        .isEqualTo(loyalty.isObject() ? loyalty.path("tier").asText() : null);
                carried += loyalty.isObject() ? 1 : 0;
            }
            assertThat(carried).as("new-shape events that carry the property").isGreaterThan(100);
            int checked = CatalogCheck.assertRows(
                    db.database(), layout.projectDir(), loyal, bodies, DevKeysets.of(layout, List.of(loyal)));
            assertThat(checked).isGreaterThan(sent.size());
            assertThat(CatalogCheck.columns(db.database(), ORDERS))
                    .extracting(CatalogCheck.PiiColumn::jsonPointer)
                    .contains("/customer/loyalty/card");

            // Applying the same definition again changes nothing, in the database or in Connect.
            assertThat(pipeline.apply(loyal))
                    .contains("nothing to change")
                    .contains(ORDERS + "-source: unchanged")
                    .contains(ORDERS + "-sink: unchanged")
                    .contains(ORDERS + "-rejected-sink: unchanged");

            // An incompatible change: nothing of it is applied.
            Snapshot before = Snapshot.of(pipeline, db.database(), loyal);
            RunDataset retyped = EditedDefinition.withSchema(layout, ORDERS, dir.resolve("retyped"), s -> {
                addLoyalty(s);
                ((ObjectNode) s.at("/properties/total")).put("type", "string");
            });
            assertThatThrownBy(() -> pipeline.apply(retyped))
                    .isInstanceOf(Datasets.RefusedException.class)
                    .hasMessageContaining("/total");
            assertThat(Snapshot.of(pipeline, db.database(), loyal)).isEqualTo(before);
            assertThat(pipeline.remaining()).isZero();
        }
    }

    /** customer.loyalty: an optional object with a plain enum and a deterministic PII identifier. */
    private static void addLoyalty(ObjectNode schema) {
        ObjectNode loyalty = ((ObjectNode) schema.at("/properties/customer/properties")).putObject("loyalty");
        loyalty.put("type", "object");
        ObjectNode props = loyalty.putObject("properties");
        props.putObject("tier")
                .put("type", "string")
                .putArray("enum")
                .add("bronze")
                .add("silver")
                .add("gold");
        ObjectNode card = props.putObject("card").put("type", "string").put("maxLength", 32);
        card.putObject("x-pii").put("mode", "deterministic").put("canonical", "identifier");
        loyalty.putArray("required").add("tier");
    }

    private static void awaitRows(Pipeline pipeline, Counts baseline, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (pipeline.counts().minus(baseline).total() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + atLeast + " messages stored after 120 s");
            }
            Thread.sleep(200);
        }
    }

    /** How often each message id is stored, over the table and the rejected table. */
    private static Map<String, Integer> storedIds(PipelineDatabase db, RunDataset d) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT message_id FROM public.\"" + d.table() + "\" UNION ALL "
                        + "SELECT message_id FROM public.\"" + d.rejectedTable() + "\"")) {
            while (r.next()) {
                out.merge(r.getString(1), 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, String> tiers(PipelineDatabase db) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT message_id, customer_loyalty_tier FROM public.orders")) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** What an apply could change: the table's columns, the dataset's catalog rows, its connectors' task configs. */
    private record Snapshot(
            List<String> columns, List<CatalogCheck.PiiColumn> catalog, Map<String, List<Map<String, String>>> tasks) {

        static Snapshot of(Pipeline pipeline, PipelineDatabase db, RunDataset d) throws Exception {
            List<String> columns = new ArrayList<>();
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
                            + "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
                            + d.table()
                            + "' ORDER BY ordinal_position")) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
            Map<String, List<Map<String, String>>> tasks = new LinkedHashMap<>();
            d.connectors()
                    .keySet()
                    .forEach(name -> tasks.put(name, pipeline.worker().rest().taskConfigs(name)));
            return new Snapshot(columns, CatalogCheck.columns(db, d.table()), tasks);
        }
    }
}
