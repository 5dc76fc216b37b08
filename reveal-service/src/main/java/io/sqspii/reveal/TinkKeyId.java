package io.sqspii.reveal;

import java.util.Base64;
import java.util.OptionalLong;

/**
 * The Tink key id in a stored ciphertext: base64url, a version byte (0x01 tink, 0x00 legacy) and the
 * 4-byte big-endian key id. The same rule as pii_key_id() in roles.sql; ids are unsigned 32-bit.
 */
final class TinkKeyId {

    private TinkKeyId() {}

    static OptionalLong of(String ciphertext) {
        if (ciphertext == null || ciphertext.length() < 8) {
            return OptionalLong.empty();
        }
        byte[] head;
        try {
            head = Base64.getUrlDecoder().decode(ciphertext.substring(0, 8));
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (head[0] != 0 && head[0] != 1) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(
                ((head[1] & 0xFFL) << 24) | ((head[2] & 0xFFL) << 16) | ((head[3] & 0xFFL) << 8) | (head[4] & 0xFFL));
    }

    /** Tink's int key id as the unsigned number the database and the health endpoint show. */
    static long unsigned(int id) {
        return Integer.toUnsignedLong(id);
    }
}
