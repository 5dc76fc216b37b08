package io.sqspii.inspector;

/** Server-side sort: one whitelisted column, the primary key breaks ties in the same direction. */
record Sort(String column, boolean ascending) {
    static Sort asc(String column) {
        return new Sort(column, true);
    }

    static Sort desc(String column) {
        return new Sort(column, false);
    }
}
