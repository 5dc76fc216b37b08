package io.sqspii.reveal;

import io.sqspii.pii.crypto.CipherMode;
import java.util.Arrays;
import java.util.Optional;

/**
 * The PII columns a person may reveal, and how the pipeline's SMT wrote them: the keyset (mode), the
 * associated-data domain (the table) and the field name before the pipeline's rename
 * (ip -> masked_ip, device_id -> masked_device_id, body -> encrypted_body). The same three pairs are the
 * only ones pii_reveal() accepts (connect-config/sql/roles.sql).
 */
enum RevealableColumn {
    LOGIN_IP("user_logins", "masked_ip", "ip", CipherMode.DETERMINISTIC),
    LOGIN_DEVICE_ID("user_logins", "masked_device_id", "device_id", CipherMode.DETERMINISTIC),
    REJECTED_BODY("user_logins_rejected", "encrypted_body", "body", CipherMode.RANDOMIZED);

    private final String table;
    private final String column;
    private final String field;
    private final CipherMode mode;

    RevealableColumn(String table, String column, String field, CipherMode mode) {
        this.table = table;
        this.column = column;
        this.field = field;
        this.mode = mode;
    }

    static Optional<RevealableColumn> of(String table, String column) {
        return Arrays.stream(values()).filter(c -> c.table.equals(table) && c.column.equals(column)).findFirst();
    }

    static boolean isTable(String table) {
        return Arrays.stream(values()).anyMatch(c -> c.table.equals(table));
    }

    /** The table, which is also the associated-data domain of its ciphertexts. */
    String table() {
        return table;
    }

    String column() {
        return column;
    }

    /** Field name the SMT encrypted under (associated data = table + "." + field). */
    String field() {
        return field;
    }

    CipherMode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
