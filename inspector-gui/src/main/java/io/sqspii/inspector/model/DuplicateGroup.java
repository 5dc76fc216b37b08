package io.sqspii.inspector.model;

import java.time.OffsetDateTime;

/**
 * Rows sharing one deterministic ciphertext in a column (the same plaintext), found by SQL equality on
 * ciphertext without decrypting anything.
 *
 * @param table     the table the rows are in
 * @param column    the deterministic column
 * @param value     the shared ciphertext
 * @param rows      number of rows with it
 * @param firstSeen earliest of the rows' times (the table's default sort column), null without one
 * @param lastSeen  latest of them
 */
public record DuplicateGroup(
        String table, String column, String value, long rows, OffsetDateTime firstSeen, OffsetDateTime lastSeen) {}
