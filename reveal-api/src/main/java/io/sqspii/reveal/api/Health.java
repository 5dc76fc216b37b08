package io.sqspii.reveal.api;

import java.util.List;

/**
 * GET {@value RevealApi#HEALTH_PATH}: the datasets of the PII catalog (as last read; empty if the service cannot
 * read it) and the keysets the service holds, with their key ids. Never key material.
 */
public record Health(String status, List<Dataset> datasets, List<Keyset> keysets) {

    /** A dataset of the catalog: its tables and the keysets its values are encrypted with. */
    public record Dataset(String dataset, List<String> tables, List<String> keysets) {}

    /** A loaded keyset: its name (the catalog's pii_columns.keyset), mode and unsigned 32-bit Tink key ids. */
    public record Keyset(String keyset, String mode, List<Long> keyIds) {}
}
