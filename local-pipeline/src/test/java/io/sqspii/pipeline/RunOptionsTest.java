package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void defaultsSendTheSampleFileWithOneTaskEach() {
        RunOptions o = RunOptions.parse();
        assertThat(o.synthetic()).isFalse();
        assertThat(o.files()).isEmpty();
        assertThat(o.datasets()).as("every dataset of datasets/").isEmpty();
        assertThat(o.sourceTasks()).isEqualTo(1);
        assertThat(o.sinkTasks()).isEqualTo(1);
        assertThat(o.follow()).isFalse();
        assertThat(o.bench()).isFalse();
    }

    @Test
    void benchDefaultsToOneHundredThousandMessages() {
        RunOptions o = RunOptions.parse("--bench", "--tasks", "2");
        assertThat(o.bench()).isTrue();
        assertThat(o.messages()).isEqualTo(100_000);
        assertThat(o.sourceTasks()).isEqualTo(2);
        assertThat(o.warmup()).isEqualTo(10_000);
        assertThat(RunOptions.parse("--bench", "--warmup", "0").warmup()).isZero();
    }

    @Test
    void benchTakesAnSqsLatencyAndReportsMemoryAtIntervals() {
        RunOptions plain = RunOptions.parse("--bench", "--messages", "1000000");
        assertThat(plain.benchSqs()).isEqualTo(new RunOptions.BenchSqs(0, 0, 30, 5, 60, 100_000, Map.of()));
        RunOptions o = RunOptions.parse(
                "--bench",
                "--sqs-latency-ms",
                "20",
                "--sqs-jitter-ms",
                "5",
                "--idle-seconds",
                "0",
                "--rss-every",
                "5000",
                "--source-config",
                "sqs.receive.concurrency=20",
                "--source-config",
                "a.b=x=y",
                "--trickle-seconds",
                "0",
                "--trickle-rate",
                "2");
        assertThat(o.benchSqs())
                .isEqualTo(new RunOptions.BenchSqs(
                        20, 5, 0, 2, 0, 5000, Map.of("sqs.receive.concurrency", "20", "a.b", "x=y")));
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--source-config", "=3"))
                .hasMessage("--source-config wants KEY=VALUE, got =3");
        assertThatThrownBy(() -> RunOptions.parse("--sqs-latency-ms", "20")).hasMessageContaining("go with --bench");
        assertThatThrownBy(() -> RunOptions.parse("--trickle-seconds", "10")).hasMessageContaining("go with --bench");
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--trickle-rate", "0"))
                .hasMessageContaining("--trickle-rate");
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--sqs-jitter-ms", "5"))
                .hasMessage("--sqs-jitter-ms must not exceed --sqs-latency-ms");
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--sqs-latency-ms", "-1"))
                .hasMessageContaining("--sqs-latency-ms must be between 0");
    }

    @Test
    void emptyArgumentsFromTheBuildAreIgnored() {
        RunOptions o = RunOptions.parse("", "--dataset", "orders", "--file", "x.jsonl", " ", "--follow");
        assertThat(o.files()).isEqualTo(Map.of(RunOptions.ONLY_DATASET, Path.of("x.jsonl")));
        assertThat(o.follow()).isTrue();
    }

    @Test
    void filesGoToTheDatasetsTheyName() {
        RunOptions o = RunOptions.parse("--file", "orders=a.jsonl", "--file", "user_logins=b=c.jsonl");
        assertThat(o.files()).isEqualTo(Map.of("orders", Path.of("a.jsonl"), "user_logins", Path.of("b=c.jsonl")));
        assertThat(RunOptions.parse("--dataset", "orders", "--dataset", "user_logins")
                        .datasets())
                .containsExactly("orders", "user_logins");
        assertThatThrownBy(() -> RunOptions.parse("--file", "x.jsonl"))
                .hasMessageContaining("--file F without NAME= needs exactly one --dataset");
        assertThatThrownBy(() -> RunOptions.parse("--dataset", "orders", "--file", "user_logins=x.jsonl"))
                .hasMessageContaining("the run does not serve dataset user_logins");
        assertThatThrownBy(() -> RunOptions.parse("--file", "orders=a", "--file", "orders=b"))
                .hasMessage("--file given twice for orders");
        assertThatThrownBy(() -> RunOptions.parse("--dataset", "Orders!")).hasMessageContaining("--dataset");
        assertThatThrownBy(() -> RunOptions.parse("--dataset", "orders", "--dataset", "orders"))
                .hasMessageContaining("once");
    }

    @Test
    void badArgumentsNameTheOption() {
        assertThatThrownBy(() -> RunOptions.parse("--messages", "-3")).hasMessageContaining("--messages");
        assertThatThrownBy(() -> RunOptions.parse("--malformed-share", "2")).hasMessageContaining("--malformed-share");
        assertThatThrownBy(() -> RunOptions.parse("--tasks")).hasMessage("--tasks needs a value");
        assertThatThrownBy(() -> RunOptions.parse("--file", "orders=a", "--messages", "3"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--file", "orders=a"))
                .hasMessageContaining("--bench");
        assertThatThrownBy(() -> RunOptions.parse("--warmup", "5")).hasMessageContaining("go with --bench");
        assertThatThrownBy(() -> RunOptions.parse("--bench", "--warmup", "-1"))
                .hasMessage("--warmup must be between 0 and 10000000, got -1");
        assertThatThrownBy(() -> RunOptions.parse("--frobnicate")).hasMessage("unknown argument --frobnicate");
    }

    @Test
    void theCommandLineExitsWithTwoAndTheUsageOnBadArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LocalPipeline.run(
                new String[] {"--messages", "many"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--messages must be a number, got many", "usage:");
    }
}
