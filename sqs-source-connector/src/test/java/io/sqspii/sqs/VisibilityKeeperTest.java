package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.header;
import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.Faults;
import io.sqspii.testsupport.sqs.RequestLog;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VisibilityKeeperTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    @ParameterizedTest
    @ValueSource(ints = {2, 6, 30, 300, 43_200})
    void severalAttemptsFitBeforeAMessageExpires(int seconds) {
        VisibilityTimeout vt = new VisibilityTimeout(seconds);
        long windowMs = TimeUnit.NANOSECONDS.toMillis(TimeUnit.SECONDS.toNanos(seconds) - vt.extendAfterNanos());
        long perAttemptMs = vt.tickMillis() + vt.callTimeout().toMillis();
        assertThat(windowMs / perAttemptMs)
                .as("attempts between 'due' and expiry")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void theQueuesOwnTimeoutIsReadAndSentOnEveryReceive() throws Exception {
        String queue = sqs.createQueue(7);
        RequestLog log = RequestLog.keepingBodies();
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), log, faults)) {
            Map<String, String> props = SourceProps.of(queue); // sqs.visibility.timeout.seconds = -1: the queue's
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            SqsSourceTask task = tasks.start(props);
            sqs.send(queue, List.of(login(1)));
            TestTasks.ackAll(task, TestTasks.pollAtLeast(task, 1, 10_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> log.calls("ReceiveMessage") >= 3);
            assertThat(log.requests("ReceiveMessage"))
                    .allSatisfy(r ->
                            assertThat(r.path("VisibilityTimeout").asInt(-1)).isEqualTo(7));
            assertThat(log.requests("GetQueueAttributes"))
                    .anySatisfy(
                            r -> assertThat(r.path("AttributeNames").toString()).contains("VisibilityTimeout"));
        }
    }

    @Test
    void failingAndHangingExtensionsWhileAcksAreHeldBackCauseNoSecondDelivery() throws Exception {
        String queue = sqs.createQueue(6);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            bodies.add(login(i));
        }
        RequestLog log = RequestLog.keepingBodies();
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), log, faults);
                LogCapture logs = new LogCapture()) {
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            SqsSourceTask task = tasks.start(props);
            List<String> ids = sqs.send(queue, bodies);
            List<SourceRecord> records = TestTasks.pollAtLeast(task, 25, 15_000);
            assertThat(records).hasSize(25);

            // The first extension call of the round hangs, the next two fail: three 10-entry calls, each on its own.
            faults.hang("ChangeMessageVisibilityBatch", 1, 8_000);
            faults.fail("ChangeMessageVisibilityBatch", 2, 500, "InternalError");
            // Acks held back for twice the visibility timeout: another consumer must not get any of the messages.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < until) {
                assertThat(sqs.client()
                                .receiveMessage(b ->
                                        b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                                .messages())
                        .as("a second delivery")
                        .isEmpty();
            }
            assertThat(faults.injected()).isEqualTo(3);
            assertThat(task.metrics().visibilityFailures.get())
                    .as("entries of the three failed calls")
                    .isGreaterThanOrEqualTo(3);
            assertThat(task.metrics().visibilityExtensions.get()).isGreaterThanOrEqualTo(50);
            assertThat(logs.at(Level.WARN))
                    .anySatisfy(w -> assertThat(w)
                            .contains("ChangeMessageVisibilityBatch")
                            .contains("retrying on the next tick"));

            TestTasks.ackAll(task, records);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> task.metrics().deleted.get() == 25);
            assertThat(sqs.remaining(queue)).isZero();
            assertThat(records).extracting(SourceRecord::key).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(records)
                    .allSatisfy(r ->
                            assertThat(header(r, RecordFactory.H_RECEIVE_COUNT)).isEqualTo(1));
            List<JsonNode> calls = log.requests("ChangeMessageVisibilityBatch");
            assertThat(calls)
                    .allSatisfy(c -> assertThat(c.get("Entries").size()).isBetween(1, 10));
        }
    }
}
