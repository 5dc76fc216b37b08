package io.sqspii.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator of the Strimzi and MSK Connect connector recipes: what it writes from connect-config/connectors/
 * is, byte for byte, what is committed (run {@code java -jar deploy/target/deploy.jar} after regenerating the
 * connectors), and a deployment value it does not know fails the run instead of shipping a worker reference.
 */
class ConnectorRecipesTest {

    @Test
    void theCommittedRecipesAreWhatTheGeneratorWrites(@TempDir Path dir) throws IOException {
        Path root = Recipes.root();
        Files.createDirectories(dir.resolve(ConnectorRecipes.MSK_CONNECT));
        Files.writeString(dir.resolve(ConnectorRecipes.mskRequest("a-connector-that-is-gone")), "{}\n");
        ConnectorRecipes.write(dir, ConnectorRecipes.recipes(Recipes.generated()));

        TreeSet<String> written = recipeFiles(dir);
        assertThat(written)
                .contains(ConnectorRecipes.STRIMZI_CONNECTORS, ConnectorRecipes.MSK_SOURCE_POLICY)
                .doesNotContain(ConnectorRecipes.mskRequest("a-connector-that-is-gone"));
        assertThat(recipeFiles(root))
                .as("the committed recipes (java -jar deploy/target/deploy.jar rewrites them)")
                .isEqualTo(written);
        for (String file : written) {
            assertThat(Files.readString(root.resolve(file)))
                    .as("%s (java -jar deploy/target/deploy.jar rewrites it)", file)
                    .isEqualTo(Files.readString(dir.resolve(file)));
        }
    }

    @Test
    void aWorkerReferenceWithoutADeploymentValueFailsTheRun() {
        Map<String, String> config =
                Map.of("sqs.queue.url", "${env:SQS_QUEUE_URL_BASE}/q", "sqs.endpoint.override", "${env:SQS_ENDPOINT}");
        for (Target target : List.of(Target.STRIMZI, Target.MSK_CONNECT)) {
            assertThatThrownBy(() -> target.deployed(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("${env:SQS_ENDPOINT}")
                    .hasMessageContaining("sqs.endpoint.override");
        }
    }

    @Test
    void aKeysetGetsItsFileAndTheKmsKeyAndNeverClearText() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("transforms.encrypt.keyset.file", "${env:PII_EMAIL_V2_KEYSET}");
        config.put("transforms.encrypt.keyset.allow.cleartext", "true");
        config.put("topic", "t");
        assertThat(Target.STRIMZI.deployed(config))
                .containsExactly(
                        Map.entry("transforms.encrypt.keyset.file", "/mnt/pii-keysets/pii-email_v2.json"),
                        Map.entry("transforms.encrypt.keyset.kms.uri", Target.STRIMZI.kmsKeyUri()),
                        Map.entry("transforms.encrypt.keyset.allow.cleartext", "false"),
                        Map.entry("topic", "t"));
        assertThat(Target.MSK_CONNECT.deployed(config))
                .containsEntry(
                        "transforms.encrypt.keyset.file",
                        "${s3import:eu-west-1:sqs-pii-connect-config/keysets/pii-email_v2.json}");
    }

    @Test
    void twoConnectorsWithTheSameKubernetesNameAreRefused() {
        Map<String, String> sink = Map.of("connector.class", ConnectorRecipes.SINK_CLASS, "tasks.max", "1");
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put("a_b-sink", sink);
        connectors.put("a-b-sink", sink);
        assertThatThrownBy(() -> ConnectorRecipes.recipes(connectors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same Kubernetes name");
    }

    @Test
    void jsonIsWrittenAsTheCommittedRecipesAre() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "caf\u00e9 \"q\" \\ \t");
        value.put("list", List.of(1, true, Map.of()));
        value.put("empty", List.of());
        assertThat(Json.pretty(value)).isEqualTo("""
                {
                  "name": "caf\\u00e9 \\"q\\" \\\\ \\t",
                  "list": [
                    1,
                    true,
                    {}
                  ],
                  "empty": []
                }
                """);
    }

    /** The files the generator owns under a root: the Strimzi connectors, the MSK requests and source policy. */
    private static TreeSet<String> recipeFiles(Path root) throws IOException {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> msk = Files.list(root.resolve(ConnectorRecipes.MSK_CONNECT))) {
            msk.filter(ConnectorRecipes::isMskRequest)
                    .forEach(f -> files.add(ConnectorRecipes.MSK_CONNECT + "/" + f.getFileName()));
        }
        for (String file : List.of(ConnectorRecipes.STRIMZI_CONNECTORS, ConnectorRecipes.MSK_SOURCE_POLICY)) {
            if (Files.exists(root.resolve(file))) {
                files.add(file);
            }
        }
        return files;
    }
}
