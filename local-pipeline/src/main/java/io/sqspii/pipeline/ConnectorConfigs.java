package io.sqspii.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector configs of connect-config/, read from their files: what the local pipeline registers is
 * exactly what a user registers, except for tasks.max where a run asks for more tasks, and the worker's
 * secrets folder (/opt/connect/secrets in a file reference), which is the run's own.
 */
final class ConnectorConfigs {

  static final String SOURCE = "sqs-source";
  static final String SINK = "postgres-sink";
  static final String REJECTED_SINK = "rejected-sink";
  /** Registration order: the source first, so the topics the sinks read exist early. */
  static final List<String> NAMES = List.of(SOURCE, SINK, REJECTED_SINK);

  /** The folder worker.properties lets the file config provider read, as the connector configs name it. */
  static final String DEPLOYED_SECRETS_DIR = "/opt/connect/secrets/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConnectorConfigs() {
  }

  static Map<String, String> load(PipelineLayout layout, String name) {
    Path file = layout.connectConfig(name + ".json");
    try {
      Map<String, String> config = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
      String runSecrets = layout.secretsDir() + "/";
      config.replaceAll((key, value) -> value == null ? null : value.replace(DEPLOYED_SECRETS_DIR, runSecrets));
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read connector config " + file, e);
    }
  }

  static Map<String, String> withTasks(Map<String, String> config, int tasks) {
    Map<String, String> copy = new LinkedHashMap<>(config);
    copy.put("tasks.max", Integer.toString(tasks));
    return copy;
  }
}
