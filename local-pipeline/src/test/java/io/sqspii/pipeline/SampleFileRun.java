package io.sqspii.pipeline;

import io.sqspii.pipeline.PipelineDatabase.Counts;
import io.sqspii.pipeline.load.LoadGenerator;
import io.sqspii.pipeline.load.SentMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * connect-config/sample/login-messages.jsonl sent through a running pipeline, awaited until every message is
 * a row in user_logins or user_logins_rejected.
 */
record SampleFileRun(List<SentMessage> sent, Counts baseline, Counts accounted) {

  static SampleFileRun sendAndAwait(Pipeline pipeline, Duration timeout) throws IOException, InterruptedException {
    Counts baseline = pipeline.database().counts();
    List<String> bodies = LoadGenerator.bodiesOf(pipeline.layout().connectConfig("sample/login-messages.jsonl"));
    List<SentMessage> sent;
    try (LoadGenerator generator = new LoadGenerator(pipeline.sqs().client(), pipeline.queueUrl(), 2)) {
      sent = generator.send(bodies, n -> { });
    }
    Counts accounted = new ProgressMonitor(pipeline, baseline, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), timeout).awaitAccounted(sent.size(), sent::size);
    return new SampleFileRun(sent, baseline, accounted);
  }
}
