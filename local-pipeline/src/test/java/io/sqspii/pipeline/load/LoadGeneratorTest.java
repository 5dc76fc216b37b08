package io.sqspii.pipeline.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.dataset.Definition;
import io.sqspii.testsupport.sqs.FailingEntries;
import io.sqspii.testsupport.sqs.SqsForwardingProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Against a real SQS-protocol server: ElasticMQ embedded on a free loopback port. */
class LoadGeneratorTest {

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static SQSRestServer server;
    private static String endpoint;
    private static SqsClient client;

    @TempDir
    Path temp;

    @BeforeAll
    static void startElasticMq() {
        server = SQSRestServerBuilder.withDynamicPort()
                .withInterface("127.0.0.1")
                .start();
        endpoint =
                "http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort();
        client = LoadGenerator.client(endpoint, null);
    }

    @AfterAll
    static void stopElasticMq() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stopAndWait();
        }
    }

    @Test
    void sendPutsEveryBodyOnTheQueueOnceWithTheIdsSqsGaveThem() {
        String queue = newQueue();
        List<String> bodies = new ArrayList<>(SyntheticLogins.generate(5, 537, 0.05));
        bodies.add("{\"user_id\":\"ü\",\"locale\":\"日本\",\"device_id\":\"😀\"}"); // multi-byte, a surrogate pair
        bodies.add(bodies.get(0)); // the same body twice is two messages
        List<Long> progress = new CopyOnWriteArrayList<>();
        List<SentMessage> sent;
        try (LoadGenerator generator = new LoadGenerator(client, queue, 4)) {
            sent = generator.send(bodies, progress::add);
        }

        assertThat(sent).extracting(SentMessage::body).containsExactlyElementsOf(bodies);
        assertThat(sent).extracting(SentMessage::messageId).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(progress).isSorted().last().isEqualTo((long) bodies.size());
        assertThat(progress).hasSize((bodies.size() + 9) / 10);
        List<Message> received = receiveAll(queue, bodies.size());
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(received)
                .extracting(Message::messageId)
                .containsExactlyInAnyOrderElementsOf(
                        sent.stream().map(SentMessage::messageId).toList());
        for (Message m : received) {
            assertThat(sent).contains(new SentMessage(m.messageId(), m.body()));
        }
    }

    @Test
    void batchesStayUnderOneMebibyteAndLargeBodiesStillGo() {
        String queue = newQueue();
        List<String> bodies = List.of(
                "a".repeat(400_000),
                "b".repeat(400_000),
                "c".repeat(400_000),
                "d",
                "é".repeat(Batches.MAX_BYTES / 2)); // 1 MiB exactly in UTF-8, half that in chars
        assertThat(Batches.split(bodies))
                .containsExactly(new Batches.Range(0, 2), new Batches.Range(2, 4), new Batches.Range(4, 5));
        try (LoadGenerator generator = new LoadGenerator(client, queue, 2)) {
            generator.send(bodies, n -> {});
        }
        assertThat(receiveAll(queue, bodies.size()))
                .extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(bodies);
    }

    @Test
    void batchesHoldAtMostTenEntries() {
        assertThat(Batches.split(SyntheticLogins.generate(1, 25, 0)))
                .containsExactly(new Batches.Range(0, 10), new Batches.Range(10, 20), new Batches.Range(20, 25));
        assertThat(Batches.split(List.of())).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedBeforeAnythingIsSentAndNotQuoted() {
        String queue = newQueue();
        String secret = "ip=203.0.113.9;".repeat(70_000); // 1,050,000 bytes
        String wide = "ж".repeat(600_000); // 600,000 chars, 1,200,000 bytes
        try (LoadGenerator generator = new LoadGenerator(client, queue, 2)) {
            for (String big : List.of(secret, wide)) {
                assertThatThrownBy(() -> generator.send(List.of("{\"ok\":1}", big), n -> {}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("message 1 is " + Batches.utf8Length(big) + " bytes")
                        .hasMessageContaining("1 MiB")
                        .hasMessageNotContaining("203.0.113.9")
                        .hasMessageNotContaining("жж");
            }
            assertThatThrownBy(() -> generator.send(List.of("x", ""), n -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("message 1 has an empty body");
        }
        assertThat(visibleMessages(queue)).isZero();
    }

    @Test
    void aBodySqsRefusesFailsNamingTheEntryAndCodeButNotTheBody() {
        String queue = newQueue();
        List<String> bodies = new ArrayList<>(SyntheticLogins.generate(2, 30, 0));
        bodies.set(17, "{\"ip\":\"198.51.100.7\",\"bad\":\"" + (char) 1 + "\"}"); // U+0001: not a character SQS allows
        try (LoadGenerator generator = new LoadGenerator(client, queue, 1)) {
            assertThatThrownBy(() -> generator.send(bodies, n -> {}))
                    .isInstanceOf(SendFailedException.class)
                    .hasMessageContaining("message 17")
                    .hasMessageContaining("sender fault")
                    .hasMessageNotContaining("198.51.100.7");
        }
    }

    @Test
    void entriesSqsReportsAsFailedAreResentUntilAccepted() throws Exception {
        String queue = newQueue();
        List<String> bodies = SyntheticLogins.generate(3, 95, 0.05);
        // Every third entry fails twice before it is accepted.
        FailingEntries failing =
                new FailingEntries("SendMessageBatch", (id, attempt) -> Integer.parseInt(id) % 3 == 0 && attempt <= 2);
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(endpoint, failing);
                SqsClient flaky = LoadGenerator.client(proxy.endpoint(), null);
                LoadGenerator generator = new LoadGenerator(flaky, queue, 3)) {
            List<SentMessage> sent = generator.send(bodies, n -> {});
            assertThat(failing.attempts("0")).isEqualTo(3);
            assertThat(failing.attempts("1")).isEqualTo(1);
            List<Message> received = receiveAll(queue, bodies.size());
            assertThat(received).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(received)
                    .extracting(Message::messageId)
                    .containsExactlyInAnyOrderElementsOf(
                            sent.stream().map(SentMessage::messageId).toList());
        }
    }

    @Test
    void anEntryThatKeepsFailingEndsTheSendAfterBoundedAttempts() throws Exception {
        String queue = newQueue();
        List<String> bodies = SyntheticLogins.generate(4, 12, 0);
        FailingEntries failing = new FailingEntries("SendMessageBatch", (id, attempt) -> id.equals("11"));
        try (SqsForwardingProxy proxy = SqsForwardingProxy.start(endpoint, failing);
                SqsClient flaky = LoadGenerator.client(proxy.endpoint(), null);
                LoadGenerator generator = new LoadGenerator(flaky, queue, 1)) {
            assertThatThrownBy(() -> generator.send(bodies, n -> {}))
                    .isInstanceOf(SendFailedException.class)
                    .hasMessageContaining("after " + BatchSender.MAX_ATTEMPTS + " attempts")
                    .hasMessageContaining("entry 11")
                    .hasMessageContaining("ServiceUnavailable")
                    .hasMessageNotContaining(bodies.get(11).substring(12, 48));
            assertThat(failing.attempts("11")).isEqualTo(BatchSender.MAX_ATTEMPTS);
        }
        assertThat(receiveAll(queue, 11))
                .extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(bodies.subList(0, 11));
    }

    @Test
    void backoffGrowsAndIsCapped() {
        for (int attempt = 1; attempt < 40; attempt++) {
            long ceiling = Math.min(2_000, 50L << Math.min(attempt - 1, 20));
            assertThat(BatchSender.backoffMillis(attempt)).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void aClosedGeneratorRefusesToSend() {
        LoadGenerator generator = new LoadGenerator(client, newQueue(), 1);
        generator.close();
        assertThatThrownBy(() -> generator.send(List.of("x"), n -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new LoadGenerator(client, "q", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommandLineSendsEveryNonEmptyLineOfAFileAsIs() throws Exception {
        String queue = newQueue();
        List<String> lines = List.of(
                "{\"user_id\":\"u1\"}", "", "  not json, sent as is  ", "   ", "{\"foo\":\"oops_wrong_msg_format\"}");
        Path file = temp.resolve("messages.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Cli cli = Cli.run("--file", file.toString(), "--queue-url", queue, "--endpoint", endpoint, "--threads", "2");

        assertThat(cli.status).as(cli.err()).isZero();
        assertThat(cli.err()).isEmpty();
        assertThat(cli.out()).matches("sent 3 messages to \\S+ in [0-9.]+ s \\([0-9]+ msg/s\\)\\R");
        assertThat(receiveAll(queue, 3))
                .extracting(Message::body)
                .containsExactlyInAnyOrder(lines.get(0), lines.get(2), lines.get(4));
    }

    @Test
    void theCommandLineSendsSyntheticEventsOfTheNamedDefinitionForASeed() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        for (String dataset : List.of("orders", "user_logins")) {
            Path folder = repo.resolve("datasets").resolve(dataset);
            String queue = newQueue();
            Cli cli = Cli.run(
                    "--queue-url",
                    queue,
                    "--endpoint",
                    endpoint,
                    "--messages",
                    "120",
                    "--seed",
                    "9",
                    "--malformed-share",
                    "0.1",
                    "--dataset",
                    folder.toString());
            assertThat(cli.status).as(cli.err()).isZero();
            assertThat(cli.out()).startsWith("sent 120 messages");
            assertThat(receiveAll(queue, 120))
                    .extracting(Message::body)
                    .containsExactlyInAnyOrderElementsOf(
                            SyntheticEvents.generate(Definition.load(folder), 9, 120, 0.1));
        }
    }

    @Test
    void withoutDatasetTheSyntheticEventsAreUserLoginsAndABadDefinitionExitsWithOne() throws Exception {
        assertThat(LoadOptions.parse("--queue-url", "http://127.0.0.1:1/0/q", "--messages", "5")
                        .dataset())
                .isEqualTo(Path.of("datasets", "user_logins"));
        assertThat(LoadOptions.USAGE)
                .contains("--dataset DIR", "(default datasets" + java.io.File.separator + "user_logins)");
        Cli cli = Cli.run(
                "--queue-url",
                endpoint + "/000000000000/q",
                "--endpoint",
                endpoint,
                "--messages",
                "5",
                "--dataset",
                temp.toString());
        assertThat(cli.status).isEqualTo(1);
        assertThat(cli.err())
                .startsWith("LoadGenerator: cannot read " + temp + ": ")
                .contains("dataset.json");
    }

    @Test
    void theCommandLineSendsEachDatasetsSampleToItsQueue() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Map<String, String> queues = new java.util.TreeMap<>();
        for (String dataset : List.of("orders", "user_logins")) {
            String queue = io.sqspii.dataset.Definition.load(
                            repo.resolve("datasets").resolve(dataset))
                    .queue();
            queues.put(dataset, client.createQueue(b -> b.queueName(queue)).queueUrl());
        }
        String base = queues.get("orders").substring(0, queues.get("orders").lastIndexOf('/'));
        Cli cli = Cli.run(
                "--datasets",
                repo.resolve("datasets").toString(),
                "--queue-url-base",
                base + "/",
                "--endpoint",
                endpoint);

        assertThat(cli.status).as(cli.err()).isZero();
        for (Map.Entry<String, String> q : queues.entrySet()) {
            List<String> sample = LoadGenerator.bodiesOf(
                    repo.resolve("datasets").resolve(q.getKey()).resolve("sample.jsonl"));
            assertThat(cli.out()).contains("sent " + sample.size() + " messages to " + q.getValue() + " ");
            assertThat(receiveAll(q.getValue(), sample.size()))
                    .extracting(Message::body)
                    .containsExactlyInAnyOrderElementsOf(sample);
        }
        // a definitions folder without any definition is an error, not an empty run
        assertThat(Cli.run("--datasets", temp.toString(), "--queue-url-base", base, "--endpoint", endpoint).status)
                .isEqualTo(1);
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithTwo() {
        String q = "http://127.0.0.1:1/000000000000/q";
        List<String[]> bad = List.of(
                new String[] {},
                new String[] {"--messages", "10"},
                new String[] {"--queue-url", q},
                new String[] {"--queue-url", q, "--messages", "10", "--file", "x"},
                new String[] {"--queue-url", q, "--file", "x", "--seed", "1"},
                new String[] {"--queue-url", q, "--file", "x", "--dataset", "datasets/orders"},
                new String[] {"--queue-url", q, "--messages", "10", "--dataset", ""},
                new String[] {"--queue-url", q, "--messages", "ten"},
                new String[] {"--queue-url", q, "--messages", "-1"},
                new String[] {"--queue-url", q, "--messages", "10", "--malformed-share", "1.5"},
                new String[] {"--queue-url", q, "--messages", "10", "--threads", "0"},
                new String[] {"--queue-url", "login-queue", "--messages", "10"},
                new String[] {"--queue-url", q, "--messages", "10", "--endpoint", "sqs:9324"},
                new String[] {"--queue-url", q, "--messages", "10", "--frobnicate", "1"},
                new String[] {"--queue-url", q, "--messages"},
                new String[] {"--queue-url", q, "--messages", "10", "stray"},
                new String[] {"--datasets", "datasets"},
                new String[] {"--queue-url-base", "http://sqs:9324/000000000000"},
                new String[] {"--datasets", "datasets", "--queue-url-base", "http://sqs:9324/0", "--queue-url", q},
                new String[] {"--datasets", "datasets", "--queue-url-base", "http://sqs:9324/0", "--messages", "10"},
                new String[] {"--datasets", "datasets", "--queue-url-base", "http://sqs:9324/0", "--dataset", "d"},
                new String[] {"--datasets", "datasets", "--queue-url-base", "sqs:9324"});
        for (String[] args : bad) {
            Cli cli = Cli.run(args);
            assertThat(cli.status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(cli.err()).startsWith("LoadGenerator: ").contains("usage: LoadGenerator --queue-url URL");
            assertThat(cli.out()).isEmpty();
        }
        Cli help = Cli.run("--help");
        assertThat(help.status).isZero();
        assertThat(help.out()).contains("usage: LoadGenerator");
    }

    @Test
    void aSendThatFailsExitsWithOneWithoutQuotingBodies() throws Exception {
        Path file = temp.resolve("one.jsonl");
        Files.writeString(file, "{\"ip\":\"192.0.2.44\"}\n");
        Cli cli = Cli.run(
                "--file",
                file.toString(),
                "--queue-url",
                endpoint + "/000000000000/no-such-queue",
                "--endpoint",
                endpoint);
        assertThat(cli.status).isEqualTo(1);
        assertThat(cli.err()).startsWith("LoadGenerator: sending failed: ").doesNotContain("192.0.2.44");
        assertThat(Cli.run(
                                "--file",
                                temp.resolve("missing.jsonl").toString(),
                                "--queue-url",
                                endpoint + "/x",
                                "--endpoint",
                                endpoint)
                        .status)
                .isEqualTo(1);
    }

    @Test
    void onlyAwsOwnHostsCountAsAws() {
        assertThat(LoaderClient.isAws(URI.create("https://sqs.eu-west-1.amazonaws.com")))
                .isTrue();
        assertThat(LoaderClient.isAws(URI.create("https://sqs.cn-north-1.amazonaws.com.cn")))
                .isTrue();
        assertThat(LoaderClient.isAws(URI.create("https://sqs.us-east-1.api.aws")))
                .isTrue();
        assertThat(LoaderClient.isAws(URI.create("http://sqs:9324"))).isFalse();
        assertThat(LoaderClient.isAws(URI.create("http://localhost.amazonaws.com.evil.test")))
                .isFalse();
        try (SqsClient local = LoadGenerator.client(endpoint, "eu-central-1")) {
            assertThat(local.serviceClientConfiguration().region().id()).isEqualTo("eu-central-1");
        }
    }

    private static String newQueue() {
        String name = "load-" + QUEUES.incrementAndGet();
        return client.createQueue(
                        b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "600")))
                .queueUrl();
    }

    /** Receives until {@code expected} messages came, then checks that nothing else is left. */
    private static List<Message> receiveAll(String queue, int expected) {
        List<Message> all = new ArrayList<>();
        for (int emptyPolls = 0; all.size() < expected && emptyPolls < 3; ) {
            List<Message> batch = client.receiveMessage(
                            b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
            all.addAll(batch);
        }
        assertThat(all).hasSize(expected);
        assertThat(visibleMessages(queue)).isZero();
        return all;
    }

    private static long visibleMessages(String queue) {
        return Long.parseLong(client.getQueueAttributes(
                        b -> b.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private record Cli(int status, ByteArrayOutputStream outBytes, ByteArrayOutputStream errBytes) {
        static Cli run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = LoadGenerator.run(
                    args,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Cli(status, out, err);
        }

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
