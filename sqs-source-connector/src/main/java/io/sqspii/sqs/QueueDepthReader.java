package io.sqspii.sqs;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Reads the queue's approximate depth into the task metrics, on its own thread (never in the keeper's way). */
final class QueueDepthReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueDepthReader.class);

    private final QueueCalls calls;
    private final SqsSourceTaskMetrics metrics;
    private final ScheduledExecutorService thread;
    private volatile boolean running;

    QueueDepthReader(QueueCalls calls, SqsSourceTaskMetrics metrics, String threadPrefix) {
        this.calls = calls;
        this.metrics = metrics;
        this.thread = DaemonThreads.scheduler(threadPrefix + "-queue-depth");
    }

    void start(long intervalMs) {
        running = true;
        thread.scheduleWithFixedDelay(this::read, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void read() {
        try {
            Map<QueueAttributeName, String> a = calls.attributes(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
            metrics.queueDepth.set(
                    Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "-1")));
            metrics.queueNotVisible.set(Long.parseLong(
                    a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "-1")));
        } catch (RuntimeException e) {
            if (running) {
                log.debug("Could not read the depth of {}: {}", calls.queueUrl(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
    }
}
