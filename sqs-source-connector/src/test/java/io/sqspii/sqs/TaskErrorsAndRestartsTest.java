package io.sqspii.sqs;

import static io.sqspii.sqs.SqsSourceTaskTest.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Permanent errors fail the task at once with what to fix; transient ones are retried; restarts keep metrics. */
class TaskErrorsAndRestartsTest {

    private final EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();

    @RegisterExtension
    final RunningTasks tasks = new RunningTasks();

    @Test
    void noCredentialsAnywhereFailsTheStartWithWhatToSet() {
        String queue = sqs.createQueue(30);
        Map<String, String> props = SourceProps.of(queue);
        props.remove(SqsSourceConfig.ACCESS_KEY_ID);
        props.remove(SqsSourceConfig.SECRET_ACCESS_KEY);
        // The default chain finds nothing: no environment keys here, no profile file, no instance metadata.
        Map<String, String> sys = Map.of(
                "aws.sharedCredentialsFile",
                "/nonexistent/credentials",
                "aws.configFile",
                "/nonexistent/config",
                "aws.disableEc2Metadata",
                "true");
        sys.forEach(System::setProperty);
        try {
            assertThatThrownBy(() -> tasks.start(props))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("No AWS credentials for SQS queue " + queue)
                    .hasMessageContaining("set sqs.access.key.id and sqs.secret.access.key");
        } finally {
            sys.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void anUnknownHostFailsTheStartWithWhatToCheck() {
        Map<String, String> props = SourceProps.of("http://no-such-host.invalid:9324/000000000000/q");
        assertThatThrownBy(() -> tasks.start(props))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot be resolved (unknown host no-such-host.invalid)")
                .hasMessageContaining("Check sqs.queue.url, sqs.endpoint.override and sqs.region");
    }

    @Test
    void aRefusedConnectionIsRetriedWhileTheTaskKeepsRunning() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> props = SourceProps.of("http://127.0.0.1:" + closedPort + "/000000000000/q");
        SqsSourceTask task = tasks.start(props);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> task.metrics().receiveErrors.get() >= 3);
        assertThat(task.poll()).isNull(); // still running, no exception
    }

    @Test
    void aRestartedTasksMetricsSurviveTheOldInstancesClose() throws Exception {
        String queue = sqs.createQueue(30);
        Map<String, String> props = SourceProps.of(queue);
        props.put("name", "restart-test");
        ObjectName name = SqsSourceTaskMetrics.objectName("restart-test", "0");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();

        SqsSourceTask old = tasks.start(props);
        SqsSourceTask restarted = tasks.start(props); // Connect may start the new instance before the old one closed
        old.stop();
        await().atMost(Duration.ofSeconds(10)).until(old::isClosed);
        assertThat(server.isRegistered(name))
                .as("the old instance's close leaves the new MBean")
                .isTrue();
        sqs.send(queue, List.of(login(1), login(2)));
        List<SourceRecord> records = TestTasks.pollAtLeast(restarted, 2, 10_000);
        assertThat(records).hasSize(2);
        assertThat(server.getAttribute(name, "messages-received")).isEqualTo(2L);

        restarted.stop();
        await().atMost(Duration.ofSeconds(10)).until(restarted::isClosed);
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void anAckIsQueuedOnceHoweverOftenItArrives() throws Exception {
        String queue = sqs.createQueue(30);
        SqsSourceTask task = tasks.start(SourceProps.of(queue));
        sqs.send(queue, List.of(login(1)));
        List<SourceRecord> records = TestTasks.pollAtLeast(task, 1, 10_000);
        List<SourceRecord> thrice = List.of(records.get(0), records.get(0), records.get(0));
        List<Thread> ackers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> TestTasks.ackAll(task, thrice));
            ackers.add(t);
            t.start();
        }
        for (Thread t : ackers) {
            t.join();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> task.metrics().deleted.get() == 1);
        Thread.sleep(500); // a second delete, if any, would be under way by now
        assertThat(task.metrics().deleteRequests.get()).isEqualTo(1);
        assertThat(task.metrics().deleteFailures.get()).isZero();
        assertThat(sqs.remaining(queue)).isZero();
    }
}
