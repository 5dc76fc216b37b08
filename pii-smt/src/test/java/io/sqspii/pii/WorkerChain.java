package io.sqspii.pii;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.TransformationChain;
import org.apache.kafka.connect.runtime.TransformationStage;
import org.apache.kafka.connect.runtime.errors.ErrorHandlingMetrics;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.util.ConnectorTaskId;

/**
 * A source task's transformation chain built the way a worker builds it: Plugins (service-loader discovery,
 * so our META-INF/services entries are exercised), the connector config with its transforms/predicates
 * properties, ConnectorConfig.transformationStages, and a TransformationChain with a tolerance operator.
 */
final class WorkerChain implements AutoCloseable {
    private final ConnectMetrics metrics;
    private final TransformationChain<SourceRecord, SourceRecord> chain;
    private final RetryWithToleranceOperator<SourceRecord> retry;

    WorkerChain(Path offsets, Map<String, String> connectorProps) {
        Plugins plugins = new Plugins(Map.of("plugin.discovery", "service_load"));
        StandaloneConfig worker = new StandaloneConfig(Map.of(
                "bootstrap.servers", "localhost:9",
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "offset.storage.file.filename", offsets.toString(),
                "plugin.discovery", "service_load"));
        metrics = new ConnectMetrics("worker-test", worker, Time.SYSTEM, "cluster-test");
        try {
            ConnectorTaskId id = new ConnectorTaskId(connectorProps.get("name"), 0);
            SourceConnectorConfig config = new SourceConnectorConfig(plugins, connectorProps, false);
            List<TransformationStage<SourceRecord>> stages = config.transformationStages(plugins, id, metrics);
            retry = new RetryWithToleranceOperator<>(
                    0, 0, ToleranceType.NONE, Time.SYSTEM, new ErrorHandlingMetrics(id, metrics));
            chain = new TransformationChain<>(stages, retry);
        } catch (RuntimeException e) {
            metrics.stop();
            throw e;
        }
    }

    SourceRecord apply(SourceRecord record) {
        return chain.apply(new ProcessingContext<>(record), record);
    }

    @Override
    public void close() {
        chain.close();
        metrics.stop();
    }
}
