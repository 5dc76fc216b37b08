package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SqsSourceTaskMetricsTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private Object attr(ObjectName name, String attribute) throws Exception {
        return server.getAttribute(name, attribute);
    }

    @Test
    void taskMetricsAreReadableThroughTheMBeanServer() throws Exception {
        String queue = sqs.createQueue(30);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            bodies.add(i % 5 == 4 ? "{\"broken\":" : SqsSourceTaskTest.login(i));
        }
        sqs.send(queue, bodies);
        Map<String, String> props = SourceProps.of(queue);
        props.put("name", "metrics-test");
        props.put(SqsSourceConfig.TASK_INDEX, "3");
        props.put(SqsSourceConfig.MAX_IN_FLIGHT, "10"); // one receive of 10, then wait for acks
        props.put(SqsSourceConfig.QUEUE_DEPTH_INTERVAL_MS, "200");
        ObjectName name = new ObjectName("io.sqspii.sqs:type=source-task-metrics,connector=metrics-test,task=3");

        SqsSourceTask task = TestTasks.start(props);
        try {
            assertThat(server.isRegistered(name)).isTrue();
            List<SourceRecord> first = TestTasks.pollAtLeast(task, 10, 10_000);
            assertThat(first).hasSize(10);
            assertThat(TestTasks.pollFor(task, 1500))
                    .as("in-flight cap reached")
                    .isEmpty();
            assertThat(attr(name, "messages-in-flight")).isEqualTo(10);
            assertThat(attr(name, "messages-received")).isEqualTo(10L);
            assertThat(attr(name, "messages-deleted")).isEqualTo(0L);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(attr(name, "queue-approximate-depth")).isEqualTo(15L);
                assertThat(attr(name, "queue-approximate-not-visible")).isEqualTo(10L);
            });

            List<SourceRecord> all = new ArrayList<>(first);
            TestTasks.ackAll(task, first);
            while (all.size() < 25) {
                List<SourceRecord> more = TestTasks.pollAtLeast(task, 1, 10_000);
                assertThat(more).isNotEmpty();
                TestTasks.ackAll(task, more);
                all.addAll(more);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(attr(name, "messages-deleted")).isEqualTo(25L);
                assertThat(attr(name, "messages-in-flight")).isEqualTo(0);
                assertThat(attr(name, "queue-approximate-depth")).isEqualTo(0L);
            });
            assertThat(attr(name, "messages-received")).isEqualTo(25L);
            assertThat(attr(name, "messages-dead-lettered")).isEqualTo(5L);
            assertThat((Double) attr(name, "receive-latency-avg-ms")).isPositive();
            assertThat((Double) attr(name, "receive-latency-max-ms"))
                    .isGreaterThanOrEqualTo((Double) attr(name, "receive-latency-avg-ms"));
            assertThat((Long) attr(name, "receive-requests")).isGreaterThanOrEqualTo(3L);
            assertThat(attr(name, "delete-failures")).isEqualTo(0L);
            assertThat(server.getMBeanInfo(name).getAttributes())
                    .extracting(a -> a.getName())
                    .contains(
                            "messages-received",
                            "messages-deleted",
                            "messages-dead-lettered",
                            "messages-in-flight",
                            "receive-latency-avg-ms",
                            "queue-approximate-depth");
        } finally {
            task.stop();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRegistered(name));
    }

    @Test
    void metricsAreAlsoPublishedAsConnectPluginMetrics() throws Exception {
        try (Metrics registry = new Metrics();
                PluginMetricsImpl plugin = new PluginMetricsImpl(registry, Map.of("connector", "c", "task", "0"))) {
            SqsSourceTaskMetrics m = new SqsSourceTaskMetrics("plugin-metrics-test", "0", () -> 7, () -> 1234L);
            m.addTo(plugin);
            m.received.addAndGet(42);
            KafkaMetric received = registry.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("messages-received"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow();
            assertThat(received.metricValue()).isEqualTo(42L);
            MetricName inFlight = registry.metrics().keySet().stream()
                    .filter(k -> k.name().equals("messages-in-flight"))
                    .findFirst()
                    .orElseThrow();
            assertThat(inFlight.tags()).containsEntry("connector", "c").containsEntry("task", "0");
            assertThat(registry.metrics().get(inFlight).metricValue()).isEqualTo(7);
            m.close();
            assertThat(registry.metrics().keySet()).noneMatch(k -> k.name().equals("messages-received"));
        }
    }
}
