package io.sqspii.sqs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What reaches Kafka of a FIFO message's group id (the record key and a header) and deduplication id (a
 * header): producers choose them, and they may be PII (a user's e-mail as the group). {@code hash} replaces
 * each by HMAC-SHA256 under a secret key, so one group still maps to one key (one partition, in order) and
 * equal ids stay equal, but an id cannot be found by hashing guesses (a plain SHA-256 of an e-mail can).
 */
enum FifoIds {
    DROP,
    HASH,
    KEEP;

    /** Shortest hash key: 32 characters of a random text carry well over 128 bits. */
    static final int MIN_KEY_LENGTH = 32;

    /** Computes the HMAC token of ids; one per task, used by one thread at a time (the record factory's). */
    static final class Hasher {
        private final SecretKeySpec key;

        Hasher(String secret) {
            this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        }

        String token(String id) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e); // every JDK has it
            }
        }
    }
}
