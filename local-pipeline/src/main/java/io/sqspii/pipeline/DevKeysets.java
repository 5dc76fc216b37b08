package io.sqspii.pipeline;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clear-text keysets of a local run, by the names the datasets give them: connect-config/dev/keys/pii-NAME.json
 * where committed (deterministic, randomized), else one made for this run in its folder (a dataset of one's own that
 * names an hmac or another keyset runs without a file to write by hand). Local use only, as the dev keys are.
 */
final class DevKeysets {

    private DevKeysets() {}

    /** Keyset name to file, for every keyset the datasets name. */
    static Map<String, Path> of(PipelineLayout layout, Iterable<RunDataset> datasets) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (RunDataset d : datasets) {
            d.keysets().forEach((name, mode) -> out.computeIfAbsent(name, n -> file(layout, n, mode)));
        }
        return out;
    }

    private static Path file(PipelineLayout layout, String name, String mode) {
        Path committed = layout.connectConfig("dev/keys/pii-" + name + ".json");
        if (Files.isRegularFile(committed)) {
            return committed;
        }
        Path made = layout.runDir().resolve("keys").resolve("pii-" + name + ".json");
        if (!Files.exists(made)) {
            try {
                Files.createDirectories(made.getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Keysets.writeCleartext(Keysets.generate(CipherMode.parse(mode)), made);
        }
        return made;
    }
}
