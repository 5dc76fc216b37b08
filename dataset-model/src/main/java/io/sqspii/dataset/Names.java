package io.sqspii.dataset;

import java.util.regex.Pattern;

/** What a dataset may call its tables, columns and key domains: plain PostgreSQL identifiers, never quoted by users. */
final class Names {

    /** Lower-case, so the name PostgreSQL stores is the name the definition wrote. */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    /** PostgreSQL truncates identifiers at 63 bytes. */
    static final int MAX_IDENTIFIER = 63;
    /** Leaves room for derived names: <table>_<column>_hash, <table>_create_date_idx. */
    static final int MAX_TABLE = 40;
    /** A key domain: no dot, so a shared domain never equals a per-field one (&lt;domain&gt;.&lt;field path&gt;). */
    static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private Names() {}

    static boolean isIdentifier(String s) {
        return s != null
                && s.length() <= MAX_IDENTIFIER
                && IDENTIFIER.matcher(s).matches();
    }

    /** A double-quoted identifier: names are validated already, quoting keeps reserved words (order, user) usable. */
    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A SQL string literal. */
    static String lit(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    /** Escapes one JSON Pointer reference token (RFC 6901). */
    static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
