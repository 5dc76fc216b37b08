package io.sqspii.pipeline.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Reproducible login events (docs/design.md §2) for the tests and datasets/user_logins/sample.jsonl: the same seed,
 * count and share always give the same bodies. Generated load (runs, the loader, the bench) comes from
 * {@link SyntheticEvents}, which knows no dataset's fields. Valid ones satisfy datasets/user_logins/event.schema.json;
 * the malformed ones, placed at random positions, cycle through the kinds of junk real queues carry.
 */
public final class SyntheticLogins {

    /** datasets/user_logins/sample.jsonl is {@code generate(SAMPLE_SEED, SAMPLE_COUNT, SAMPLE_SHARE)}. */
    public static final long SAMPLE_SEED = 42;

    public static final int SAMPLE_COUNT = 300;
    public static final double SAMPLE_SHARE = 0.06;

    /** What a generated body is meant to be: a valid login, or one kind of junk. */
    public enum Kind {
        VALID,
        /** {@code {"foo":"oops_wrong_msg_format"}}: JSON, but some other message. */
        WRONG_FORMAT,
        /** A login cut short, as by a producer that crashed mid-write. */
        TRUNCATED,
        /** Form-encoded, XML or a Python dict: not JSON at all. */
        NOT_JSON,
        /** The login wrapped in a top-level array. */
        ARRAY,
        /** {@code "app_version":230}: a number where the schema says string. */
        WRONG_TYPE,
        /** The required {@code user_id} left out. */
        MISSING_USER_ID,
        /** A key given twice with different values. */
        DUPLICATE_KEY,
        /** U+0000, escaped as &#92;u0000 in a string: valid JSON, but no PostgreSQL text column can hold it. */
        NUL_CHARACTER,
        /** A login with an extra field nested deeper than the connector's 32 levels. */
        TOO_DEEP,
        /** {@code "ip":3338956679}: the address as a 32-bit number. */
        IP_AS_NUMBER;

        public boolean valid() {
            return this == VALID;
        }
    }

    /** One generated body and what it is meant to be. */
    public record Generated(String body, Kind kind) {
        public boolean valid() {
            return kind.valid();
        }
    }

    private static final Kind[] MALFORMED =
            Arrays.stream(Kind.values()).filter(k -> !k.valid()).toArray(Kind[]::new);

    private SyntheticLogins() {}

    /** {@code count} bodies, {@code round(count * malformedShare)} of them malformed. */
    public static List<String> generate(long seed, int count, double malformedShare) {
        return generateLabelled(seed, count, malformedShare).stream()
                .map(Generated::body)
                .toList();
    }

    /** Like {@link #generate}, each body with its intended kind (for tests that count rows and rejections). */
    public static List<Generated> generateLabelled(long seed, int count, double malformedShare) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!(malformedShare >= 0 && malformedShare <= 1)) {
            throw new IllegalArgumentException("malformed share must be within 0..1, got " + malformedShare);
        }
        Random rnd = new Random(seed);
        LoginPool pool = new LoginPool(rnd, count);
        BitSet malformed = SyntheticEvents.choose(rnd, count, (int) Math.round(count * malformedShare));
        List<Generated> out = new ArrayList<>(count);
        int junk = 0;
        for (int i = 0; i < count; i++) {
            if (malformed.get(i)) {
                Kind kind = MALFORMED[junk++ % MALFORMED.length];
                out.add(new Generated(MalformedBodies.body(kind, pool, rnd), kind));
            } else {
                out.add(new Generated(Json.write(pool.next()), Kind.VALID));
            }
        }
        return out;
    }

    /** The sample file's text: one body per line. */
    static String sampleFile() {
        return String.join("\n", generate(SAMPLE_SEED, SAMPLE_COUNT, SAMPLE_SHARE)) + "\n";
    }
}
