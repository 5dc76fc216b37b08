package io.sqspii.reveal.api;

/**
 * One protected value of the PII catalog (a row of pii_columns, dataset/README.md): where its ciphertext is stored
 * and how it was encrypted. {@code associatedData} is exactly what the ciphertext is bound to, and
 * {@code keyset} names the keyset that decrypts it. For a value inside a jsonb array column ({@code inArray}),
 * {@code arrayItemPointer} leads from each element to the value ({@code ""} = the element itself).
 *
 * @param rowKeyColumn the column that names a row of {@code table} (the dataset's row key; message_id in its
 *                     rejected table)
 * @param mode         deterministic, randomized or hmac
 * @param canonical    ip, identifier, email, phone or none
 * @param region       the phone region, else null
 */
public record PiiColumn(
        String dataset,
        String table,
        String rowKeyColumn,
        String column,
        String jsonPointer,
        boolean inArray,
        String arrayItemPointer,
        String mode,
        String canonical,
        String region,
        String keyDomain,
        String associatedData,
        String keyset) {

    /** The path that names this value in element {@code index} of the array cell ({@code /2/holder_name}). */
    public String pathOf(int index) {
        if (!inArray) {
            throw new IllegalStateException(table + "." + column + " is not an array: its cells are revealed whole");
        }
        if (index < 0) {
            throw new IllegalArgumentException("element index " + index);
        }
        return "/" + index + arrayItemPointer;
    }

    /** The cell of row {@code rowKey} to reveal (a whole cell; see {@link #pathOf} for array values). */
    public RevealRequest.Cell cell(String rowKey) {
        return new RevealRequest.Cell(table, rowKey, column);
    }

    /** The value at element {@code index} of row {@code rowKey}'s array cell. */
    public RevealRequest.Cell cell(String rowKey, int index) {
        return new RevealRequest.Cell(table, rowKey, column, pathOf(index));
    }
}
