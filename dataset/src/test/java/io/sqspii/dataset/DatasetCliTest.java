package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(TestDb db, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", db.url, "--db-user", TestDb.USER));
        if (!TestDb.PASSWORD.isEmpty()) {
            Path pw = Files.writeString(dir.resolve("pw"), TestDb.PASSWORD + "\n");
            all.addAll(List.of("--db-password-file", pw.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DatasetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void dryRunPrintsThePlanThenApplyDoesItThenNothingToChange() throws Exception {
        String folder = Fixtures.folder("orders").toString();
        try (TestDb db = TestDb.create()) {
            Run dry = run(db, "apply", folder, "--dry-run");
            assertThat(dry.code()).isZero();
            assertThat(dry.out())
                    .contains(
                            "CREATE TABLE public.\"orders\" (",
                            "INSERT INTO public.pii_columns",
                            "-- orders-sink",
                            "\"collection.name.format\": \"orders\"",
                            "dry run: nothing was changed");
            assertThat(db.rows("SELECT to_regclass('public.orders')")).containsExactly("null");

            Run apply =
                    run(db, "apply", folder, "--out", dir.resolve("connectors").toString());
            assertThat(apply.code()).isZero();
            assertThat(apply.out()
                            .replace("applied in one transaction", "dry run: nothing was changed")
                            .replaceAll("connector configs written to .*\\R", ""))
                    .isEqualTo(dry.out());
            assertThat(dir.resolve("connectors/orders-sink.json")).exists();
            assertThat(dir.resolve("connectors/orders-rejected-sink.json")).exists();

            Run again = run(db, "apply", folder);
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("nothing to change").doesNotContain("CREATE", "INSERT");
        }
    }

    @Test
    void aFolderOfDefinitionsAppliesEachOneInNameOrder() throws Exception {
        try (TestDb db = TestDb.create()) {
            Run apply = run(db, "apply", Fixtures.DATASETS.toString());
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("CREATE TABLE public.\"orders\" (", "-- user_logins-sink");
            assertThat(apply.out().indexOf("-- orders-sink"))
                    .isLessThan(apply.out().indexOf("-- user_logins-sink"));
            assertThat(db.rows("SELECT dataset FROM public.pii_datasets ORDER BY dataset"))
                    .containsExactly("orders", "user_logins");
            assertThat(run(db, "apply", Fixtures.DATASETS.toString()).out()).doesNotContain("CREATE", "INSERT");

            // the first definition that fails stops the run: nothing after it is applied
            Path edited = Files.createDirectories(dir.resolve("edited"));
            Path changed = Fixtures.edited(
                    "orders", edited, s -> Fixtures.at(s, "/properties/total").put("type", "string"));
            Files.move(changed, edited.resolve("a_orders"));
            Path later = Fixtures.editedDataset(
                    "orders",
                    edited,
                    d -> d.put("name", "z_orders")
                            .put("queue", "z-queue")
                            .put("topic", "z")
                            .put("dead_letter_topic", "z.dlq")
                            .put("table", "z_orders")
                            .put("rejected_table", "z_orders_rejected"));
            Files.move(later, edited.resolve("z_orders"));
            Run refused = run(db, "apply", edited.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(db.rows("SELECT to_regclass('public.z_orders')")).containsExactly("null");
        }
    }

    @Test
    void keysetsListsWhatTheConnectorsReadWithTheirModes() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = DatasetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("keysets", Fixtures.DATASETS.toString())).isZero();
        assertThat(out.toString().lines()).containsExactly("deterministic deterministic", "randomized randomized");
        // every one is a ${env:PII_<NAME>_KEYSET} of a generated connector, and there is no other
        java.util.Set<String> referenced = new java.util.TreeSet<>();
        for (Path folder : Datasets.folders(List.of(Fixtures.DATASETS))) {
            DatasetConnectors.of(folder)
                    .values()
                    .forEach(c -> c.values().forEach(v -> {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                                        "\\$\\{env:(PII_[A-Z0-9_]+_KEYSET)}")
                                .matcher(v);
                        while (m.find()) {
                            referenced.add(m.group(1));
                        }
                    }));
        }
        assertThat(referenced)
                .containsExactlyElementsOf(out.toString()
                        .lines()
                        .map(l -> DatasetConnectors.keysetEnvironment(l.split(" ")[0]))
                        .sorted()
                        .toList());

        Path own = Fixtures.editedDataset(
                "orders", dir, d -> d.putObject("keysets").put("randomized", "deterministic"));
        StringWriter err = new StringWriter();
        CommandLine clash = DatasetCli.commandLine();
        clash.setErr(new PrintWriter(err));
        assertThat(clash.execute("keysets", own.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("keyset deterministic is named for two modes");
    }

    @Test
    void anInvalidDefinitionOrARefusedChangeExitsTwo() throws Exception {
        try (TestDb db = TestDb.create()) {
            Path bad = Fixtures.edited(
                    "orders", dir, s -> Fixtures.at(s, "/properties/total").put("multipleOf", 0.01));
            Run invalid = run(db, "apply", bad.toString());
            assertThat(invalid.code()).isEqualTo(2);
            assertThat(invalid.err()).contains("event.schema.json#/properties/total/multipleOf: unsupported keyword");
            assertThat(run(db, "apply", Fixtures.folder("orders").toString()).code())
                    .isZero();
            Path changed = Fixtures.edited(
                    "orders", dir, s -> Fixtures.at(s, "/properties/total").put("type", "string"));
            Run refused = run(db, "apply", changed.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.out())
                    .contains("REFUSED: nothing is applied", "event.schema.json#/properties/total: its type changed");
        }
    }

    @Test
    void aPasswordInTheUrlIsRefusedBeforeConnecting() {
        StringWriter err = new StringWriter();
        CommandLine cli = DatasetCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(
                "apply",
                Fixtures.folder("orders").toString(),
                "--db-url",
                "jdbc:postgresql://127.0.0.1:1/x?user=a&password=hunter2",
                "--db-user",
                "a");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .contains("--db-url must not carry a user or password")
                .doesNotContain("hunter2");
    }
}
