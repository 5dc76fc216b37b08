package io.sqspii.reveal.api;

/**
 * The body of POST {@value RevealApi#ERASURE_PATH}: a data subject named by one identifying value in a key domain of
 * the PII catalog (a shared domain such as {@code email}, or a dataset's own), why, and whether to erase now or only
 * count. The service turns the value into the ciphertexts each deterministic column of that domain stores (it holds
 * the keys); the database finds the rows by ciphertext equality. {@link #toString()} leaves the value out.
 */
public record ErasureRequest(String domain, String value, String reason, boolean confirm) {

    @Override
    public String toString() {
        return "ErasureRequest[domain " + domain + (confirm ? ", erase" : ", count") + "]";
    }
}
