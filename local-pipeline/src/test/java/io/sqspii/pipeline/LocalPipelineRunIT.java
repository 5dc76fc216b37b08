package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The run command end to end: synthetic messages in, a summary out, exit 0, and nothing left running. */
class LocalPipelineRunIT {

    @Test
    void runsSyntheticMessagesToTheEndAndStopsCleanly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (TestDatabase db = TestDatabase.create()) {
            code = LocalPipeline.run(
                    new String[] {
                        "--dataset", "user_logins", "--messages", "2000", "--malformed-share", "0.1", "--tasks", "2"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    db::database);
            String output = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(output)
                    .contains(
                            "registered [user_logins-source, user_logins-sink, user_logins-rejected-sink]",
                            "stopped cleanly");
            Matcher done = Pattern.compile(
                            "user_logins: 2,000 messages sent, ([\\d,]+) rows in user_logins, ([\\d,]+) in "
                                    + "user_logins_rejected")
                    .matcher(output);
            assertThat(done.find()).as(output).isTrue();
            long rows = Long.parseLong(done.group(1).replace(",", ""));
            long rejected = Long.parseLong(done.group(2).replace(",", ""));
            assertThat(rows + rejected).isEqualTo(2000);
            assertThat(rejected).isBetween(100L, 300L);
            assertThat(db.database()
                            .counts(List.of(
                                    RunDataset.shipped(PipelineLayout.fromSystemProperties(), RunDataset.USER_LOGINS))))
                    .isEqualTo(new PipelineDatabase.Counts(rows, rejected));

            // Nothing is left listening on the ports the run printed.
            Matcher ports = Pattern.compile("Kafka 127\\.0\\.0\\.1:(\\d+), Connect http://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(output);
            assertThat(ports.find()).as(output).isTrue();
            for (int i = 1; i <= 2; i++) {
                int port = Integer.parseInt(ports.group(i));
                assertThat(isListening(port))
                        .as("port " + port + " after the run")
                        .isFalse();
            }
        }
    }

    private static boolean isListening(int port) {
        try {
            new Socket("127.0.0.1", port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
