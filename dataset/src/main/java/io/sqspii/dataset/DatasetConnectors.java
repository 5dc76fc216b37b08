package io.sqspii.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The three Kafka Connect connectors of a dataset, generated from its definition: {@code <name>-source} (SQS to the
 * topic, PII encrypted, rows shaped), {@code <name>-sink} and {@code <name>-rejected-sink} (Debezium JDBC sinks into
 * the tables {@code dataset apply} creates). Values the deployment decides are worker config-provider references:
 * {@code ${env:SQS_QUEUE_URL_BASE}}, {@code ${env:PII_<KEYSET>_KEYSET}}, {@code ${env:JDBC_URL}},
 * {@code ${env:JDBC_USER}} and the database password file. In registration order: the source first.
 */
public final class DatasetConnectors {

    private DatasetConnectors() {}

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

    /**
     * The keysets the connectors of {@code definitions} encrypt with (each one a {@code ${env:PII_<NAME>_KEYSET}} of
     * the source configs), with their mode, in name order: what a deployment makes or mounts. A keyset name used for
     * two modes is refused (one file holds keys of one type).
     */
    public static Map<String, PiiMode> keysets(List<Definition> definitions) throws DefinitionException {
        Map<String, PiiMode> out = new TreeMap<>();
        for (Definition d : definitions) {
            Layout l = Layout.of(d);
            List<Layout.PiiField> all = new ArrayList<>(l.pii());
            all.addAll(l.rejectedPii());
            for (Layout.PiiField f : all) {
                PiiMode before = out.putIfAbsent(f.keyset(), f.mode());
                if (before != null && before != f.mode()) {
                    throw new IllegalArgumentException("keyset " + f.keyset() + " is named for two modes ("
                            + before.id() + " and " + f.mode().id() + "); one keyset file holds keys of one mode");
                }
            }
        }
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
