package io.sqspii.inspector.model;

import java.time.OffsetDateTime;

/**
 * Rows of user_logins sharing one deterministic ciphertext: the same device id (or ip), found by SQL
 * equality on ciphertext without decrypting anything.
 *
 * @param column        masked_device_id or masked_ip
 * @param value         the shared ciphertext
 * @param rows          number of rows with it
 * @param distinctUsers number of distinct user_id among them
 */
public record DuplicateGroup(String column, String value, long rows, long distinctUsers,
                      OffsetDateTime firstSeen, OffsetDateTime lastSeen) {
}
