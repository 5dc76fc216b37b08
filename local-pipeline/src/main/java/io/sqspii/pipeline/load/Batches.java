package io.sqspii.pipeline.load;

import java.util.ArrayList;
import java.util.List;

/** Splits bodies into SendMessageBatch requests within SQS's limits (docs/design.md §6b). */
final class Batches {

    static final int MAX_ENTRIES = 10;
    /** 1 MiB, both for one body and for the sum of a batch's bodies (raised from 256 KiB in 2025-08). */
    static final int MAX_BYTES = 1024 * 1024;

    /** Input positions {@code from} (inclusive) to {@code to} (exclusive). */
    record Range(int from, int to) {}

    private Batches() {}

    /**
     * Consecutive runs of at most {@link #MAX_ENTRIES} bodies and {@link #MAX_BYTES} bytes. Checks every body first,
     * so that nothing is sent when one of them would be refused.
     */
    static List<Range> split(List<String> bodies) {
        int[] sizes = new int[bodies.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = checkedSize(bodies.get(i), i);
        }
        List<Range> ranges = new ArrayList<>(sizes.length / MAX_ENTRIES + 1);
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (i - from == MAX_ENTRIES || bytes + sizes[i] > MAX_BYTES) {
                ranges.add(new Range(from, i));
                from = i;
                bytes = 0;
            }
            bytes += sizes[i];
        }
        if (from < sizes.length) {
            ranges.add(new Range(from, sizes.length));
        }
        return ranges;
    }

    private static int checkedSize(String body, int index) {
        if (body == null || body.isEmpty()) {
            throw new IllegalArgumentException("message " + index + " has " + (body == null ? "a null" : "an empty")
                    + " body; SQS refuses empty message bodies");
        }
        int size = utf8Length(body);
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("message " + index + " is " + size + " bytes; SQS accepts at most "
                    + MAX_BYTES + " bytes (1 MiB) per message");
        }
        return size;
    }

    /** UTF-8 length without encoding a copy (an unpaired surrogate counts 3, as its replacement would). */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
