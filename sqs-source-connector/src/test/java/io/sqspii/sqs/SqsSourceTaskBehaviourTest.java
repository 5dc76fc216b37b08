package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.header;
import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.Faults;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsSourceTaskBehaviourTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    @Test
    void visibilityIsExtendedWhileAnAckIsPending() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> ids = sqs.send(queue, List.of(login(1), login(2), login(3)));
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 3, 10_000);
        assertThat(records).extracting(SourceRecord::key).containsExactlyInAnyOrderElementsOf(ids);

        // Well past the 2 s visibility timeout, another consumer still sees nothing: the task keeps extending.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            assertThat(sqs.client()
                            .receiveMessage(
                                    b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                            .messages())
                    .isEmpty();
        }
        assertThat(task.metrics().visibilityExtensions.get()).isGreaterThanOrEqualTo(3);

        TestTasks.ackAll(task, records);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.metrics().deleted.get() == 3);
        assertThat(sqs.remaining(queue)).isZero();
    }

    @Test
    void onStopMessagesNeverHandedToConnectAreReleasedAtOnce() throws Exception {
        String queue = sqs.createQueue(60);
        List<String> ids = new ArrayList<>(sqs.send(queue, List.of(login(1))));
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.MAX_MESSAGES, "1");
        SqsSourceTask task = tasks.start(props);
        // The first message is handed to Connect alone (it is the only one yet); the next five are only received.
        List<SourceRecord> polled = TestTasks.pollAtLeast(task, 1, 10_000);
        ids.addAll(sqs.send(queue, List.of(login(2), login(3), login(4), login(5), login(6))));
        // Received by the task; none acked. The polled one waits out the 60 s timeout, the rest come back at once.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.metrics().received.get() == 6);
        List<SourceRecord> more = new ArrayList<>(polled);
        task.stop();
        await().atMost(Duration.ofSeconds(10)).until(task::isClosed);
        Set<String> polledIds = new HashSet<>();
        more.forEach(r -> polledIds.add((String) r.key()));
        Set<String> back = new HashSet<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until) {
            sqs.client()
                    .receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages()
                    .forEach(m -> back.add(m.messageId()));
        }
        Set<String> expected = new HashSet<>(ids);
        expected.removeAll(polledIds);
        assertThat(polledIds).isNotEmpty();
        assertThat(expected).isNotEmpty();
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void throttlingServerErrorsAndNetworkFailuresAreRetriedAndTheTaskKeepsRunning() throws Exception {
        String queue = sqs.createQueue(30);
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), faults);
                LogCapture logs = new LogCapture()) {
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            SqsSourceTask task = tasks.start(props);

            faults.fail("ReceiveMessage", 2, 500, "InternalError");
            await().atMost(Duration.ofSeconds(10)).until(() -> faults.injected() == 2);
            faults.fail("ReceiveMessage", 2, 400, "com.amazon.coral.availability#ThrottlingException");
            await().atMost(Duration.ofSeconds(10)).until(() -> faults.injected() == 4);
            faults.fail("ReceiveMessage", 2, Faults.DROP, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> faults.injected() == 6);
            assertThat(task.poll()).isNull(); // no exception: the task is still running

            List<String> ids = sqs.send(queue, List.of(login(1), login(2), login(3), login(4)));
            List<SourceRecord> records = TestTasks.pollAtLeast(task, 4, 10_000);
            assertThat(records).extracting(SourceRecord::key).containsExactlyInAnyOrderElementsOf(ids);

            faults.fail("DeleteMessageBatch", 2, 503, "ServiceUnavailable");
            TestTasks.ackAll(task, records);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> task.metrics().deleted.get() == 4);
            assertThat(faults.injected()).isEqualTo(8);
            assertThat(sqs.remaining(queue)).isZero();

            List<String> warnings = logs.at(Level.WARN);
            assertThat(warnings.stream().filter(w -> w.contains("ReceiveMessage") && w.contains("keeps running")))
                    .hasSizeGreaterThanOrEqualTo(6)
                    .anySatisfy(w -> assertThat(w).contains("InternalError, HTTP 500"))
                    .anySatisfy(w -> assertThat(w).contains("ThrottlingException, HTTP 400"));
            assertThat(warnings)
                    .anySatisfy(
                            w -> assertThat(w).contains("DeleteMessageBatch").contains("retrying"));
            assertThat(task.metrics().receiveErrors.get()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void failedDeleteEntriesAreRetriedOrGivenUpByMessageId() throws Exception {
        String queue = sqs.createQueue(30);
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), faults);
                LogCapture logs = new LogCapture()) {
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "2");
            // One deleter thread, so that the acks below go out in few batches (several threads split them up).
            props.put(SqsSourceConfig.RECEIVE_CONCURRENCY, "1");
            SqsSourceTask task = tasks.start(props);

            // Server-side failures of single entries (HTTP 200, listed in Failed): retried until deleted.
            List<String> ids = sqs.send(queue, List.of(login(1), login(2), login(3), login(4), login(5)));
            List<SourceRecord> records = TestTasks.pollAtLeast(task, 5, 10_000);
            faults.failEntries("DeleteMessageBatch", 2, "InternalError", false);
            TestTasks.ackAll(task, records);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> task.metrics().deleted.get() == 5);
            // The first two calls lose every entry but their first; how many that is depends on how the acks batched.
            assertThat(faults.injected())
                    .as("entries failed on the first two calls")
                    .isPositive();
            assertThat(task.metrics().deleteFailures.get()).isZero();
            assertThat(sqs.remaining(queue)).isZero();
            assertThat(logs.at(Level.WARN))
                    .anySatisfy(w -> assertThat(w)
                            .startsWith("SQS could not delete")
                            .contains("retrying")
                            .containsAnyOf(ids.toArray(String[]::new)));

            // Sender faults (e.g. a receipt handle SQS no longer accepts) are not retried: logged by id, left to SQS.
            List<String> more = sqs.send(queue, List.of(login(6), login(7), login(8)));
            List<SourceRecord> second = TestTasks.pollAtLeast(task, 3, 10_000);
            faults.failEntries("DeleteMessageBatch", 1, "ReceiptHandleIsInvalid", true);
            TestTasks.ackAll(task, second);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> task.metrics().deleted.get()
                                    + task.metrics().deleteFailures.get()
                            == 8);
            long failures = task.metrics().deleteFailures.get();
            assertThat(failures).isBetween(1L, 2L); // all but the first entry of the batch (acks may split batches)
            assertThat(logs.at(Level.WARN).stream()
                            .filter(w -> w.contains("was acked but could not be deleted")
                                    && w.contains("ReceiptHandleIsInvalid")))
                    .hasSize((int) failures)
                    .allSatisfy(w -> assertThat(w).containsAnyOf(more.toArray(String[]::new)));
            // They come back after the visibility timeout, as at-least-once promises.
            List<SourceRecord> again = TestTasks.pollAtLeast(task, (int) failures, 10_000);
            assertThat(again).extracting(SourceRecord::key).isSubsetOf(new ArrayList<Object>(more));
            TestTasks.ackAll(task, again);
            await().atMost(Duration.ofSeconds(10)).until(() -> sqs.remaining(queue) == 0);
        }
    }

    @Test
    void aMissingQueueFailsTheTaskWithAClearMessage() throws Exception {
        String missing = "http://127.0.0.1:" + sqs.port() + "/000000000000/no-such-queue-" + UUID.randomUUID();
        assertThatThrownBy(() -> tasks.start(SourceProps.of(missing)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("SQS queue " + missing + " does not exist")
                .hasMessageContaining("Check sqs.queue.url and sqs.region");

        // A queue deleted under a running task: poll() fails the task rather than retrying forever.
        String queue = sqs.createQueue(30);
        SqsSourceTask task = tasks.start(SourceProps.of(queue));
        sqs.client().deleteQueue(b -> b.queueUrl(queue));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThatThrownBy(task::poll)
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining("does not exist"));
    }

    @Test
    void deniedAccessFailsTheTaskWithAClearMessage() throws Exception {
        String queue = sqs.createQueue(30);
        Faults faults = new Faults();
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), faults)) {
            Map<String, String> props = SourceProps.of(queue);
            props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
            faults.fail("GetQueueAttributes", 1, 400, "com.amazonaws.sqs#AccessDenied");
            assertThatThrownBy(() -> tasks.start(props))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Access to SQS queue " + queue + " was denied for GetQueueAttributes")
                    .hasMessageContaining("sqs:ReceiveMessage");

            SqsSourceTask task = tasks.start(props);
            faults.fail("ReceiveMessage", 1000, 403, "AccessDeniedException");
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThatThrownBy(task::poll)
                            .isInstanceOf(ConnectException.class)
                            .hasMessageContaining("was denied for ReceiveMessage"));
        }
    }

    @Test
    void messageAttributesBecomeHeaders() throws Exception {
        String queue = sqs.createQueue(30);
        String id = sqs.client()
                .sendMessage(b -> b.queueUrl(queue)
                        .messageBody(login(1))
                        .messageAttributes(Map.of(
                                "tenant",
                                        MessageAttributeValue.builder()
                                                .dataType("String")
                                                .stringValue("acme")
                                                .build(),
                                "priority",
                                        MessageAttributeValue.builder()
                                                .dataType("Number")
                                                .stringValue("12345678901234567890.5")
                                                .build(),
                                "blob",
                                        MessageAttributeValue.builder()
                                                .dataType("Binary")
                                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                                                .build(),
                                "trace",
                                        MessageAttributeValue.builder()
                                                .dataType("String.w3c")
                                                .stringValue("00-abc-01")
                                                .build())))
                .messageId();
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.ATTRIBUTES_INCLUDE, "tenant,priority,blob,trace");
        SqsSourceTask task = tasks.start(props);
        SourceRecord r = TestTasks.pollAtLeast(task, 1, 10_000).get(0);
        assertThat(r.key()).isEqualTo(id);
        assertThat(header(r, "sqs.attr.tenant")).isEqualTo("acme");
        assertThat(header(r, "sqs.attr.priority")).isEqualTo("12345678901234567890.5");
        assertThat((byte[]) header(r, "sqs.attr.blob")).containsExactly(1, 2, 3);
        assertThat(header(r, "sqs.attr.trace")).isEqualTo("00-abc-01");
        assertThat(header(r, RecordFactory.H_FIRST_RECEIVE_TIMESTAMP)).isInstanceOf(Long.class);
        assertThat(header(r, RecordFactory.H_GROUP_ID)).isNull();
    }

    @Test
    void fifoQueuesKeepTheOrderWithinAGroup() throws Exception {
        String queue = sqs.createFifoQueue(30);
        List<String> groups = List.of("g-a", "g-b", "g-c");
        for (int i = 0; i < 12; i++) {
            for (String g : groups) {
                int n = i;
                sqs.client()
                        .sendMessage(b -> b.queueUrl(queue)
                                .messageGroupId(g)
                                .messageDeduplicationId(g + "-" + n)
                                .messageBody(login(n).replace("\"android\"", "\"" + g + "\"")));
            }
        }
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.FIFO_IDS, "keep"); // the groups in clear, to check them against the bodies
        SqsSourceTask task = tasks.start(props);
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.size() < 36 && System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
                TestTasks.ackAll(task, batch); // a FIFO group is blocked while any of its messages is in flight
            }
        }
        assertThat(all).hasSize(36);
        Map<String, List<SourceRecord>> byGroup = new HashMap<>();
        for (SourceRecord r : all) {
            String g = (String) header(r, RecordFactory.H_GROUP_ID);
            assertThat(((Struct) r.value()).getString("device_type")).isEqualTo(g);
            byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(r);
        }
        assertThat(byGroup.keySet()).containsExactlyInAnyOrderElementsOf(groups);
        for (List<SourceRecord> inGroup : byGroup.values()) {
            assertThat(inGroup)
                    .extracting(r -> ((Struct) r.value()).getString("user_id"))
                    .containsExactly(
                            "u-0", "u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7", "u-8", "u-9", "u-10", "u-11");
            List<BigInteger> seq = inGroup.stream()
                    .map(r -> new BigInteger((String) header(r, RecordFactory.H_SEQUENCE_NUMBER)))
                    .toList();
            assertThat(seq).isSorted().doesNotHaveDuplicates();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.metrics().deleted.get() == 36);
        assertThat(sqs.remaining(queue)).isZero();
    }

    @Test
    void twoTasksOnOneQueueSeeEachMessageOnceWhenAllAreAcked() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            bodies.add(login(i));
        }
        List<String> ids = sqs.send(queue, bodies);
        Map<String, String> props = SourceProps.of(queue);
        props.put(SqsSourceConfig.MAX_IN_FLIGHT, "50"); // keeps one task from taking everything at once
        SqsSourceTask a = tasks.start(props);
        Map<String, String> props2 = new HashMap<>(props);
        props2.put(SqsSourceConfig.TASK_INDEX, "1");
        SqsSourceTask b = tasks.start(props2);

        Map<SqsSourceTask, List<Object>> seen = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        Set<Object> union = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (SqsSourceTask t : List.of(a, b)) {
            seen.put(t, new CopyOnWriteArrayList<>());
            Thread th = new Thread(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                    while (union.size() < 600 && System.nanoTime() < deadline) {
                        List<SourceRecord> batch = t.poll();
                        if (batch != null) {
                            batch.forEach(r -> {
                                seen.get(t).add(r.key());
                                union.add(r.key());
                            });
                            TestTasks.ackAll(t, batch);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertThat(errors).isEmpty();
        List<Object> together = new ArrayList<>(seen.get(a));
        together.addAll(seen.get(b));
        assertThat(together).hasSize(600).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(seen.get(a)).isNotEmpty();
        assertThat(seen.get(b)).isNotEmpty();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.metrics().deleted.get() + b.metrics().deleted.get() == 600);
        assertThat(sqs.remaining(queue)).isZero();
        assertThat(TestTasks.pollFor(a, 1200)).isEmpty();
        assertThat(TestTasks.pollFor(b, 100)).isEmpty();
    }

    @Test
    void noPiiValueReachesTheLog() throws Exception {
        String ip = "203.0.113.77";
        String device = "PII-DEVICE-4242";
        String valid = "{\"user_id\":\"u\",\"app_version\":\"1\",\"device_type\":\"ios\",\"ip\":\"" + ip
                + "\",\"locale\":null,\"device_id\":\"" + device + "\"}";
        List<String> bodies = List.of(
                valid,
                "ip=" + ip + " device=" + device, // not JSON
                valid.replace("{\"user_id\"", "{\"" + ip + "\":1,\"user_id\""), // unknown key named like PII
                valid.replace("\"ios\"", "[\"" + ip + "\"]"), // wrong type
                valid.replace("{", "{\"ip\":\"" + ip + "\","), // duplicate key
                valid.substring(0, valid.indexOf(device) + 5), // truncated inside the PII
                "{\"" + device + "\"" + ip, // garbage after a key
                valid.replace("\"u\"", "\"u\\u0000" + ip + "\"")); // U+0000
        Set<String> lines = new HashSet<>();
        Faults faults = new Faults();
        try (LogCapture logs = new LogCapture();
                SqsForwardingProxy proxy = SqsForwardingProxy.start(sqs.endpoint(), faults)) {
            for (boolean withDlq : List.of(true, false)) {
                String queue = sqs.createQueue(30);
                sqs.send(queue, bodies);
                Map<String, String> props = SourceProps.of(queue);
                props.put(SqsSourceConfig.ENDPOINT_OVERRIDE, proxy.endpoint());
                props.put(SqsSourceConfig.VISIBILITY_TIMEOUT_SECONDS, "1");
                if (!withDlq) {
                    props.remove(SqsSourceConfig.DLQ_TOPIC);
                }
                SqsSourceTask task = tasks.start(props);
                List<SourceRecord> records = TestTasks.pollAtLeast(task, withDlq ? bodies.size() : 1, 10_000);
                faults.fail("DeleteMessageBatch", 1, 500, "InternalError");
                faults.fail("ReceiveMessage", 1, 500, "InternalError");
                TestTasks.ackAll(task, records);
                TestTasks.pollFor(task, 1500);
                task.stop();
                await().atMost(Duration.ofSeconds(10)).until(task::isClosed);
            }
            lines.addAll(logs.lines);
            assertThat(logs.at(Level.WARN)).anySatisfy(w -> assertThat(w).contains("invalid body"));
        }
        assertThat(lines).isNotEmpty();
        assertThat(lines)
                .allSatisfy(l -> assertThat(l)
                        .doesNotContain(ip)
                        .doesNotContain(device)
                        .doesNotContain("203.0.113")
                        .doesNotContain("DEVICE-42"));
    }
}
