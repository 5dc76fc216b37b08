package io.sqspii.sqs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Reads one SQS queue. Threads: a receiver long-polls SQS into a hand-off queue that {@link #poll()} drains (so
 * {@code poll()} never blocks for a whole long poll and stop is prompt); a deleter turns acks
 * ({@link #commitRecord}, called on the producer's thread) into DeleteMessageBatch calls; a maintenance thread
 * extends visibility of records still waiting for their ack and reads the queue depth.
 */
public class SqsSourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(SqsSourceTask.class);
  private static final long POLL_WAIT_MS = 500;
  private static final int MAX_RECORDS_PER_POLL = 1000;
  private static final long DELETE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
  private static final int MAX_ENTRY_RETRIES = 5;

  /** A received message not yet deleted (or given up on). */
  static final class InFlight {
    final String messageId;
    final String receiptHandle;
    volatile long visibleSinceNanos; // when its visibility timeout last (re)started
    volatile boolean acked;
    int entryRetries;

    InFlight(String messageId, String receiptHandle, long visibleSinceNanos) {
      this.messageId = messageId;
      this.receiptHandle = receiptHandle;
      this.visibleSinceNanos = visibleSinceNanos;
    }
  }

  private record Batch(List<Message> messages) {
  }

  private SqsSourceConfig config;
  private SqsClients clients;
  private SqsClient sqs;
  private RecordFactory records;
  private SqsSourceTaskMetrics metrics;
  private String queueUrl;
  private int visibilitySeconds;

  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Batch> handoff = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<InFlight> acked = new LinkedBlockingQueue<>();
  private final Object capacity = new Object();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile boolean running;
  private volatile RuntimeException fatal;
  private volatile long closeDeadlineNanos = Long.MAX_VALUE;
  private Thread receiver;
  private Thread deleter;
  private ScheduledExecutorService maintenance;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    try {
      config = new SqsSourceConfig(props);
      records = new RecordFactory(config);
    } catch (ConfigException e) {
      throw new ConnectException("Invalid SQS source configuration: " + e.getMessage(), e);
    }
    queueUrl = config.queueUrl();
    String connector = props.getOrDefault("name", "sqs-source");
    String taskIndex = props.getOrDefault(SqsSourceConfig.TASK_INDEX, "0");
    clients = SqsClients.create(config);
    sqs = clients.sqs();
    visibilitySeconds = checkQueue();
    metrics = new SqsSourceTaskMetrics(connector, taskIndex, inFlight::size);
    metrics.register();
    try {
      metrics.addTo(context == null ? null : context.pluginMetrics());
    } catch (LinkageError | RuntimeException e) {
      log.debug("Connect plugin metrics unavailable ({}); JMX only", e.toString());
    }

    running = true;
    String threadPrefix = "sqs-source-" + connector + "-" + taskIndex;
    receiver = new Thread(this::receiveLoop, threadPrefix + "-receiver");
    deleter = new Thread(this::deleteLoop, threadPrefix + "-deleter");
    receiver.setDaemon(true);
    deleter.setDaemon(true);
    receiver.start();
    deleter.start();
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadPrefix + "-maintenance");
      t.setDaemon(true);
      return t;
    });
    if (visibilitySeconds > 0) {
      long every = Math.max(100, visibilitySeconds * 1000L / 4);
      maintenance.scheduleWithFixedDelay(this::extendVisibility, every, every, TimeUnit.MILLISECONDS);
    }
    maintenance.scheduleWithFixedDelay(this::readQueueDepth, 0, config.queueDepthIntervalMs(),
        TimeUnit.MILLISECONDS);
    log.info("SQS source task {} started on {} (visibility timeout {} s, max {} messages per receive, wait {} s)",
        taskIndex, queueUrl, visibilitySeconds, config.maxMessages(), config.waitTimeSeconds());
  }

  /** Fails fast on a missing queue or denied access; returns the visibility timeout in force. */
  private int checkQueue() {
    int configured = config.visibilityTimeoutSeconds();
    try {
      GetQueueAttributesResponse r = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
          .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT));
      if (configured >= 0) {
        return configured;
      }
      String vt = r.attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
      return vt == null ? 30 : Integer.parseInt(vt);
    } catch (SdkException e) {
      if (SqsErrors.isRetryable(e)) {
        // SQS unreachable right now: start anyway, the receiver retries and says so.
        log.warn("Could not read the attributes of {} ({}); starting anyway and retrying", queueUrl,
            SqsErrors.describe(e));
        return configured >= 0 ? configured : 30;
      }
      closeClients();
      throw new ConnectException(SqsErrors.fatalMessage("GetQueueAttributes", queueUrl, e), e);
    }
  }

  // ---------------------------------------------------------------- receive

  private void receiveLoop() {
    ReceiveMessageRequest request = ReceiveMessageRequest.builder()
        .queueUrl(queueUrl)
        .maxNumberOfMessages(config.maxMessages())
        .waitTimeSeconds(config.waitTimeSeconds())
        .visibilityTimeout(config.visibilityTimeoutSeconds() >= 0 ? config.visibilityTimeoutSeconds() : null)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All")
        .build();
    Backoff backoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
    while (running) {
      try {
        awaitCapacity();
        if (!running) {
          break;
        }
        long start = System.nanoTime();
        List<Message> messages = sqs.receiveMessage(request).messages();
        metrics.recordReceive(System.nanoTime() - start, messages.size());
        backoff.reset();
        if (messages.isEmpty()) {
          continue;
        }
        if (!running) {
          releaseNow(messages, start); // received while stopping: nobody will poll them
          break;
        }
        for (Message m : messages) {
          // A redelivered message replaces the older entry: only its newest receipt handle can delete it.
          inFlight.put(m.messageId(), new InFlight(m.messageId(), m.receiptHandle(), start));
        }
        handoff.add(new Batch(messages));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (SdkException e) {
        if (!running) {
          break; // the client was closed under us by stop()
        }
        metrics.receiveErrors.incrementAndGet();
        if (SqsErrors.isRetryable(e)) {
          long wait = backoff.next();
          log.warn("SQS ReceiveMessage on {} failed ({}); the task keeps running and retries in {} ms", queueUrl,
              SqsErrors.describe(e), wait);
          if (!pause(wait)) {
            break;
          }
        } else {
          fatal = new ConnectException(SqsErrors.fatalMessage("ReceiveMessage", queueUrl, e), e);
          log.error(fatal.getMessage());
          break;
        }
      } catch (RuntimeException e) {
        fatal = new ConnectException("SQS receive loop failed unexpectedly", e);
        log.error("SQS receive loop on {} failed", queueUrl, e);
        break;
      }
    }
  }

  private void releaseNow(List<Message> messages, long receivedAt) {
    List<InFlight> group = new ArrayList<>(messages.size());
    messages.forEach(m -> group.add(new InFlight(m.messageId(), m.receiptHandle(), receivedAt)));
    try {
      changeVisibility(group, 0);
    } catch (RuntimeException e) {
      log.debug("Could not release {} messages received while stopping: {}", messages.size(), e.toString());
    }
  }

  private void awaitCapacity() throws InterruptedException {
    int limit = config.maxInFlight() - config.maxMessages();
    synchronized (capacity) {
      while (running && inFlight.size() > limit) {
        capacity.wait(50);
      }
    }
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    throwIfFatal();
    Batch batch = handoff.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
    if (batch == null) {
      throwIfFatal();
      return null;
    }
    List<SourceRecord> out = new ArrayList<>(batch.messages().size());
    convert(batch, out);
    while (out.size() < MAX_RECORDS_PER_POLL && (batch = handoff.poll()) != null) {
      convert(batch, out);
    }
    return out;
  }

  private void convert(Batch batch, List<SourceRecord> out) {
    for (Message m : batch.messages()) {
      RecordFactory.Result r = records.toRecord(m);
      if (r.record() != null) {
        out.add(r.record());
        if (r.rejection() != null) {
          metrics.deadLettered.incrementAndGet();
        }
      } else {
        // Invalid body and no dlq.topic: leave it to SQS (redrive policy); stop tracking it.
        metrics.leftInQueue.incrementAndGet();
        log.warn("SQS message {} has an invalid body ({}: {}); no dlq.topic is set, so it stays in SQS and comes "
            + "back after its visibility timeout", m.messageId(), r.rejection().reason(), r.rejection().message());
        forget(m.messageId());
      }
    }
  }

  private void throwIfFatal() {
    RuntimeException f = fatal;
    if (f != null) {
      throw f;
    }
  }

  // ---------------------------------------------------------------- ack and delete

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    // Runs on the producer's I/O thread: only enqueue. metadata is null when a transformation dropped the record,
    // which is an ack as well.
    Object key = record.key();
    if (!(key instanceof String id)) {
      return;
    }
    InFlight f = inFlight.get(id);
    if (f == null || f.acked) {
      return; // a duplicate delivery whose message is already being deleted
    }
    f.acked = true;
    acked.add(f);
  }

  private void deleteLoop() {
    Backoff backoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
    try {
      while (running) {
        deleteAcked(backoff);
      }
      // Stopping: acks that still arrive from the producer are deleted until nothing polled is left or the
      // grace period is over. Messages never handed to Connect go back to the queue at once — but only after
      // the receiver's last long poll returned: a poll still open on the server would grab released messages
      // (its own late messages it releases itself).
      long receiverDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.waitTimeSeconds() + 6L);
      boolean released = false;
      while (true) {
        if (!released && (!receiver.isAlive() || System.nanoTime() > receiverDeadline)) {
          releaseUnpolled();
          released = true;
        }
        if (released && (inFlight.isEmpty() || System.nanoTime() >= closeDeadlineNanos)) {
          break;
        }
        deleteAcked(backoff);
      }
      while (!acked.isEmpty()) {
        deleteAcked(backoff); // acked before the deadline: one last try each
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("SQS delete loop on {} failed", queueUrl, e);
      fatal = new ConnectException("SQS delete loop failed unexpectedly", e);
    } finally {
      finishClose();
    }
  }

  /** Waits briefly for acks and deletes them in batches of up to 10. */
  private void deleteAcked(Backoff backoff) throws InterruptedException {
    InFlight first = acked.poll(50, TimeUnit.MILLISECONDS);
    if (first == null) {
      return;
    }
    List<InFlight> batch = new ArrayList<>(10);
    batch.add(first);
    // A short linger fills batches: acks arrive in bursts, one producer batch at a time.
    long lingerUntil = System.nanoTime() + DELETE_LINGER_NANOS;
    while (batch.size() < 10) {
      acked.drainTo(batch, 10 - batch.size());
      long left = lingerUntil - System.nanoTime();
      if (batch.size() >= 10 || left <= 0) {
        break;
      }
      InFlight next = acked.poll(left, TimeUnit.NANOSECONDS);
      if (next != null) {
        batch.add(next);
      }
    }
    deleteBatch(batch, backoff);
    synchronized (capacity) {
      capacity.notifyAll();
    }
  }

  /** Deletes up to 10 messages; retries the call and its failed entries, then gives up per message id. */
  private void deleteBatch(List<InFlight> batch, Backoff backoff) throws InterruptedException {
    List<InFlight> pending = new ArrayList<>(batch);
    while (!pending.isEmpty()) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(pending.size());
      for (int i = 0; i < pending.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(pending.get(i).receiptHandle).build());
      }
      DeleteMessageBatchResponse response;
      try {
        metrics.deleteRequests.incrementAndGet();
        response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        backoff.reset();
      } catch (SdkException e) {
        if (SqsErrors.isRetryable(e) && (running || System.nanoTime() < closeDeadlineNanos)) {
          long wait = backoff.next();
          log.warn("SQS DeleteMessageBatch of {} messages failed ({}); retrying in {} ms", pending.size(),
              SqsErrors.describe(e), wait);
          if (!sleep(wait)) {
            throw new InterruptedException();
          }
          continue;
        }
        for (InFlight f : pending) {
          giveUp(f, SqsErrors.describe(e));
        }
        if (!SqsErrors.isRetryable(e) && running) {
          fatal = new ConnectException(SqsErrors.fatalMessage("DeleteMessageBatch", queueUrl, e), e);
          log.error(fatal.getMessage());
        }
        return;
      }
      for (var ok : response.successful()) {
        InFlight f = pending.get(Integer.parseInt(ok.id()));
        inFlight.remove(f.messageId, f);
        metrics.deleted.incrementAndGet();
      }
      List<InFlight> retry = new ArrayList<>();
      for (BatchResultErrorEntry err : response.failed()) {
        InFlight f = pending.get(Integer.parseInt(err.id()));
        // Sender faults (e.g. an expired receipt handle) will not succeed on retry.
        if (Boolean.TRUE.equals(err.senderFault()) || ++f.entryRetries > MAX_ENTRY_RETRIES) {
          giveUp(f, err.code());
        } else {
          retry.add(f);
        }
      }
      if (!retry.isEmpty()) {
        long wait = backoff.next();
        log.warn("SQS could not delete {} messages (ids {}); retrying in {} ms", retry.size(),
            retry.stream().map(f -> f.messageId).toList(), wait);
        if (!sleep(wait)) {
          throw new InterruptedException();
        }
      }
      pending = retry;
    }
  }

  private void giveUp(InFlight f, String why) {
    inFlight.remove(f.messageId, f);
    metrics.deleteFailures.incrementAndGet();
    log.warn("SQS message {} was acked but could not be deleted ({}); SQS will deliver it again", f.messageId,
        why);
  }

  // ---------------------------------------------------------------- visibility and queue depth

  /** Extends the visibility of messages that have waited more than half the visibility timeout. */
  void extendVisibility() {
    if (!running) {
      return;
    }
    try {
      long now = System.nanoTime();
      long half = TimeUnit.SECONDS.toNanos(visibilitySeconds) / 2;
      List<InFlight> due = new ArrayList<>();
      for (InFlight f : inFlight.values()) {
        if (now - f.visibleSinceNanos > half) {
          due.add(f);
        }
      }
      for (int from = 0; from < due.size() && running; from += 10) {
        changeVisibility(due.subList(from, Math.min(due.size(), from + 10)), visibilitySeconds);
      }
    } catch (RuntimeException e) {
      log.warn("Visibility extension on {} failed ({}); retrying on the next tick", queueUrl,
          e instanceof SdkException ? SqsErrors.describe(e) : e.toString());
    }
  }

  private void changeVisibility(List<InFlight> group, int seconds) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(group.get(i).receiptHandle).visibilityTimeout(seconds).build());
    }
    long sentAt = System.nanoTime();
    ChangeMessageVisibilityBatchResponse r = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
        .entries(entries));
    for (var ok : r.successful()) {
      group.get(Integer.parseInt(ok.id())).visibleSinceNanos = sentAt;
      if (seconds > 0) {
        metrics.visibilityExtensions.incrementAndGet();
      }
    }
    for (BatchResultErrorEntry err : r.failed()) {
      InFlight f = group.get(Integer.parseInt(err.id()));
      if (seconds > 0 && inFlight.get(f.messageId) == f) { // else it was deleted meanwhile: expected
        log.warn("SQS could not extend the visibility of message {} ({})", f.messageId, err.code());
      } else {
        log.debug("SQS could not change the visibility of message {} to {} s ({})", f.messageId, seconds,
            err.code());
      }
    }
  }

  private void readQueueDepth() {
    try {
      Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
      metrics.queueDepth.set(Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
          "-1")));
      metrics.queueNotVisible.set(Long.parseLong(a.getOrDefault(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "-1")));
    } catch (RuntimeException e) {
      if (running) {
        log.debug("Could not read the depth of {}: {}", queueUrl, e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- stop

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    // Acks may still arrive from the producer after stop(): the deleter keeps deleting for the grace period.
    closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownGraceMs());
    running = false;
    if (maintenance != null) {
      maintenance.shutdownNow();
    }
    stopSignal.countDown(); // ends a receiver's backoff pause; an open long poll is left to finish
    synchronized (capacity) {
      capacity.notifyAll();
    }
    log.info("SQS source task on {} stopping; {} messages not yet deleted", queueUrl, inFlight.size());
  }

  /** Messages received but never handed to Connect: make them visible again at once. */
  private void releaseUnpolled() {
    List<InFlight> unpolled = new ArrayList<>();
    Batch b;
    while ((b = handoff.poll()) != null) {
      for (Message m : b.messages()) {
        InFlight f = inFlight.remove(m.messageId());
        if (f != null) {
          unpolled.add(f);
        }
      }
    }
    for (int from = 0; from < unpolled.size(); from += 10) {
      try {
        changeVisibility(unpolled.subList(from, Math.min(unpolled.size(), from + 10)), 0);
      } catch (RuntimeException e) {
        log.debug("Could not release prefetched messages: {}", e.toString());
        return;
      }
    }
  }

  /** Runs on the deleter thread once it is done: closes the client and the metrics. */
  private void finishClose() {
    int left = inFlight.size();
    if (left > 0) {
      log.info("SQS source task on {} stopped with {} messages not deleted; SQS delivers them again after their "
          + "visibility timeout", queueUrl, left);
    }
    closeClients();
    if (metrics != null) {
      metrics.close();
    }
  }

  private void closeClients() {
    if (clients != null) {
      clients.close();
    }
  }

  private void forget(String messageId) {
    inFlight.remove(messageId);
    synchronized (capacity) {
      capacity.notifyAll();
    }
  }

  /** Waits before a retry; false once the task is stopping. */
  private boolean pause(long ms) {
    try {
      return !stopSignal.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // for tests
  SqsSourceTaskMetrics metrics() {
    return metrics;
  }

  Collection<InFlight> inFlightMessages() {
    return inFlight.values();
  }

  boolean isClosed() {
    return deleter != null && !deleter.isAlive();
  }
}
