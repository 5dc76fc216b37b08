package io.sqspii.sqs;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** One embedded Connect worker and broker with the converters the shipped worker uses (schemas in every record). */
final class ConnectWorkers {
    private ConnectWorkers() {}

    /** Starts it; {@code extra} adds worker properties (config providers, say). */
    static EmbeddedConnectCluster start(String name, Map<String, String> extra) {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "true");
        worker.put("offset.flush.interval.ms", "1000");
        worker.putAll(extra);
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(worker)
                .build();
        connect.start();
        return connect;
    }
}
