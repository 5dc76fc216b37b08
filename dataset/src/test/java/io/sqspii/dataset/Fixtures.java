package io.sqspii.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The shipped definitions, and edited copies of them for evolution tests. */
final class Fixtures {

    static final Path DATASETS = TestDb.REPO.resolve("datasets");

    private Fixtures() {}

    static Path folder(String name) {
        return DATASETS.resolve(name);
    }

    static Definition load(String name) throws DefinitionException {
        return Definition.load(folder(name));
    }

    /** A copy of a shipped dataset in {@code dir} with its event schema edited. */
    static Path edited(String name, Path dir, Consumer<ObjectNode> schemaEdit) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name + "-" + System.nanoTime()));
        Files.copy(folder(name).resolve(Definition.DATASET_FILE), out.resolve(Definition.DATASET_FILE));
        ObjectNode schema = (ObjectNode) Definition.JSON.readTree(
                folder(name).resolve(Definition.SCHEMA_FILE).toFile());
        schemaEdit.accept(schema);
        Files.writeString(out.resolve(Definition.SCHEMA_FILE), Json.pretty(schema));
        return out;
    }

    /** A copy of a shipped dataset in {@code dir} with its dataset.json edited. */
    static Path editedDataset(String name, Path dir, Consumer<ObjectNode> datasetEdit) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name + "-" + System.nanoTime()));
        Files.copy(folder(name).resolve(Definition.SCHEMA_FILE), out.resolve(Definition.SCHEMA_FILE));
        ObjectNode dataset = (ObjectNode) Definition.JSON.readTree(
                folder(name).resolve(Definition.DATASET_FILE).toFile());
        datasetEdit.accept(dataset);
        Files.writeString(out.resolve(Definition.DATASET_FILE), Json.pretty(dataset));
        return out;
    }

    /** The node at a JSON Pointer of a schema, as an object to edit. */
    static ObjectNode at(JsonNode schema, String pointer) {
        return (ObjectNode) schema.at(pointer);
    }
}
