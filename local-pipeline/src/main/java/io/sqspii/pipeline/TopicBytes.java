package io.sqspii.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What a record of a topic weighs on the wire: the mean value size of its newest records. */
final class TopicBytes {

    /** Newest records read per partition. */
    private static final int PER_PARTITION = 500;

    private TopicBytes() {}

    /** Mean value bytes of up to {@value #PER_PARTITION} newest records of each partition; 0 if the topic is empty. */
    static long perRecord(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            long wanted = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(begins.get(tp), ends.get(tp) - PER_PARTITION);
                consumer.seek(tp, from);
                wanted += ends.get(tp) - from;
            }
            long records = 0;
            long bytes = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    bytes += r.value() == null ? 0 : r.value().length;
                }
            }
            return records == 0 ? 0 : bytes / records;
        }
    }
}
