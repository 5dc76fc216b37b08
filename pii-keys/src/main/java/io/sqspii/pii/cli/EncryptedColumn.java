package io.sqspii.pii.cli;

/**
 * A column of ciphertexts and the associated data the transform bound them to: {@code masked_ip:user_logins.ip}
 * for a column the pipeline renamed from {@code ip}, with {@code associated.data=user_logins}.
 */
record EncryptedColumn(String column, String associatedData) {

    /** Parses {@code COLUMN:ASSOCIATED_DATA}. */
    static EncryptedColumn parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected COLUMN:ASSOCIATED_DATA (e.g. masked_ip:user_logins.ip), got '"
                    + text + "'");
        }
        return new EncryptedColumn(SqlName.column(text.substring(0, colon)), text.substring(colon + 1));
    }
}
