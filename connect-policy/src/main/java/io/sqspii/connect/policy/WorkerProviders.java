package io.sqspii.connect.policy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.utils.Utils;

/**
 * The worker's own config providers ({@code config.providers} of its properties), so that the policy judges a
 * value such as {@code ${env:JDBC_URL}} as the worker will resolve it for the connector.
 */
final class WorkerProviders implements AutoCloseable {

  private final Map<String, ConfigProvider> providers = new LinkedHashMap<>();
  private final ConfigTransformer transformer;

  WorkerProviders(Map<String, ?> workerProperties) {
    Object names = workerProperties.get("config.providers");
    for (String name : ConnectorConfig.list(names == null ? null : names.toString())) {
      String prefix = "config.providers." + name + ".";
      Object className = workerProperties.get(prefix + "class");
      if (className == null) {
        continue; // the worker itself refuses to start without it
      }
      Map<String, Object> params = new HashMap<>();
      workerProperties.forEach((key, value) -> {
        if (key.startsWith(prefix + "param.")) {
          params.put(key.substring((prefix + "param.").length()), value);
        }
      });
      try {
        ConfigProvider provider = Utils.newInstance(className.toString(), ConfigProvider.class);
        provider.configure(params);
        providers.put(name, provider);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("config provider class of " + name + " not found", e);
      }
    }
    this.transformer = new ConfigTransformer(providers);
  }

  /** The value with every reference the worker can resolve resolved; the rest stays as it is. */
  String resolve(String key, String value) {
    if (value == null) {
      return null;
    }
    Map<String, String> one = new HashMap<>();
    one.put(key, value);
    return transformer.transform(one).data().get(key);
  }

  @Override
  public void close() {
    providers.values().forEach(p -> Utils.closeQuietly(p, "config provider"));
  }
}
