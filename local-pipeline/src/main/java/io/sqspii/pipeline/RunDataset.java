package io.sqspii.pipeline;

import io.sqspii.dataset.DatasetConnectors;
import io.sqspii.dataset.Datasets;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.DefinitionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dataset this run serves: its definition folder (datasets/NAME, or a copy a test edited), and what derives from
 * it — the queue, topics and tables, and the three connectors with their generated configs (in registration order,
 * the source first).
 */
record RunDataset(Path folder, Definition definition, Map<String, Map<String, String>> connectors) {

    /** The dataset the single-dataset tests and the FIFO run use. */
    static final String USER_LOGINS = "user_logins";

    static RunDataset load(Path folder) {
        try {
            Definition d = Definition.load(folder);
            return new RunDataset(folder, d, DatasetConnectors.of(d));
        } catch (DefinitionException e) {
            throw new IllegalArgumentException(
                    folder + " is not a valid dataset definition: " + String.join("; ", e.problems()));
        }
    }

    /** The shipped definition {@code datasets/NAME}. */
    static RunDataset shipped(PipelineLayout layout, String name) {
        Path folder = layout.datasetsDir().resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no dataset " + name + " in " + layout.datasetsDir() + " (there are "
                    + String.join(
                            ", ", all(layout).stream().map(RunDataset::name).toList()) + ")");
        }
        return load(folder);
    }

    /** Every definition folder under datasets/, in name order. */
    static List<RunDataset> all(PipelineLayout layout) {
        try {
            List<RunDataset> out = new ArrayList<>();
            for (Path folder : Datasets.folders(List.of(layout.datasetsDir()))) {
                out.add(load(folder));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.datasetsDir(), e);
        }
    }

    String name() {
        return definition.name();
    }

    String queue() {
        return definition.queue();
    }

    String topic() {
        return definition.topic();
    }

    String deadLetterTopic() {
        return definition.deadLetterTopic();
    }

    String table() {
        return definition.table();
    }

    String rejectedTable() {
        return definition.rejectedTable();
    }

    String source() {
        return DatasetConnectors.sourceName(definition);
    }

    String sink() {
        return DatasetConnectors.sinkName(definition);
    }

    String rejectedSink() {
        return DatasetConnectors.rejectedSinkName(definition);
    }

    /** The sample messages of the definition folder (sample.jsonl), if it has one. */
    Path sample() {
        return folder.resolve("sample.jsonl");
    }

    /** Keyset names the dataset's PII uses (recorded in the catalog), by mode. */
    Map<String, String> keysets() {
        Map<String, String> out = new LinkedHashMap<>();
        definition.keysets().forEach((mode, name) -> out.put(name, mode.name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }
}
