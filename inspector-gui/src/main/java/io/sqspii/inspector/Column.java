package io.sqspii.inspector;

/**
 * One column of a browsed table.
 *
 * @param name     SQL column name (also the whitelist entry for sorting and filtering)
 * @param type     SQL type
 * @param nullable whether the column may hold NULL (keyset paging needs to know)
 * @param piiField crypto-core field name when the column holds PII ciphertext, else null
 */
record Column(String name, ColumnType type, boolean nullable, String piiField) {

    static Column text(String name, boolean nullable) {
        return new Column(name, ColumnType.TEXT, nullable, null);
    }

    static Column pii(String name, String field) {
        return new Column(name, ColumnType.TEXT, true, field);
    }

    boolean isPii() {
        return piiField != null;
    }
}
