package io.sqspii.connect.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a connector config (as submitted, before config providers resolve it) may be created,
 * updated or validated on this worker. The first rule it breaks is the refusal.
 */
final class ConnectorPolicy {

  /** Connect's own pattern for a provider reference (ConfigTransformer): ${provider:[path:]key}. */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)\\}");

  private final PolicyConfig config;
  private final EncryptionCheck encryption;
  private final Pattern protectedTopics;
  private final EnvReferences env;

  ConnectorPolicy(PolicyConfig config, EnvReferences env) {
    this.config = config;
    this.env = env;
    this.encryption = new EncryptionCheck(config);
    this.protectedTopics = config.protectedTopics();
  }

  Optional<Refusal> check(Map<String, String> connector) {
    String connectorClass = trimmed(connector.get("connector.class"));
    if (connectorClass == null || connectorClass.isEmpty()) {
      return Optional.of(Refusal.badRequest("connector.class is missing"));
    }
    if (!config.list(PolicyConfig.ALLOWED_CONNECTOR_CLASSES).contains(connectorClass)) {
      return Optional.of(Refusal.forbidden("connector.class is not one of "
          + PolicyConfig.ALLOWED_CONNECTOR_CLASSES));
    }
    if ("true".equalsIgnoreCase(trimmed(connector.get("errors.log.include.messages")))) {
      return Optional.of(Refusal.forbidden(
          "errors.log.include.messages=true would write records in clear to the worker log"));
    }
    return firstOf(
        secretReferences(connector),
        pluginTypes(connector, "transforms", PolicyConfig.ALLOWED_TRANSFORM_TYPES),
        pluginTypes(connector, "predicates", PolicyConfig.ALLOWED_PREDICATE_TYPES),
        jdbcUrl(connectorClass, connector),
        sourceEndpoints(connectorClass, connector),
        sourceEncryption(connectorClass, connector));
  }

  @SafeVarargs
  private static Optional<Refusal> firstOf(Optional<Refusal>... checks) {
    for (Optional<Refusal> check : checks) {
      if (check.isPresent()) {
        return check;
      }
    }
    return Optional.empty();
  }

  private Optional<Refusal> secretReferences(Map<String, String> connector) {
    List<String> providers = config.list(PolicyConfig.SECRET_PROVIDERS);
    List<String> keys = config.list(PolicyConfig.SECRET_KEYS);
    for (Map.Entry<String, String> e : connector.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Matcher m = REFERENCE.matcher(e.getValue());
      while (m.find()) {
        if (!providers.contains(m.group(1))) {
          continue;
        }
        boolean wholeValue = m.start() == 0 && m.end() == e.getValue().length();
        if (!keys.contains(e.getKey()) || !wholeValue) {
          return Optional.of(Refusal.forbidden(e.getKey() + " may not reference a secret provider ("
              + PolicyConfig.SECRET_PROVIDERS + "); only the whole value of a key in " + PolicyConfig.SECRET_KEYS
              + " may"));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Refusal> pluginTypes(Map<String, String> connector, String listKey, String allowedKey) {
    List<String> allowed = config.list(allowedKey);
    for (String alias : ConnectorConfig.list(connector.get(listKey))) {
      String typeKey = listKey + "." + alias + ".type";
      if (!allowed.contains(trimmed(connector.get(typeKey)))) {
        return Optional.of(Refusal.forbidden(typeKey + " is not one of " + allowedKey));
      }
    }
    return Optional.empty();
  }

  private Optional<Refusal> jdbcUrl(String connectorClass, Map<String, String> connector) {
    if (!config.list(PolicyConfig.JDBC_SINK_CLASSES).contains(connectorClass)) {
      return Optional.empty();
    }
    String key = config.getString(PolicyConfig.JDBC_URL_KEY);
    if (!listed(connector.get(key), PolicyConfig.JDBC_ALLOWED_URLS)) {
      return Optional.of(Refusal.forbidden(key + " is not one of " + PolicyConfig.JDBC_ALLOWED_URLS));
    }
    return Optional.empty();
  }

  /** Where a source reads from is pinned: an unset key passes (the connector derives it from the others). */
  private Optional<Refusal> sourceEndpoints(String connectorClass, Map<String, String> connector) {
    if (!config.list(PolicyConfig.SOURCE_CLASSES).contains(connectorClass)) {
      return Optional.empty();
    }
    for (String key : config.list(PolicyConfig.SOURCE_ENDPOINT_KEYS)) {
      String value = trimmed(connector.get(key));
      if (value == null || value.isEmpty()) {
        continue;
      }
      if (!listed(value, PolicyConfig.SOURCE_ALLOWED_ENDPOINTS) && !onAllowedHost(env.resolve(value))) {
        return Optional.of(Refusal.forbidden(key + " is not one of " + PolicyConfig.SOURCE_ALLOWED_ENDPOINTS
            + " and names no host of " + PolicyConfig.SOURCE_ALLOWED_ENDPOINT_HOSTS));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a value equals one of a list's, both with ${env:NAME} resolved: the worker has resolved its own
   * properties already; resolving again keeps a policy built elsewhere equal.
   */
  private boolean listed(String value, String allowedKey) {
    String resolved = trimmed(env.resolve(value));
    return resolved != null && config.list(allowedKey).stream()
        .map(u -> trimmed(env.resolve(u))).anyMatch(u -> u.equals(resolved));
  }

  private boolean onAllowedHost(String value) {
    List<String> hosts = config.list(PolicyConfig.SOURCE_ALLOWED_ENDPOINT_HOSTS);
    if (hosts.isEmpty() || value == null) {
      return false;
    }
    try {
      URI uri = new URI(value.trim());
      // the host as an HTTP client reads it: http://127.0.0.1:80@attacker.example/ names attacker.example
      return uri.getScheme() != null && uri.getHost() != null && hosts.contains(uri.getHost());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private Optional<Refusal> sourceEncryption(String connectorClass, Map<String, String> connector) {
    if (!config.list(PolicyConfig.SOURCE_CLASSES).contains(connectorClass) || !writesProtectedTopic(connector)) {
      return Optional.empty();
    }
    return encryption.check(connector);
  }

  /** A topic given by a provider reference, or no topic key at all, counts as protected: it cannot be proven not. */
  private boolean writesProtectedTopic(Map<String, String> connector) {
    boolean named = false;
    for (String key : config.list(PolicyConfig.SOURCE_TOPIC_KEYS)) {
      String topic = trimmed(connector.get(key));
      if (topic == null || topic.isEmpty()) {
        continue;
      }
      named = true;
      if (topic.contains("${") || protectedTopics.matcher(topic).matches()) {
        return true;
      }
    }
    return !named;
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }
}
