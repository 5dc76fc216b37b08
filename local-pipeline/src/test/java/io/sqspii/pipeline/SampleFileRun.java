package io.sqspii.pipeline;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A pipeline on a fresh test database, its connectors registered with one task each, and
 * datasets/user_logins/sample.jsonl sent through it and awaited until every message is a row in
 * user_logins or user_logins_rejected. Closing stops the pipeline, then drops the database.
 */
final class SampleFileRun implements AutoCloseable {

    private final TestDatabase database;
    private Pipeline pipeline;
    private List<SentMessage> sent;
    private Counts baseline;
    private Counts accounted;

    private SampleFileRun(TestDatabase database) {
        this.database = database;
    }

    static SampleFileRun start(Duration timeout) throws Exception {
        SampleFileRun run = new SampleFileRun(TestDatabase.create());
        try {
            run.pipeline = Pipeline.start(PipelineLayout.fromSystemProperties(), run.database.database(), 60);
            run.pipeline.registerConnectors(1, 1);
            run.baseline = run.pipeline.counts();
            List<String> bodies = LoadGenerator.bodiesOf(run.pipeline.primary().sample());
            try (LoadGenerator generator = new LoadGenerator(run.pipeline.sqs().client(), run.pipeline.queueUrl(), 2)) {
                run.sent = generator.send(bodies, n -> {});
            }
            run.accounted = new ProgressMonitor(
                            run.pipeline,
                            run.baseline,
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            timeout)
                    .awaitAccounted(run.sent.size(), run.sent::size);
            return run;
        } catch (Exception | AssertionError e) {
            run.close();
            throw e;
        }
    }

    Pipeline pipeline() {
        return pipeline;
    }

    TestDatabase database() {
        return database;
    }

    List<SentMessage> sent() {
        return sent;
    }

    Counts baseline() {
        return baseline;
    }

    Counts accounted() {
        return accounted;
    }

    @Override
    public void close() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            database.close();
        }
    }
}
