package io.sqspii.pii.cli;

/**
 * A stored value of ciphertexts and the associated data the transform bound them to: a text column
 * ({@code itemPointer} null), or the values at {@code itemPointer} (RFC 6901, {@code ""} = the element itself) in every
 * element of a jsonb array column, as the PII catalog records them.
 */
record EncryptedColumn(String column, String associatedData, String itemPointer) {

    /** Parses {@code COLUMN:ASSOCIATED_DATA} (a text column). */
    static EncryptedColumn parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(
                    "expected COLUMN:ASSOCIATED_DATA (e.g. masked_email:customers.email), " + "got '" + text + "'");
        }
        return new EncryptedColumn(SqlName.column(text.substring(0, colon)), text.substring(colon + 1), null);
    }

    boolean inArray() {
        return itemPointer != null;
    }
}
