package io.sqspii.sqs;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task counters, exposed as the MBean
 * {@code io.sqspii.sqs:type=source-task-metrics,connector=<name>,task=<index>}.
 * A dynamic MBean keeps the class package-private (standard MBeans need a public interface).
 */
final class SqsSourceTaskMetrics implements DynamicMBean, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqsSourceTaskMetrics.class);
    static final String DOMAIN = "io.sqspii.sqs";

    final AtomicLong received = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong leftInQueue = new AtomicLong();
    final AtomicLong receiveRequests = new AtomicLong();
    final AtomicLong emptyReceives = new AtomicLong();
    final AtomicLong receiveErrors = new AtomicLong();
    final AtomicLong deleteRequests = new AtomicLong();
    final AtomicLong deleteFailures = new AtomicLong();
    final AtomicLong visibilityExtensions = new AtomicLong();
    final AtomicLong visibilityRequests = new AtomicLong();
    final AtomicLong visibilityFailures = new AtomicLong();
    final AtomicLong attributeRequests = new AtomicLong();
    final AtomicLong notInKafka = new AtomicLong();
    private final AtomicLong receivesReturned = new AtomicLong();
    final AtomicLong receiveLatencyTotalNanos = new AtomicLong();
    final LongAccumulator receiveLatencyMaxNanos = new LongAccumulator(Math::max, 0);
    final AtomicLong queueDepth = new AtomicLong(-1);
    final AtomicLong queueNotVisible = new AtomicLong(-1);
    final java.util.concurrent.atomic.AtomicInteger pollsOnStandby = new java.util.concurrent.atomic.AtomicInteger();
    private final Supplier<Integer> inFlight;
    private final Supplier<Long> inFlightBytes;

    private final Map<String, Attr> attrs = new LinkedHashMap<>();
    private final ObjectName name;
    /** Which instance registered each name (per JVM, like the platform MBean server). */
    private static final Map<ObjectName, SqsSourceTaskMetrics> OWNERS = new HashMap<>();

    private PluginMetrics pluginMetrics;
    private final List<MetricName> pluginMetricNames = new ArrayList<>();

    private record Attr(String type, String description, Supplier<Object> value) {}

    SqsSourceTaskMetrics(String connector, String task, Supplier<Integer> inFlight, Supplier<Long> inFlightBytes) {
        this.inFlight = inFlight;
        this.inFlightBytes = inFlightBytes;
        this.name = objectName(connector, task);
        counter("messages-received", "Messages received from SQS", received);
        counter("messages-deleted", "Messages deleted from SQS after their record was acked", deleted);
        counter("messages-dead-lettered", "Messages turned into dead-letter records", deadLettered);
        counter("messages-left-in-queue", "Invalid messages left in SQS (no dlq.topic)", leftInQueue);
        attrs.put(
                "messages-in-flight",
                new Attr("int", "Messages received and not yet deleted", () -> this.inFlight.get()));
        attrs.put(
                "messages-in-flight-bytes",
                new Attr("long", "Body bytes (UTF-8) of the messages in flight", () -> this.inFlightBytes.get()));
        counter(
                "messages-not-in-kafka",
                "Messages whose record did not reach Kafka with errors.tolerance=all "
                        + "(failed, or dropped by a transformation): not deleted, SQS delivers them again",
                notInKafka);
        counter("receive-requests", "ReceiveMessage calls made", receiveRequests);
        counter("receive-empty", "ReceiveMessage calls that returned no message", emptyReceives);
        counter("receive-errors", "ReceiveMessage calls that failed", receiveErrors);
        counter("delete-requests", "DeleteMessageBatch calls", deleteRequests);
        counter("delete-failures", "Messages whose delete failed for good (they come back from SQS)", deleteFailures);
        counter(
                "visibility-extensions",
                "Visibility timeouts extended for records awaiting their ack",
                visibilityExtensions);
        counter("visibility-requests", "ChangeMessageVisibilityBatch calls", visibilityRequests);
        counter(
                "visibility-failures",
                "Visibility extensions that failed (retried on the keeper's next tick)",
                visibilityFailures);
        counter("attribute-requests", "GetQueueAttributes calls", attributeRequests);
        attrs.put(
                "receive-polls-on-standby",
                new Attr(
                        "int",
                        "Receivers waiting for a full receive before they poll " + "again (the queue is quiet)",
                        pollsOnStandby::get));
        attrs.put(
                "receive-latency-avg-ms",
                new Attr(
                        "double",
                        "Mean ReceiveMessage latency (includes the long-poll " + "wait on an empty queue)",
                        this::receiveLatencyAvgMs));
        attrs.put(
                "receive-latency-max-ms",
                new Attr("double", "Highest ReceiveMessage latency", () -> receiveLatencyMaxNanos.get() / 1e6));
        counter(
                "queue-approximate-depth",
                "ApproximateNumberOfMessages of the queue (-1 until first read)",
                queueDepth);
        counter(
                "queue-approximate-not-visible",
                "ApproximateNumberOfMessagesNotVisible of the queue (-1 until " + "first read)",
                queueNotVisible);
    }

    static ObjectName objectName(String connector, String task) {
        try {
            // Plain names stay unquoted so that tools can address them as written; others are quoted.
            String c = connector.matches("[\\w.-]+") ? connector : ObjectName.quote(connector);
            return new ObjectName(DOMAIN + ":type=source-task-metrics,connector=" + c + ",task=" + task);
        } catch (JMException e) {
            throw new IllegalArgumentException("bad connector name for JMX", e);
        }
    }

    private void counter(String attr, String description, AtomicLong value) {
        attrs.put(attr, new Attr("long", description, value::get));
    }

    /** A ReceiveMessage call that returned (its request was counted when it was made). */
    void recordReceive(long nanos, int messages) {
        receivesReturned.incrementAndGet();
        receiveLatencyTotalNanos.addAndGet(nanos);
        receiveLatencyMaxNanos.accumulate(nanos);
        if (messages == 0) {
            emptyReceives.incrementAndGet();
        }
        received.addAndGet(messages);
    }

    double receiveLatencyAvgMs() {
        long n = receivesReturned.get();
        return n == 0 ? 0.0 : receiveLatencyTotalNanos.get() / 1e6 / n;
    }

    ObjectName name() {
        return name;
    }

    /**
     * Also publishes every attribute through Connect's plugin metrics (Kafka 4.1+), which the worker reports with
     * its own metrics reporters under the connector and task tags.
     */
    synchronized void addTo(PluginMetrics pluginMetrics) {
        if (pluginMetrics == null) {
            return;
        }
        for (Map.Entry<String, Attr> e : attrs.entrySet()) {
            MetricName metric =
                    pluginMetrics.metricName(e.getKey(), e.getValue().description(), new LinkedHashMap<>());
            Supplier<Object> value = e.getValue().value();
            pluginMetrics.addMetric(metric, (Gauge<Object>) (config, now) -> value.get());
            pluginMetricNames.add(metric);
        }
        this.pluginMetrics = pluginMetrics;
    }

    /**
     * Registers this instance under the task's name, replacing an older instance of the same task (a restart whose
     * predecessor has not finished closing). The name is owned by the newest instance: an older one's close leaves
     * it alone.
     */
    void register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (OWNERS) {
            try {
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
                server.registerMBean(this, name);
                OWNERS.put(name, this);
            } catch (JMException e) {
                log.warn("Could not register the task metrics MBean {}: {}", name, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (pluginMetrics != null) {
            for (MetricName m : pluginMetricNames) {
                try {
                    pluginMetrics.removeMetric(m);
                } catch (RuntimeException e) {
                    log.debug("Could not remove plugin metric {}", m.name(), e);
                }
            }
            pluginMetricNames.clear();
            pluginMetrics = null;
        }
        synchronized (OWNERS) {
            if (!OWNERS.remove(name, this)) {
                return; // never registered, or a newer instance of the task owns the name now
            }
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // already gone
            } catch (JMException e) {
                log.debug("Could not unregister {}", name, e);
            }
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Attr a = attrs.get(attribute);
        if (a == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return a.value().get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("read-only: " + attribute.getName());
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            Attr attr = attrs.get(a);
            if (attr != null) {
                list.add(new Attribute(a, attr.value().get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException(actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] infos = attrs.entrySet().stream()
                .map(e -> new MBeanAttributeInfo(
                        e.getKey(), e.getValue().type(), e.getValue().description(), true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        return new MBeanInfo(getClass().getName(), "SQS source task metrics", infos, null, null, null);
    }
}
