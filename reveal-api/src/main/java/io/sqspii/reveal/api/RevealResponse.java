package io.sqspii.reveal.api;

import java.util.List;

/** The 200 answer of POST {@value RevealApi#REVEAL_PATH}: one result per requested cell, in the request's order. */
public record RevealResponse(List<Result> cells) {

    /**
     * A cell's answer: its audit row and the plaintext, or why it could not be decrypted (the audit row says so
     * too). {@link #toString()} leaves the plaintext out.
     */
    public record Result(
            String table, String rowKey, String column, String path, long auditId, String plaintext, String error) {

        /** The cell this answers. */
        public RevealRequest.Cell cell() {
            return new RevealRequest.Cell(table, rowKey, column, path);
        }

        @Override
        public String toString() {
            return "Result[" + cell() + ", audit " + auditId + (plaintext != null ? ", revealed" : ", " + error) + "]";
        }
    }
}
