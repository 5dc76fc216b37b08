package io.sqspii.pii.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link EncryptFieldsBenchmark} (standard JMH options such as -wi 2 -i 3 -f 1 pass through), prints one
 * line per figure plus the SMT/raw ratio, and writes target/bench/pii-smt-jmh.json.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        Path out = Path.of("target", "bench");
        Files.createDirectories(out);
        ChainedOptionsBuilder b =
                new OptionsBuilder().parent(cli).include(EncryptFieldsBenchmark.class.getName() + ".*");
        Collection<RunResult> results = new Runner(b.build()).run();
        double smt = Double.NaN;
        double raw = Double.NaN;
        double smtErr = Double.NaN;
        double rawErr = Double.NaN;
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            if (label.endsWith("smtRecord")) {
                smt = score;
                smtErr = err;
            } else if (label.endsWith("rawTinkRecord")) {
                raw = score;
                rawErr = err;
            }
        }
        double ratio = smt / raw;
        System.out.printf(Locale.ROOT, "EncryptFields$Value records/s: %.0f ± %.0f%n", smt, smtErr);
        System.out.printf(
                Locale.ROOT, "raw Tink DeterministicAead records/s (2 encryptions each): %.0f ± %.0f%n", raw, rawErr);
        System.out.printf(Locale.ROOT, "ratio SMT/raw: %.3f (goal >= 0.5)%n", ratio);
        write(
                out.resolve("pii-smt-jmh.json"),
                String.format(
                        Locale.ROOT,
                        "{\"smt_records_per_s\":%.1f,\"smt_error\":%.1f,\"raw_records_per_s\":%.1f,\"raw_error\":%.1f,\"ratio\":%.4f}%n",
                        smt,
                        smtErr,
                        raw,
                        rawErr,
                        ratio));
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }
}
