package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The pipeline's connectors and tasks as Connect's status API reports them. */
final class ConnectorStates {

    private ConnectorStates() {}

    /** "connector" or "connector/task-id" of everything in state FAILED. */
    static List<String> failedTasks(Pipeline pipeline) {
        ConnectRest rest = pipeline.worker().rest();
        List<String> failed = new ArrayList<>();
        for (String name : pipeline.connectorNames()) {
            failed.addAll(FailedTaskRestarter.failedIds(name, rest.status(name)));
        }
        return failed;
    }

    /** "connector/task-id" → worker id (host:port) of every RUNNING task. */
    static Map<String, String> runningTasksByWorker(Pipeline pipeline) {
        ConnectRest rest = pipeline.worker().rest();
        Map<String, String> running = new TreeMap<>();
        for (String name : pipeline.connectorNames()) {
            JsonNode status = rest.status(name);
            if (status == null) {
                continue;
            }
            for (JsonNode task : status.path("tasks")) {
                if ("RUNNING".equals(task.path("state").asText())) {
                    running.put(
                            name + "/" + task.path("id").asText(),
                            task.path("worker_id").asText());
                }
            }
        }
        return running;
    }
}
