package io.sqspii.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.TopicCreationConfig;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Checks a connector config of a recipe against the code: the connector, transform and predicate classes
 * exist on the plugin path, and every key is one that Connect itself or that class's ConfigDef defines.
 * A misspelt key, which Connect would silently ignore, is a finding here.
 */
final class ConnectorConfigCheck {

    /**
     * Keys that a class reads under a documented prefix rather than by name (its ConfigDef cannot list them):
     * pii-smt's canonicalize.&lt;field&gt; (pii-smt/README.md).
     */
    private static final Map<String, List<String>> DYNAMIC_PREFIXES = Map.of(
            "io.sqspii.pii.EncryptFields$Value", List.of("canonicalize."),
            "io.sqspii.pii.EncryptFields$Key", List.of("canonicalize."));

    /**
     * Keys a connector's config class reads (a public constant of &lt;connector&gt;Config names them, which the
     * check confirms) but leaves out of its ConfigDef: Debezium 3.6.0's JDBC sink reads use.reduction.buffer
     * (JdbcSinkConnectorConfig.USE_REDUCTION_BUFFER) without declaring it, so Connect's validation skips it.
     */
    private static final Map<String, Set<String>> READ_BUT_UNDECLARED =
            Map.of("io.debezium.connector.jdbc.JdbcSinkConnector", Set.of("use.reduction.buffer"));

    /** Topic-level configs (TopicConfig's *_CONFIG names): topic.creation.default.&lt;config&gt; sets them on new topics. */
    private static final Set<String> TOPIC_CONFIGS = topicConfigs();

    /** A connector may set its own converters; their settings follow under the converter key as prefix. */
    private static final List<String> CONVERTER_KEYS = List.of("key.converter", "value.converter", "header.converter");

    private final PluginClasses plugins;

    ConnectorConfigCheck(PluginClasses plugins) {
        this.plugins = plugins;
    }

    /** The findings for one connector config; empty when the code knows every class and key. */
    List<String> problems(String connectorClass, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        boolean source;
        try {
            ConfigDef own = plugins.connectorConfig(connectorClass);
            known.addAll(own.names());
            for (String key : READ_BUT_UNDECLARED.getOrDefault(connectorClass, Set.of())) {
                if (plugins.stringConstants(connectorClass + "Config").contains(key)) {
                    known.add(key);
                }
            }
            source = SourceConnector.class.isAssignableFrom(plugins.load(connectorClass));
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add("connector class " + connectorClass + " cannot be loaded: " + e);
            return problems;
        }
        known.addAll((source ? SourceConnectorConfig.configDef() : SinkConnectorConfig.configDef()).names());
        Set<String> topicCreation =
                TopicCreationConfig.configDef("default", (short) 1, 1).names();

        List<String> transforms = list(config.get("transforms"));
        List<String> predicates = list(config.get("predicates"));
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("transforms.")) {
                checkAliasKey(problems, "transforms", transforms, key, config, true);
            } else if (key.startsWith("predicates.")) {
                checkAliasKey(problems, "predicates", predicates, key, config, false);
            } else if (source && key.startsWith(TopicCreationConfig.DEFAULT_TOPIC_CREATION_PREFIX)) {
                String name = key.substring(TopicCreationConfig.DEFAULT_TOPIC_CREATION_PREFIX.length());
                if (!topicCreation.contains(name) && !topicCreation.contains(key) && !TOPIC_CONFIGS.contains(name)) {
                    problems.add(key + ": neither a topic creation setting nor a topic config");
                }
            } else if (converterKey(key, config) != null) {
                checkConverterKey(problems, key, converterKey(key, config), config);
            } else if (!known.contains(key)) {
                problems.add(key + ": not a config key of " + connectorClass + " nor of Connect");
            }
        }
        for (String alias : transforms) {
            if (!config.containsKey("transforms." + alias + ".type")) {
                problems.add("transform " + alias + " has no type");
            }
        }
        for (String alias : predicates) {
            if (!config.containsKey("predicates." + alias + ".type")) {
                problems.add("predicate " + alias + " has no type");
            }
        }
        return problems;
    }

    /** The converter key (value.converter) whose settings {@code key} is one of, when the config sets that converter. */
    private static String converterKey(String key, Map<String, String> config) {
        for (String converter : CONVERTER_KEYS) {
            if (key.startsWith(converter + ".") && config.containsKey(converter)) {
                return converter;
            }
        }
        return null;
    }

    /** A converter's own setting (value.converter.schemas.enable): a key of the converter class's ConfigDef. */
    private static void checkConverterKey(
            List<String> problems, String key, String converterKey, Map<String, String> config) {
        String type = config.get(converterKey);
        String name = key.substring(converterKey.length() + 1);
        try {
            Object converter = Class.forName(type).getDeclaredConstructor().newInstance();
            ConfigDef def = (ConfigDef) converter.getClass().getMethod("config").invoke(converter);
            if (!def.names().contains(name)) {
                problems.add(key + ": " + type + " has no config key " + name);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(key + ": " + type + " cannot be loaded: " + e);
        }
    }

    private void checkAliasKey(
            List<String> problems,
            String kind,
            List<String> aliases,
            String key,
            Map<String, String> config,
            boolean transform) {
        String rest = key.substring(kind.length() + 1);
        int dot = rest.indexOf('.');
        if (dot < 0) {
            problems.add(key + ": no alias");
            return;
        }
        String alias = rest.substring(0, dot);
        String name = rest.substring(dot + 1);
        if (!aliases.contains(alias)) {
            problems.add(key + ": " + alias + " is not listed in " + kind);
            return;
        }
        if (name.equals("type") || transform && (name.equals("predicate") || name.equals("negate"))) {
            if (name.equals("predicate") && !list(config.get("predicates")).contains(config.get(key))) {
                problems.add(key + ": predicate " + config.get(key) + " is not listed in predicates");
            }
            return;
        }
        String type = config.get(kind + "." + alias + ".type");
        if (type == null) {
            return; // reported once per alias
        }
        try {
            ConfigDef def = transform ? plugins.transformationConfig(type) : plugins.predicateConfig(type);
            boolean dynamic =
                    DYNAMIC_PREFIXES.getOrDefault(type, List.of()).stream().anyMatch(name::startsWith);
            if (!def.names().contains(name) && !dynamic) {
                problems.add(key + ": " + type + " has no config key " + name);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(key + ": " + type + " cannot be loaded: " + e);
        }
    }

    private static Set<String> topicConfigs() {
        Set<String> names = new LinkedHashSet<>();
        for (Field f : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && f.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
