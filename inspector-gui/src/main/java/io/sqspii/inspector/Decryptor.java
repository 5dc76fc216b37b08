package io.sqspii.inspector;

/**
 * Decryption of stored PII values, as far as the reveal service needs it. The application's only
 * implementation is {@link KeyRing}, over the pii-smt crypto core.
 */
interface Decryptor {

    /** Whether a key for this PII column is loaded. */
    boolean hasKey(TableSpec table, Column column);

    /** The plaintext of a stored ciphertext of this column. */
    String decrypt(TableSpec table, Column column, String ciphertext);
}
