package io.sqspii.reveal.api;

import java.util.List;

/**
 * The 200 answer of POST {@value RevealApi#ERASURE_PATH}: the subject's token (SHA-256 of its ciphertexts, hex: the
 * audit names the subject by it, never by the value), the rows found per table, whether they were deleted, and the
 * audit chain row that records the count or the erasure ({@code auditSeq}).
 */
public record ErasureResponse(String subjectToken, List<Rows> rows, boolean erased, Long auditSeq) {

    /** Rows of one table of a dataset holding the subject's value in a column of the domain. */
    public record Rows(String dataset, String table, long rows) {}
}
