package io.sqspii.reveal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a login, an address): {@code perMinute} tokens, refilled continuously, so a burst of up to
 * {@code perMinute} passes and then {@code perMinute} per minute. Full buckets are forgotten when the map
 * grows, so guessed login names cannot grow it without bound.
 */
final class TokenBuckets {
    private static final int PRUNE_ABOVE = 10_000;

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    TokenBuckets(int perMinute, LongSupplier nanoClock) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
    }

    int perMinute() {
        return (int) capacity;
    }

    /** Takes n tokens: 0 when granted, else the whole seconds until n tokens will be there (nothing taken). */
    long take(String key, int n) {
        if (buckets.size() > PRUNE_ABOVE) {
            long now = nanoClock.getAsLong();
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(nanoClock.getAsLong()))
                .take(n, nanoClock.getAsLong());
    }

    /** Gives back n tokens taken by {@link #take} (never above the capacity). */
    void give(String key, int n) {
        Bucket b = buckets.get(key);
        if (b != null) {
            b.give(n, nanoClock.getAsLong());
        }
    }

    /** True when the key's bucket is full: nothing was taken from it lately. */
    boolean untouched(String key) {
        Bucket b = buckets.get(key);
        return b == null || b.isFull(nanoClock.getAsLong());
    }

    private final class Bucket {
        private double tokens = capacity;
        private long at;

        Bucket(long now) {
            at = now;
        }

        synchronized long take(int n, long now) {
            refill(now);
            if (tokens >= n) {
                tokens -= n;
                return 0;
            }
            return secondsUntil(n, now);
        }

        synchronized void give(int n, long now) {
            refill(now);
            tokens = Math.min(capacity, tokens + n);
        }

        synchronized long secondsUntil(int n, long now) {
            refill(now);
            return tokens >= n ? 0 : Math.max(1, (long) Math.ceil((n - tokens) / perNano / 1e9));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
        }
    }
}
