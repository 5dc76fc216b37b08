package io.sqspii.reveal.api;

import java.util.List;

/**
 * The body of POST {@value RevealApi#REVEAL_PATH}: why (a purpose code of pii_purposes, and free-text detail as the
 * reason), and which values. Each value needs an active grant of the caller's for that purpose (the database checks). The service refuses any other field (a
 * client-sent ciphertext, say): it decrypts only what the database returns.
 */
public record RevealRequest(String purpose, String reason, List<Cell> cells) {

    /**
     * One value to reveal: the cell at (table, row key, column), or, with {@code path}, one value inside a jsonb array
     * cell: {@code /<element index><array_item_pointer of the PII catalog>}, e.g. {@code /2/holder_name}. Which cells
     * are revealable is the PII catalog's to say (pii_columns), checked by the database.
     */
    public record Cell(String table, String rowKey, String column, String path) {

        /** A whole cell (no path). */
        public Cell(String table, String rowKey, String column) {
            this(table, rowKey, column, null);
        }

        @Override
        public String toString() {
            return table + "." + column + (path == null ? "" : " at " + path) + " of row " + rowKey;
        }
    }
}
