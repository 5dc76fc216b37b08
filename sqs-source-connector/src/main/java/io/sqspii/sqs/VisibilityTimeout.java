package io.sqspii.sqs;

import java.time.Duration;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The visibility timeout in force for a task: the configured one, or the queue's own (read with
 * GetQueueAttributes) when the config says -1. Receives always send it, so the keeper's schedule and SQS agree.
 */
final class VisibilityTimeout {

  private final int configured;
  private volatile int seconds;

  VisibilityTimeout(int configured) {
    this.configured = configured;
    this.seconds = configured;
  }

  boolean resolved() {
    return seconds >= 0;
  }

  /** Reads the queue's own timeout if the config left it to the queue; throws the SDK's exception if that fails. */
  int resolve(QueueCalls calls) {
    if (seconds < 0) {
      String vt = calls.attributes(QueueAttributeName.VISIBILITY_TIMEOUT).get(QueueAttributeName.VISIBILITY_TIMEOUT);
      seconds = vt == null ? 30 : Integer.parseInt(vt.trim()); // 30 s is SQS's default
    }
    return seconds;
  }

  /** -1 until resolved. */
  int seconds() {
    return seconds;
  }

  int configured() {
    return configured;
  }

  // The keeper's schedule, all derived from the timeout so that several attempts fit before a message expires:
  // extend once a quarter of it has passed, look every twentieth, give each call a tenth.

  long extendAfterNanos() {
    return Duration.ofSeconds(seconds).toNanos() / 4;
  }

  long tickMillis() {
    return clamp(seconds * 1000L / 20, 100, 5_000);
  }

  Duration callTimeout() {
    return Duration.ofMillis(clamp(seconds * 1000L / 10, 300, 5_000));
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }
}
