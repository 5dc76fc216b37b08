package io.sqspii.sqs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The messages a task holds received but not yet deleted, bounded by count and by body bytes. A receive first
 * reserves room for the most it can return (so concurrent receives cannot overshoot the bounds together) and
 * waits — on a condition, not a spin — while that room is not there.
 */
final class InFlightMessages {

    /** Room held for one receive until its messages are admitted (or it returned nothing). */
    static final class Reservation {
        private final int count;
        private final long bytes;
        private boolean open = true;

        private Reservation(int count, long bytes) {
            this.count = count;
            this.bytes = bytes;
        }
    }

    private final Map<String, InFlight> byId = new ConcurrentHashMap<>();
    private final int maxCount;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private int count; // admitted + reserved, under lock
    private long bytes; // admitted + reserved, under lock
    private long admittedBytes; // under lock
    // The smallest receive a waiting receiver asks room for, under lock: a release wakes the waiters only once one of
    // them fits, and then once per batch, not once per deleted message (20 receivers woken 4,000 times a second
    // cost more CPU than the deletes).
    private int waitingMessages = Integer.MAX_VALUE;
    private long waitingBytes = Long.MAX_VALUE;

    InFlightMessages(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /**
     * Waits until a receive of up to {@code messages} messages of up to {@code bytesEach} bytes fits, or until
     * nothing at all is in flight (so a bound smaller than one receive still makes progress). Returns null once
     * {@code running} says false.
     */
    Reservation reserve(int messages, long bytesEach, java.util.function.BooleanSupplier running)
            throws InterruptedException {
        long want = messages * bytesEach;
        lock.lock();
        try {
            while (running.getAsBoolean()) {
                boolean empty = count == 0;
                if (empty || (count + messages <= maxCount && bytes + want <= maxBytes)) {
                    count += messages;
                    bytes += want;
                    return new Reservation(messages, want);
                }
                waitingMessages = Math.min(waitingMessages, messages);
                waitingBytes = Math.min(waitingBytes, want);
                room.await(1, TimeUnit.SECONDS); // woken by release(); the timeout only re-checks running
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Turns a reservation into the messages it brought (possibly none) and hands back the unused room. */
    void admit(Reservation r, List<InFlight> received) {
        for (InFlight f : received) {
            // A redelivered message replaces its older entry: only the newest receipt handle can delete it.
            InFlight old = byId.put(f.messageId, f);
            if (old != null) {
                released(1, old.bytes);
            }
        }
        long got = 0;
        for (InFlight f : received) {
            got += f.bytes;
        }
        lock.lock();
        try {
            if (!r.open) {
                throw new IllegalStateException("reservation used twice");
            }
            r.open = false;
            count += received.size() - r.count;
            bytes += got - r.bytes;
            admittedBytes += got;
            wakeWaitersThatFit();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a reservation whose receive failed. */
    void cancel(Reservation r) {
        admit(r, List.of());
    }

    InFlight get(String messageId) {
        return byId.get(messageId);
    }

    /** Stops tracking {@code f} (deleted, left to SQS or released); false if it was not (or no longer) tracked. */
    boolean remove(InFlight f) {
        return removeAll(List.of(f)) == 1;
    }

    /** {@link #remove} for a batch (a DeleteMessageBatch's successes): one release, one wake-up; returns how many. */
    int removeAll(List<InFlight> batch) {
        int n = 0;
        long b = 0;
        for (InFlight f : batch) {
            if (byId.remove(f.messageId, f)) {
                n++;
                b += f.bytes;
            }
        }
        if (n > 0) {
            released(n, b);
        }
        return n;
    }

    private void released(int n, long b) {
        lock.lock();
        try {
            count -= n;
            bytes -= b;
            admittedBytes -= b;
            wakeWaitersThatFit();
        } finally {
            lock.unlock();
        }
    }

    /** Under lock. The woken re-check and, if they still do not fit, register their want again. */
    private void wakeWaitersThatFit() {
        if (count == 0 || (count + waitingMessages <= maxCount && bytes + waitingBytes <= maxBytes)) {
            waitingMessages = Integer.MAX_VALUE;
            waitingBytes = Long.MAX_VALUE;
            room.signalAll();
        }
    }

    /** Wakes receivers waiting for room (on stop). */
    void wakeAll() {
        lock.lock();
        try {
            waitingMessages = Integer.MAX_VALUE;
            waitingBytes = Long.MAX_VALUE;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        return byId.size();
    }

    long bytes() {
        lock.lock();
        try {
            return admittedBytes;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    Collection<InFlight> all() {
        return byId.values();
    }

    static InFlight of(Message m, long receivedAtNanos) {
        return new InFlight(
                m.messageId(),
                m.receiptHandle(),
                BodyConverter.utf8Length(m.body() == null ? "" : m.body()),
                receivedAtNanos);
    }
}
