package io.sqspii.inspector;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/** TEMPORARY until the crypto core is installed: opaque stored values, no key. */
final class Masking {
    private Masking() {
    }

    static BiFunction<String, String, String> real() {
        Map<String, String> tokens = new HashMap<>();
        return (f, v) -> tokens.computeIfAbsent(f + v, k -> "AQAAAA" + UUID.randomUUID().toString().replace("-", ""));
    }

    static Decryptor keyRing() {
        return null;
    }

    static void seedRejected(TestDb db) throws SQLException {
        db.insertRejected("rej-1", "missing required field ip", "AQ" + UUID.randomUUID(), SeedData.T0);
    }
}
