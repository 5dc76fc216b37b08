package io.sqspii.reveal.api;

import java.util.List;

/** A dataset of the PII catalog (a row of pii_datasets) with its protected values, in both of its tables. */
public record PiiDataset(String name, String table, String rejectedTable, List<PiiColumn> columns) {

    public PiiDataset {
        columns = List.copyOf(columns);
    }

    /** Its table and rejected table. */
    public List<String> tables() {
        return List.of(table, rejectedTable);
    }

    /** The keysets its values are encrypted with, sorted. */
    public List<String> keysets() {
        return columns.stream().map(PiiColumn::keyset).distinct().sorted().toList();
    }
}
