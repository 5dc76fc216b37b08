package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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
      SqsSourceConfig config = new SqsSourceConfig(props);
      new RecordFactory(config); // compiles the value schema: a bad one fails the connector, not N tasks
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
   * Per-key checks of the ConfigDef, then the checks that span keys, each reported on the key to fix. No error
   * quotes a value (Kafka's own type and range checks do: their wording is cut to the key and the problem).
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    for (ConfigValue v : config.configValues()) {
      v.errorMessages().replaceAll(m -> ConfigErrors.withoutValue(v.name(), m));
    }
    Map<String, ConfigValue> values = config.configValues().stream()
        .collect(Collectors.toMap(ConfigValue::name, Function.identity()));
    if (values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
      return config; // cross-key checks need valid single values
    }
    SqsSourceConfig parsed = new SqsSourceConfig(connectorConfigs, false);
    List<Map.Entry<String, String>> errors = parsed.crossKeyErrors();
    errors.forEach(e -> values.get(e.getKey()).addErrorMessage(e.getValue()));
    if (!errors.isEmpty()) {
      return config;
    }
    if (parsed.isJson()) {
      String key = parsed.valueSchemaInline().isEmpty() ? SqsSourceConfig.VALUE_SCHEMA_FILE
          : SqsSourceConfig.VALUE_SCHEMA;
      try {
        JsonValueSchema.compile(parsed.valueSchemaText(), parsed.valueMessageIdField());
      } catch (ConfigException e) {
        values.get(key).addErrorMessage(e.getMessage());
      } catch (JsonValueSchema.InvalidSchemaException e) {
        values.get(key).addErrorMessage("Invalid value schema: " + e.getMessage());
      }
    }
    return config;
  }
}
