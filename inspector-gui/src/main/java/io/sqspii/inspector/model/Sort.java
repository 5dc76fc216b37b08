package io.sqspii.inspector.model;

/** Server-side sort: one whitelisted column, the primary key breaks ties in the same direction. */
public record Sort(String column, boolean ascending) {
    public static Sort asc(String column) {
        return new Sort(column, true);
    }

    public static Sort desc(String column) {
        return new Sort(column, false);
    }
}
