package io.sqspii.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** A shipped dataset definition with one value of its dataset.json changed, as an operator would edit it. */
final class EditedDefinition {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EditedDefinition() {}

    /**
     * Copies {@code layout}'s definition folder {@code name} into {@code dir}/{@code name}, with the JSON string
     * {@code from} in dataset.json replaced by {@code to}, and loads it.
     */
    static RunDataset of(PipelineLayout layout, String name, Path dir, String from, String to) throws IOException {
        Path shipped = layout.datasetsDir().resolve(name);
        Path copy = Files.createDirectories(dir.resolve(name));
        Files.copy(shipped.resolve("event.schema.json"), copy.resolve("event.schema.json"));
        String json = Files.readString(shipped.resolve("dataset.json"));
        if (!json.contains("\"" + from + "\"")) {
            throw new IllegalStateException(name + "/dataset.json holds no \"" + from + "\"");
        }
        Files.writeString(copy.resolve("dataset.json"), json.replace("\"" + from + "\"", "\"" + to + "\""));
        return RunDataset.load(copy);
    }

    /**
     * Copies {@code layout}'s definition folder {@code name} into {@code dir}/{@code name}, with {@code edit} applied
     * to its event schema, and loads it.
     */
    static RunDataset withSchema(PipelineLayout layout, String name, Path dir, Consumer<ObjectNode> edit)
            throws IOException {
        Path shipped = layout.datasetsDir().resolve(name);
        Path copy = Files.createDirectories(dir.resolve(name));
        Files.copy(shipped.resolve("dataset.json"), copy.resolve("dataset.json"), StandardCopyOption.REPLACE_EXISTING);
        ObjectNode schema =
                (ObjectNode) JSON.readTree(shipped.resolve("event.schema.json").toFile());
        edit.accept(schema);
        Files.writeString(
                copy.resolve("event.schema.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema));
        return RunDataset.load(copy);
    }
}
