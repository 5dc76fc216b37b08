package io.sqspii.inspector.model;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A reason to reveal PII (a row of pii_purposes, connect-config/sql/schema.sql): what it allows (pii_purpose_columns,
 * {@code *} for every dataset or column), the budget and longest duration of each grant under it, whether a grant
 * needs an approver. A reveal names one; {@link #BREAK_GLASS} is the built-in emergency purpose.
 */
public record Purpose(
        String code,
        String description,
        int maxCells,
        Duration maxDuration,
        boolean needsApproval,
        boolean retired,
        List<Allowed> allows) {

    public static final String BREAK_GLASS = io.sqspii.reveal.api.RevealApi.BREAK_GLASS;

    /** One row of pii_purpose_columns: a dataset's column, {@code *} standing for all. */
    public record Allowed(String dataset, String column) {
        boolean covers(String d, String c) {
            return (dataset.equals("*") || dataset.equals(d)) && (column.equals("*") || column.equals(c));
        }
    }

    public Purpose {
        allows = List.copyOf(allows);
    }

    /** Whether this purpose allows {@code dataset}.{@code column} (pii_purpose_allows() in roles.sql, the same rule). */
    public boolean allows(String dataset, String column) {
        return allows.stream().anyMatch(a -> a.covers(dataset, column));
    }

    /** Whether it allows every one of {@code columns} of {@code dataset}. */
    public boolean allowsAll(String dataset, Collection<String> columns) {
        return columns.stream().allMatch(c -> allows(dataset, c));
    }

    public boolean isBreakGlass() {
        return code.equals(BREAK_GLASS);
    }

    /** The code and what it is for, as the pickers list it. */
    public String label() {
        return code + " — " + description;
    }

    @Override
    public String toString() {
        return code;
    }
}
