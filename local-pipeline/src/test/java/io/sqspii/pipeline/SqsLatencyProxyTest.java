package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
import io.sqspii.testsupport.sqs.SqsRequestBill;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** The bench's proxy against a real ElasticMQ: calls still work through it, wait the latency, and are billed. */
class SqsLatencyProxyTest {

    private static EmbeddedElasticMq sqs;
    private static SqsLatencyProxy proxy;
    private static SqsClient client;

    @BeforeAll
    static void start() {
        sqs = EmbeddedElasticMq.start();
        proxy = SqsLatencyProxy.start(sqs.endpoint());
        client = PipelineBench.client(proxy.endpoint());
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
        sqs.close();
    }

    @Test
    void billsEachCallByTypeWithTheMessagesItCarried() {
        String queue = sqs.createQueue("proxy-bill", 30);
        for (int i = 0; i < 3; i++) {
            String body = "{\"n\":" + i + "}";
            sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
        SqsRequestBill.Snapshot before = proxy.bill().snapshot();

        List<Message> got = new ArrayList<>();
        while (got.size() < 3) {
            got.addAll(client.receiveMessage(
                            b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages());
        }
        List<DeleteMessageBatchRequestEntry> entries = got.stream()
                .map(m -> DeleteMessageBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        assertThat(client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries))
                        .failed())
                .isEmpty();
        assertThat(client.receiveMessage(
                                b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0))
                        .messages())
                .isEmpty();
        client.getQueueAttributes(b -> b.queueUrl(queue));

        SqsRequestBill.Snapshot bill = proxy.bill().snapshot().minus(before);
        assertThat(bill.received()).isEqualTo(3);
        assertThat(bill.deleted()).isEqualTo(3);
        assertThat(bill.deletes()).isEqualTo(1);
        assertThat(bill.emptyReceives())
                .as("the last receive found the queue empty")
                .isGreaterThanOrEqualTo(1);
        assertThat(bill.receives() - bill.emptyReceives())
                .as("receives that carried the 3 messages")
                .isBetween(1L, 3L);
        assertThat(bill.attributes()).isEqualTo(1);
        assertThat(bill.requests()).isEqualTo(bill.receives() + 2);
        assertThat(sqs.remaining(queue)).isZero();
    }

    @Test
    void everyCallWaitsAtLeastTheInjectedLatency() {
        String queue = sqs.createQueue("proxy-latency", 30);
        proxy.latency(200, 0);
        try {
            long start = System.nanoTime();
            client.getQueueAttributes(b -> b.queueUrl(queue));
            client.getQueueAttributes(b -> b.queueUrl(queue));
            // A lower bound only: a sleep never ends early, a loaded machine may make it later.
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        } finally {
            proxy.latency(0, 0);
        }
    }
}
