package io.sqspii.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset's generated connector configs as the local pipeline registers them: exactly what a deployment registers,
 * except for tasks.max where a run asks for more tasks, and the worker's secrets folder (/opt/connect/secrets in a
 * file reference), which is the run's own.
 */
final class ConnectorConfigs {

    /** The folder worker.properties lets the file config provider read, as the connector configs name it. */
    static final String DEPLOYED_SECRETS_DIR = "/opt/connect/secrets/";

    private ConnectorConfigs() {}

    static Map<String, String> forRun(PipelineLayout layout, Map<String, String> generated) {
        Map<String, String> config = new LinkedHashMap<>(generated);
        String runSecrets = layout.secretsDir() + "/";
        config.replaceAll((key, value) -> value == null ? null : value.replace(DEPLOYED_SECRETS_DIR, runSecrets));
        return config;
    }

    static Map<String, String> withTasks(Map<String, String> config, int tasks) {
        Map<String, String> copy = new LinkedHashMap<>(config);
        copy.put("tasks.max", Integer.toString(tasks));
        return copy;
    }
}
