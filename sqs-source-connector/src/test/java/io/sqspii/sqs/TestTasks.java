package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** Drives a task the way a Connect worker does: initialize, start, poll, commitRecord, stop. */
final class TestTasks {

    private TestTasks() {}

    static SqsSourceTask start(Map<String, String> props) {
        SqsSourceTask task = new SqsSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return null;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
        return task;
    }

    /** Polls until {@code n} records arrived or the timeout passed; returns what arrived. */
    static List<SourceRecord> pollAtLeast(SqsSourceTask task, int n, long timeoutMs) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (all.size() < n && System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
            }
        }
        return all;
    }

    /** Polls for {@code ms} and returns everything that arrived (to check that nothing does). */
    static List<SourceRecord> pollFor(SqsSourceTask task, long ms) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
            }
        }
        return all;
    }

    static void ackAll(SqsSourceTask task, List<SourceRecord> records) {
        long offset = 0;
        for (SourceRecord r : records) {
            task.commitRecord(
                    r,
                    new RecordMetadata(
                            new TopicPartition(r.topic(), 0),
                            offset++,
                            0,
                            r.timestamp() == null ? 0 : r.timestamp(),
                            36,
                            100));
        }
    }
}
