package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import io.sqspii.pipeline.load.SyntheticLogins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The Connect worker JVM is killed (SIGKILL) mid-stream and started again: messages received but not yet
 * deleted come back after their visibility timeout and are written again, and the upsert on message_id
 * keeps exactly one row per message.
 */
class WorkerCrashIT {

    private static final int MESSAGES = 20_000;

    @Test
    void aWorkerKilledMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        List<String> bodies = SyntheticLogins.generate(7, MESSAGES, 0.02);
        long valid =
                bodies.stream().filter(b -> LoginContract.validLogin(b) != null).count();
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(PipelineLayout.fromSystemProperties(), db.database(), 60)) {
            // A short visibility timeout so that messages in flight at the crash come back within seconds.
            pipeline.registerConnectors(1, 1, Map.of("sqs.visibility.timeout.seconds", "8"));
            Counts baseline = pipeline.counts();
            AtomicLong sentSoFar = new AtomicLong();
            CompletableFuture<List<SentMessage>> sending;
            try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 2)) {
                sending = CompletableFuture.supplyAsync(() -> generator.send(bodies, sentSoFar::set));
                while (pipeline.counts().minus(baseline).total() < MESSAGES / 5) {
                    pipeline.worker().process().checkAlive();
                    Thread.sleep(100);
                }
                pipeline.killWorker();
                Counts atCrash = pipeline.counts().minus(baseline);
                pipeline.restartWorker();
                List<SentMessage> sent = sending.join();
                Counts result = new ProgressMonitor(
                                pipeline,
                                baseline,
                                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                Duration.ofSeconds(120))
                        .awaitAccounted(MESSAGES, sentSoFar::get);

                assertThat(atCrash.total()).as("the crash came mid-stream").isLessThan(MESSAGES);
                Set<String> ids = new HashSet<>();
                sent.forEach(m -> ids.add(m.messageId()));
                assertThat(ids).hasSize(MESSAGES);
                assertThat(result.rows()).isEqualTo(valid);
                assertThat(result.rejected()).isEqualTo(MESSAGES - valid);
                Set<String> written =
                        new HashSet<>(PipelineRows.logins(pipeline.database()).keySet());
                written.addAll(PipelineRows.rejected(pipeline.database()).keySet());
                assertThat(written).isEqualTo(ids);

                // How many messages SQS delivered twice because of the crash: records in Kafka beyond one per id.
                long records = 0;
                for (String topic :
                        List.of(pipeline.primary().topic(), pipeline.primary().deadLetterTopic())) {
                    List<ConsumerRecord<byte[], byte[]>> all =
                            TopicReader.readAll(pipeline.kafka().bootstrapServers(), topic);
                    records += all.size();
                }
                assertThat(records).isGreaterThanOrEqualTo(MESSAGES);
                System.out.printf(
                        "worker killed at %,d rows; %,d records in Kafka for %,d messages (%,d redelivered)%n",
                        atCrash.total(), records, MESSAGES, records - MESSAGES);
            }
        }
    }
}
