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

    private record Run(int code, String out, String err) {
    }

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
            assertThat(dry.out()).contains("CREATE TABLE public.\"orders\" (", "INSERT INTO public.pii_columns",
                    "-- orders-sink", "\"collection.name.format\": \"orders\"", "dry run: nothing was changed");
            assertThat(db.rows("SELECT to_regclass('public.orders')")).containsExactly("null");

            Run apply = run(db, "apply", folder, "--out", dir.resolve("connectors").toString());
            assertThat(apply.code()).isZero();
            assertThat(apply.out().replace("applied in one transaction", "dry run: nothing was changed")
                    .replaceAll("connector configs written to .*\\R", "")).isEqualTo(dry.out());
            assertThat(dir.resolve("connectors/orders-sink.json")).exists();
            assertThat(dir.resolve("connectors/orders-rejected-sink.json")).exists();

            Run again = run(db, "apply", folder);
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("nothing to change").doesNotContain("CREATE", "INSERT");
        }
    }

    @Test
    void anInvalidDefinitionOrARefusedChangeExitsTwo() throws Exception {
        try (TestDb db = TestDb.create()) {
            Path bad = Fixtures.edited("orders", dir, s -> Fixtures.at(s, "/properties/total").put("minimum", 0));
            Run invalid = run(db, "apply", bad.toString());
            assertThat(invalid.code()).isEqualTo(2);
            assertThat(invalid.err()).contains("event.schema.json#/properties/total/minimum: unsupported keyword");
            assertThat(run(db, "apply", Fixtures.folder("orders").toString()).code()).isZero();
            Path changed = Fixtures.edited("orders", dir, s -> Fixtures.at(s, "/properties/total").put("type", "string"));
            Run refused = run(db, "apply", changed.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.out()).contains("REFUSED: nothing is applied",
                    "event.schema.json#/properties/total: its type changed");
        }
    }

    @Test
    void aPasswordInTheUrlIsRefusedBeforeConnecting() {
        StringWriter err = new StringWriter();
        CommandLine cli = DatasetCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("apply", Fixtures.folder("orders").toString(), "--db-url",
                "jdbc:postgresql://127.0.0.1:1/x?user=a&password=hunter2", "--db-user", "a");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("--db-url must not carry a user or password").doesNotContain("hunter2");
    }
}
