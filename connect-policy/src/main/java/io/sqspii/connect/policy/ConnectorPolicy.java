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
    private final DatasetCatalog catalog;

    ConnectorPolicy(PolicyConfig config, EnvReferences env, DatasetCatalog catalog) {
        this.config = config;
        this.env = env;
        this.catalog = catalog;
        this.encryption = new EncryptionCheck(config);
        this.protectedTopics = config.protectedTopics();
    }

    Optional<Refusal> check(Map<String, String> connector) {
        String connectorClass = trimmed(connector.get("connector.class"));
        if (connectorClass == null || connectorClass.isEmpty()) {
            return Optional.of(Refusal.badRequest("connector.class is missing"));
        }
        if (!config.list(PolicyConfig.ALLOWED_CONNECTOR_CLASSES).contains(connectorClass)) {
            return Optional.of(
                    Refusal.forbidden("connector.class is not one of " + PolicyConfig.ALLOWED_CONNECTOR_CLASSES));
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
                source(connectorClass, connector));
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
                            + PolicyConfig.SECRET_PROVIDERS + "); only the whole value of a key in "
                            + PolicyConfig.SECRET_KEYS
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

    /**
     * A source reads only from pinned endpoints and, when it writes a protected topic, is exactly one dataset of the
     * PII catalog: its topics, its queue, its PII encrypted.
     */
    private Optional<Refusal> source(String connectorClass, Map<String, String> connector) {
        if (!config.list(PolicyConfig.SOURCE_CLASSES).contains(connectorClass)) {
            return Optional.empty();
        }
        Optional<Refusal> endpoints = endpoints(connector, config.list(PolicyConfig.SOURCE_ENDPOINT_KEYS));
        if (endpoints.isPresent()) {
            return endpoints;
        }
        String topicKey = config.getString(PolicyConfig.SOURCE_TOPIC_KEY);
        String deadLetterKey = config.getString(PolicyConfig.SOURCE_DEAD_LETTER_TOPIC_KEY);
        String topic = resolvedTopic(connector.get(topicKey));
        String deadLetterTopic = resolvedTopic(connector.get(deadLetterKey));
        if (!isProtected(topic) && !isProtected(deadLetterTopic)) {
            return endpoints(connector, List.of(config.getString(PolicyConfig.SOURCE_QUEUE_URL_KEY)));
        }
        DatasetCatalog.Dataset dataset;
        try {
            dataset = topic == null
                    ? null
                    : catalog.byTopic(topic)
                            .filter(d -> d.topic().equals(topic))
                            .orElse(null);
        } catch (DatasetCatalog.UnavailableException e) {
            return Optional.of(new Refusal(
                    503,
                    e.getMessage() + " (" + PolicyConfig.CATALOG_URL
                            + "): a source writing a protected topic cannot be checked"));
        }
        if (dataset == null) {
            return Optional.of(
                    Refusal.forbidden(topicKey + " names no dataset's topic in the PII catalog: a source may "
                            + "write a protected topic only for a dataset (dataset apply registers it)"));
        }
        if (!dataset.deadLetterTopic().equals(deadLetterTopic)) {
            return Optional.of(Refusal.forbidden(deadLetterKey + " is not the dead-letter topic of dataset "
                    + dataset.name() + " in the PII catalog"));
        }
        String queueKey = config.getString(PolicyConfig.SOURCE_QUEUE_URL_KEY);
        String queueUrl = trimmed(env.resolve(connector.get(queueKey)));
        String base = trimmed(env.resolve(config.getString(PolicyConfig.SOURCE_QUEUE_URL_BASE)));
        boolean datasetQueue = queueUrl != null
                && base != null
                && !base.isEmpty()
                && !base.contains("${")
                && queueUrl.equals(base + "/" + dataset.queue());
        if (!datasetQueue && !onAllowedHost(queueUrl)) {
            return Optional.of(Refusal.forbidden(queueKey + " is not " + PolicyConfig.SOURCE_QUEUE_URL_BASE
                    + "/<queue> with the queue of dataset " + dataset.name() + " in the PII catalog"));
        }
        return encryption.check(connector, dataset);
    }

    /** Each endpoint key that is set holds an allowed endpoint or names an allowed host; an unset key passes. */
    private Optional<Refusal> endpoints(Map<String, String> connector, List<String> keys) {
        for (String key : keys) {
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

    /** The topic with ${env:NAME} resolved; null when unset or still a reference (it cannot be proven anything). */
    private String resolvedTopic(String value) {
        String topic = trimmed(env.resolve(value));
        return topic == null || topic.isEmpty() || topic.contains("${") ? null : topic;
    }

    /** An unset or unresolvable topic counts as protected: it cannot be proven not. */
    private boolean isProtected(String topic) {
        return topic == null || protectedTopics.matcher(topic).matches();
    }

    /**
     * Whether a value equals one of a list's, both with ${env:NAME} resolved: the worker has resolved its own
     * properties already; resolving again keeps a policy built elsewhere equal.
     */
    private boolean listed(String value, String allowedKey) {
        String resolved = trimmed(env.resolve(value));
        return resolved != null
                && config.list(allowedKey).stream()
                        .map(u -> trimmed(env.resolve(u)))
                        .anyMatch(u -> u.equals(resolved));
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

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
