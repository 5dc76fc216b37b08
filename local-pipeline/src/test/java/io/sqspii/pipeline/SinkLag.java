package io.sqspii.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waits until the sink connectors' consumer groups have committed up to the topics' end offsets. */
final class SinkLag {

    private SinkLag() {}

    static void awaitCaughtUp(KafkaBroker kafka, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = kafka.admin()) {
            while (true) {
                long lag = 0;
                int groups = 0;
                for (GroupListing group : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                    if (!group.groupId().startsWith("connect-")) {
                        continue;
                    }
                    groups++;
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                        lag += ends.get(e.getKey()).offset() - e.getValue().offset();
                    }
                }
                if (groups >= 2 && lag == 0) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("sinks still " + lag + " records behind after " + timeout);
                }
                Thread.sleep(500);
            }
        }
    }
}
