package io.sqspii.pii.cli;

import java.util.regex.Pattern;

/** Table and column names that go into SQL text: plain (optionally schema-qualified) identifiers only. */
final class SqlName {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlName() {}

    /** {@code name} or {@code schema.name}, checked; unquoted, so PostgreSQL folds case as in any SQL. */
    static String table(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("not a table name: '" + text + "' (expected name or schema.name)");
        }
        for (String p : parts) {
            column(p);
        }
        return text;
    }

    static String column(String text) {
        if (!IDENTIFIER.matcher(text).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: '" + text + "'");
        }
        return text;
    }
}
