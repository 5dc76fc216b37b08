package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector for one AWS SQS queue. {@code tasks.max} tasks all long-poll the same queue;
 * SQS hands each message to one of them at a time.
 */
public class SqsSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            // compiles the value schema: a bad one fails the connector, not N tasks
            new RecordFactory(SqsSourceConfig.parse(props));
        } catch (ConfigException e) {
            throw new ConnectException("Invalid SQS source configuration: " + e.getMessage(), e);
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SqsSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put(SqsSourceConfig.TASK_INDEX, Integer.toString(i));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held
    }

    @Override
    public ConfigDef config() {
        return SqsSourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.UNSUPPORTED; // SQS has no replayable offsets
    }

    /**
     * The checks of each key, then those that span keys and the value schema's, each error on the key to fix; none
     * quotes a value.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = config().validateAll(connectorConfigs);
        SqsSourceConfig.check(values)
                .flatMap(s -> s.output().schemaProblem())
                .ifPresent(p -> values.get(p.key()).addErrorMessage(p.message()));
        return new Config(new ArrayList<>(values.values()));
    }
}
