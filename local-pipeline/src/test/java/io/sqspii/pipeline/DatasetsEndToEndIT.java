package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every shipped dataset at once in one worker — user_logins (flat) and orders (nested objects, an array of objects,
 * PII in a shared key domain and inside the array) — each from its own queue through its generated connectors into
 * the tables `dataset apply` made: every message accounted for, every PII value of every row decrypts (catalog's
 * keyset and associated data) to its canonical form, and no PII value sent is in clear in a topic, a table or the
 * worker's log.
 */
class DatasetsEndToEndIT {

    @Test
    void twoDatasetsSideBySideInOneWorker() throws Exception {
        PipelineLayout layout = PipelineLayout.fromSystemProperties();
        List<RunDataset> datasets = RunDataset.all(layout);
        assertThat(datasets).extracting(RunDataset::name).contains("orders", RunDataset.USER_LOGINS);
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(layout, db.database(), 60, Map.of(), datasets)) {
            pipeline.registerConnectors(1, 1);
            Counts baseline = pipeline.counts();
            Map<RunDataset, List<String>> bodies = new HashMap<>();
            for (RunDataset d : datasets) {
                List<String> b = new ArrayList<>(LoadGenerator.bodiesOf(d.sample()));
                b.addAll(SyntheticEvents.generate(d.definition(), 7, 400, 0.1));
                bodies.put(d, b);
            }
            Map<RunDataset, List<SentMessage>> sent = new HashMap<>();
            for (RunDataset d : datasets) {
                try (LoadGenerator g = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(d), 2)) {
                    sent.put(d, g.send(bodies.get(d), n -> {}));
                }
            }
            int total = bodies.values().stream().mapToInt(List::size).sum();
            new ProgressMonitor(pipeline, baseline, System.out, Duration.ofSeconds(120))
                    .awaitAccounted(total, () -> total);

            Map<String, java.nio.file.Path> keysets = DevKeysets.of(layout, datasets);
            List<String> plaintexts = new ArrayList<>();
            for (RunDataset d : datasets) {
                Counts c = pipeline.database().counts(List.of(d));
                assertThat(c.total())
                        .as(d.name() + ": every message a row or a rejected row")
                        .isEqualTo(bodies.get(d).size());
                assertThat(c.rows()).as(d.name() + " rows").isPositive();
                assertThat(c.rejected()).as(d.name() + " rejected rows").isPositive();
                Map<String, String> byId = new HashMap<>();
                sent.get(d).forEach(m -> byId.put(m.messageId(), m.body()));
                int checked = CatalogCheck.assertRows(db.database(), layout.projectDir(), d, byId, keysets);
                assertThat(checked).as(d.name() + ": PII values checked").isGreaterThan((int) c.rows());
                plaintexts.addAll(CatalogCheck.plaintexts(db.database(), d, bodies.get(d)));
            }
            assertThat(plaintexts).hasSizeGreaterThan(500);

            StringBuilder everywhere = new StringBuilder();
            for (RunDataset d : datasets) {
                for (String topic : List.of(d.topic(), d.deadLetterTopic())) {
                    for (ConsumerRecord<byte[], byte[]> r :
                            TopicReader.readAll(pipeline.kafka().bootstrapServers(), topic)) {
                        everywhere
                                .append(new String(r.value(), StandardCharsets.UTF_8))
                                .append('\n');
                        r.headers()
                                .forEach(h -> everywhere
                                        .append(new String(h.value(), StandardCharsets.UTF_8))
                                        .append('\n'));
                    }
                }
                everywhere
                        .append(tableText(db.database(), d.table()))
                        .append(tableText(db.database(), d.rejectedTable()));
            }
            everywhere.append(Files.readString(pipeline.worker().process().logFile()));
            String haystack = everywhere.toString();
            assertThat(haystack).contains("masked_customer_email");
            assertThat(plaintexts)
                    .allSatisfy(
                            p -> assertThat(haystack).as("a PII value in clear").doesNotContain(p));
            assertThat(pipeline.remaining()).isZero();
        }
    }

    private static String tableText(PipelineDatabase db, String table) throws Exception {
        StringBuilder out = new StringBuilder();
        try (var c = db.connect();
                var s = c.createStatement();
                var r = s.executeQuery("SELECT row_to_json(t)::text FROM public.\"" + table + "\" t")) {
            while (r.next()) {
                out.append(r.getString(1)).append('\n');
            }
        }
        return out.toString();
    }
}
