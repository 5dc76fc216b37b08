package io.sqspii.dataset;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three Kafka Connect connectors of a dataset, generated from its definition: {@code <name>-source} (SQS to the
 * topic, PII encrypted, rows shaped), {@code <name>-sink} and {@code <name>-rejected-sink} (Debezium JDBC sinks into
 * the tables {@code dataset apply} creates). Values the deployment decides are worker config-provider references:
 * {@code ${env:SQS_QUEUE_URL_BASE}}, {@code ${env:PII_<KEYSET>_KEYSET}}, {@code ${env:JDBC_URL}},
 * {@code ${env:JDBC_USER}} and the database password file. In registration order: the source first.
 */
public final class DatasetConnectors {

    private DatasetConnectors() {
    }

    /** The connectors of the definition in {@code folder}. */
    public static Map<String, Map<String, String>> of(Path folder) throws DefinitionException {
        return of(Definition.load(folder));
    }

    public static Map<String, Map<String, String>> of(Definition definition) throws DefinitionException {
        return of(Layout.of(definition));
    }

    static Map<String, Map<String, String>> of(Layout l) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put(sourceName(l.definition()), SourceConfig.of(l));
        out.putAll(SinkConfigs.of(l));
        return out;
    }

    /** The worker environment variable that holds the path of the keyset {@code name} (PII_<NAME>_KEYSET). */
    public static String keysetEnvironment(String keyset) {
        return SourceConfig.keysetEnv(keyset);
    }

    public static String sourceName(Definition d) {
        return d.name() + "-source";
    }

    public static String sinkName(Definition d) {
        return d.name() + "-sink";
    }

    public static String rejectedSinkName(Definition d) {
        return d.name() + "-rejected-sink";
    }
}
