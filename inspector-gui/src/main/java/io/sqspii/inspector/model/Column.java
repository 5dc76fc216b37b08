package io.sqspii.inspector.model;

/**
 * One column of a browsed table.
 *
 * @param name     SQL column name (also the whitelist entry for sorting and filtering)
 * @param type     SQL type
 * @param nullable whether the column may hold NULL (keyset paging needs to know)
 * @param pii      how the pipeline encrypted the column when it holds PII ciphertext, else null
 */
public record Column(String name, ColumnType type, boolean nullable, PiiMode pii) {

    /** How a PII column was encrypted: deterministic values repeat across rows, randomized ones never do. */
    public enum PiiMode {
        DETERMINISTIC, RANDOMIZED
    }

    public static Column text(String name, boolean nullable) {
        return new Column(name, ColumnType.TEXT, nullable, null);
    }

    static Column of(String name, ColumnType type) {
        return new Column(name, type, false, null);
    }

    static Column pii(String name, boolean nullable, PiiMode mode) {
        return new Column(name, ColumnType.TEXT, nullable, mode);
    }

    public boolean isPii() {
        return pii != null;
    }

    /** Equal plaintext gives equal ciphertext: revealing one value exposes every row sharing it. */
    public boolean isDeterministic() {
        return pii == PiiMode.DETERMINISTIC;
    }
}
