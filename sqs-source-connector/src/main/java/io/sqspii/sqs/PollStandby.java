package io.sqspii.sqs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where the receivers beyond {@code sqs.receive.concurrency.idle} wait while receives come back less than full:
 * a quiet queue then costs the empty receives of a few long polls, not of all of them. A full receive means more
 * is waiting in the queue and wakes them all at once.
 */
final class PollStandby {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicInteger waiting;
    private long generation; // under lock

    /** {@code waiting} counts the receivers on standby (a task metric). */
    PollStandby(AtomicInteger waiting) {
        this.waiting = waiting;
    }

    /** Waits until a full receive (or a stop) wakes the receivers; false once {@code running} says false. */
    boolean await(BooleanSupplier running) throws InterruptedException {
        lock.lock();
        waiting.incrementAndGet();
        try {
            long seen = generation;
            while (seen == generation && running.getAsBoolean()) {
                wake.await(1, TimeUnit.SECONDS); // the timeout only re-checks running
            }
            return running.getAsBoolean();
        } finally {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    /**
     * Wakes every receiver on standby; costs nothing when none is. A receiver that goes on standby at the same
     * moment may miss this wake-up and waits for the next full receive: one round trip later under load.
     */
    void wakeAll() {
        if (waiting.get() == 0) {
            return;
        }
        lock.lock();
        try {
            generation++;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
