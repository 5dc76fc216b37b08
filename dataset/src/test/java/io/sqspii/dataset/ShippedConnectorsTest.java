package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connect-config/connectors holds exactly what the shipped definitions give, and the CLI says when it drifts. */
class ShippedConnectorsTest {

    private static final Path SHIPPED = TestDb.REPO.resolve("connect-config/connectors");

    private static Map<String, Map<String, String>> generated() throws Exception {
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (Path folder : Datasets.folders(List.of(TestDb.REPO.resolve("datasets")))) {
            all.putAll(DatasetConnectors.of(folder));
        }
        return all;
    }

    @Test
    void theShippedConnectorConfigsAreTheGeneratedOnes() throws Exception {
        Map<String, Map<String, String>> all = generated();
        assertThat(all)
                .containsKeys(
                        "user_logins-source",
                        "user_logins-sink",
                        "user_logins-rejected-sink",
                        "orders-source",
                        "orders-sink",
                        "orders-rejected-sink");
        assertThat(Datasets.drift(all, SHIPPED)).isEmpty();
    }

    @Test
    void theCheckNamesAChangedAMissingAndAStrayFile(@TempDir Path dir) throws Exception {
        int written = cli("connectors", TestDb.REPO.resolve("datasets").toString(), "--out", dir.toString());
        assertThat(written).isZero();
        assertThat(cli("connectors", TestDb.REPO.resolve("datasets").toString(), "--out", dir.toString(), "--check"))
                .isZero();
        Files.writeString(dir.resolve("orders-sink.json"), "{}\n");
        Files.delete(dir.resolve("orders-source.json"));
        Files.writeString(dir.resolve("old-sink.json"), "{}\n");
        StringWriter err = new StringWriter();
        CommandLineRun run =
                run(err, "connectors", TestDb.REPO.resolve("datasets").toString(), "--out", dir.toString(), "--check");
        assertThat(run.exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("orders-sink.json differs from what the definition gives")
                .contains("orders-source.json is missing")
                .contains("old-sink.json belongs to no dataset");
    }

    private record CommandLineRun(int exit) {}

    private static int cli(String... args) {
        return run(new StringWriter(), args).exit;
    }

    private static CommandLineRun run(StringWriter err, String... args) {
        var cl = DatasetCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return new CommandLineRun(cl.execute(args));
    }
}
