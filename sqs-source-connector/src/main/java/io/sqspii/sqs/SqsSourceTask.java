package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads one SQS queue. The task only wires its parts and runs start, stop and shutdown: a {@link Receiver}
 * long-polls into a hand-off queue that {@link #poll()} drains and converts; an {@link Acker} turns Kafka's acks
 * ({@link #commitRecord}) into deletes; a {@link VisibilityKeeper} keeps waiting messages invisible; a
 * {@link QueueDepthReader} feeds the depth metrics. {@link InFlightMessages} bounds what all of them hold.
 */
public class SqsSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(SqsSourceTask.class);
    private static final long POLL_WAIT_MS = 500;
    private static final int MAX_RECORDS_PER_POLL = 1000;
    /** How long after stop() a receiver's last long poll may still be open (its wait plus the socket margin). */
    private static final long RECEIVER_STOP_MARGIN_S = 6;

    private SqsSourceSettings settings;
    private SqsClients clients;
    private RecordFactory records;
    private SqsSourceTaskMetrics metrics;
    private InFlightMessages inFlight;
    private final TaskFailure failure = new TaskFailure();
    private Receiver receiver;
    private Acker acker;
    private VisibilityKeeper keeper;
    private QueueDepthReader depthReader;
    private Thread shutdown;
    private volatile boolean running;
    /**
     * With Connect's default {@code errors.tolerance=none}, a record reaches {@link #commitRecord} without
     * metadata only when a transformation filtered it out (a failed send fails the task instead): its message is
     * done with. With {@code all}, the same call may also mean the record failed, so the message is kept.
     */
    private boolean nullMetadataMayBeAFailure;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            settings = SqsSourceConfig.parse(props);
            records = new RecordFactory(settings);
        } catch (ConfigException e) {
            throw new ConnectException("Invalid SQS source configuration: " + e.getMessage(), e);
        }
        nullMetadataMayBeAFailure = "all"
                .equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none").trim());
        String connector = props.getOrDefault("name", "sqs-source");
        String taskIndex = props.getOrDefault(SqsSourceConfig.TASK_INDEX, "0");
        String threadPrefix = "sqs-source-" + connector + "-" + taskIndex;
        SqsSourceSettings.Receive receive = settings.receive();
        String queueUrl = settings.queue().url();
        inFlight = new InFlightMessages(receive.maxInFlight(), receive.maxInFlightBytes());
        metrics = new SqsSourceTaskMetrics(connector, taskIndex, inFlight::size, inFlight::bytes);
        clients = SqsClients.create(settings);
        QueueCalls calls = new QueueCalls(
                clients.sqs(), queueUrl, metrics, settings.output().attributes());
        VisibilityTimeout visibility = new VisibilityTimeout(receive.visibilityTimeoutSeconds());
        QueueSettings queue = new QueueSettings(visibility);
        checkQueue(calls, queue);
        metrics.register();
        try {
            metrics.addTo(context == null ? null : context.pluginMetrics());
        } catch (LinkageError | RuntimeException e) {
            log.debug("Connect plugin metrics unavailable ({}); JMX only", e.toString());
        }

        running = true;
        receiver = new Receiver(calls, inFlight, queue, failure, metrics, settings);
        acker = new Acker(calls, inFlight, failure, metrics, receive);
        keeper = new VisibilityKeeper(calls, inFlight, visibility, metrics, receive.concurrency(), threadPrefix);
        depthReader = new QueueDepthReader(calls, metrics, threadPrefix);
        receiver.start(receive.concurrency(), receive.concurrencyIdle(), threadPrefix);
        acker.start(receive.concurrency(), threadPrefix);
        keeper.start();
        depthReader.start(receive.queueDepthInterval().toMillis());
        log.info(
                "SQS source task {} started on {} (visibility timeout {}, {} receivers of up to {} messages, wait {} s)",
                taskIndex,
                queueUrl,
                visibility.resolved() ? visibility.seconds() + " s" : "not yet read",
                receive.concurrency(),
                receive.maxMessages(),
                receive.waitTimeSeconds());
    }

    /**
     * Fails fast on a missing queue, denied access, missing credentials or an unknown host while reading the
     * queue's settings. A transient failure does not stop the start: the receiver retries (and reads the settings
     * before its first receive).
     */
    private void checkQueue(QueueCalls calls, QueueSettings queue) {
        try {
            queue.resolve(calls);
        } catch (SdkException e) {
            if (SqsErrors.isRetryable(e)) {
                log.warn(
                        "Could not read the attributes of {} ({}); starting anyway and retrying",
                        calls.queueUrl(),
                        SqsErrors.describe(e));
                return;
            }
            clients.close();
            throw new ConnectException(SqsErrors.fatalMessage("GetQueueAttributes", calls.queueUrl(), e), e);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        failure.throwIfFailed();
        List<Message> batch = receiver.take(POLL_WAIT_MS);
        if (batch == null) {
            failure.throwIfFailed();
            return null;
        }
        List<SourceRecord> out = new ArrayList<>(batch.size());
        convert(batch, out);
        while (out.size() < MAX_RECORDS_PER_POLL && (batch = receiver.takeNow()) != null) {
            convert(batch, out);
        }
        return out;
    }

    private void convert(List<Message> batch, List<SourceRecord> out) {
        for (Message m : batch) {
            RecordFactory.Result r = records.toRecord(m);
            if (r.record() != null) {
                out.add(r.record());
                if (r.rejection() != null) {
                    metrics.deadLettered.incrementAndGet();
                }
            } else {
                // Invalid body and no dlq.topic: leave it to SQS (redrive policy); stop tracking it.
                metrics.leftInQueue.incrementAndGet();
                log.warn(
                        "SQS message {} has an invalid body ({}: {}); no dlq.topic is set, so it stays in SQS and comes "
                                + "back after its visibility timeout",
                        m.messageId(),
                        r.rejection().reason(),
                        r.rejection().message());
                InFlight f = inFlight.get(m.messageId());
                if (f != null) {
                    inFlight.remove(f);
                }
            }
        }
    }

    /**
     * Called once Kafka acked the record ({@code metadata} set) or when the record did not reach Kafka
     * ({@code metadata} null: dropped by a transformation, or failed under {@code errors.tolerance=all}); only the
     * first deletes the message. Runs on the producer's thread: only queues.
     */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (acker != null) {
            acker.ack(RecordFactory.messageIdOf(record), metadata != null || !nullMetadataMayBeAFailure);
        }
    }

    /**
     * Returns at once. In the background: no new receives; once the last long poll returned, messages never handed
     * to Connect are made visible again; acks still arriving are deleted for {@code sqs.shutdown.grace.ms}; then
     * the client and the metrics close.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        long graceDeadline =
                System.nanoTime() + settings.receive().shutdownGrace().toNanos();
        receiver.stop();
        keeper.close();
        depthReader.close();
        acker.stopRetryingAfter(graceDeadline);
        log.info(
                "SQS source task on {} stopping; {} messages not yet deleted",
                settings.queue().url(),
                inFlight.size());
        shutdown =
                new Thread(() -> shutDown(graceDeadline), Thread.currentThread().getName() + "-sqs-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
    }

    private void shutDown(long graceDeadline) {
        try {
            // A poll still open on the server would grab released messages: release only after the receivers ended.
            receiver.awaitStopped(System.nanoTime()
                    + TimeUnit.SECONDS.toNanos(settings.receive().waitTimeSeconds() + RECEIVER_STOP_MARGIN_S));
            releaseUnpolled();
            while (!inFlight.isEmpty() && System.nanoTime() < graceDeadline) {
                Thread.sleep(10);
            }
            acker.finish(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            int left = inFlight.size();
            if (left > 0) {
                log.info(
                        "SQS source task on {} stopped with {} messages not deleted; SQS delivers them again after "
                                + "their visibility timeout",
                        settings.queue().url(),
                        left);
            }
            clients.close();
            metrics.close();
        }
    }

    /** Messages received but never handed to Connect: visible again at once. */
    private void releaseUnpolled() {
        List<InFlight> unpolled = new ArrayList<>();
        List<Message> batch;
        while ((batch = receiver.takeNow()) != null) {
            for (Message m : batch) {
                InFlight f = inFlight.get(m.messageId());
                if (f != null && inFlight.remove(f)) {
                    unpolled.add(f);
                }
            }
        }
        receiver.release(unpolled);
    }

    // for tests
    SqsSourceTaskMetrics metrics() {
        return metrics;
    }

    Collection<InFlight> inFlightMessages() {
        return inFlight.all();
    }

    boolean isClosed() {
        return shutdown != null && !shutdown.isAlive();
    }
}
