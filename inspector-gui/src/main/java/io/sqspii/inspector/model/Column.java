package io.sqspii.inspector.model;

import java.util.Objects;

/**
 * One column of a browsed table.
 *
 * @param name     SQL column name (also the whitelist entry for sorting and filtering, and the header)
 * @param type     SQL type
 * @param nullable whether the column may hold NULL (keyset paging needs to know)
 * @param pii      how the pipeline encrypted the column when it holds PII ciphertext, else null
 * @param display  how its values are shown; must fit the type (see {@link Display#of})
 */
public record Column(String name, ColumnType type, boolean nullable, PiiMode pii, Display display) {

    /** How a PII column was encrypted: deterministic values repeat across rows, randomized ones never do. */
    public enum PiiMode {
        DETERMINISTIC, RANDOMIZED
    }

    /**
     * What a column's values look like on screen. The width a table gives the column and whether a value
     * is abbreviated follow from it, and it follows from the column's type: only a text column chooses
     * among the kinds of text.
     */
    public enum Display {
        /** A short code or label: a device type, a locale, a version, an outcome, a table or column name. */
        CODE(95, false),
        /** What tells one message or row from another (its head is enough at a glance): a message id, a row key. */
        REFERENCE(150, false),
        /** Who: a user id or a login, read and compared whole (a UUID fits). */
        PERSON(270, false),
        /** A sentence: an error, a reason. */
        PROSE(260, false),
        /** A point in time (shown in UTC). */
        TIME(160, false),
        /** A whole number. */
        NUMBER(95, false),
        /** PII ciphertext: abbreviated in the table; the stored value whole in its tooltip, on copy and in exports. */
        CIPHERTEXT(140, true);

        /** Preferred column width in pixels. */
        public final double prefWidth;
        /** Shown shortened in a table cell. */
        public final boolean abbreviated;

        Display(double prefWidth, boolean abbreviated) {
            this.prefWidth = prefWidth;
            this.abbreviated = abbreviated;
        }

        /** The display a column of this type has when it says nothing more: text is a {@link #CODE}. */
        public static Display of(ColumnType type, PiiMode pii) {
            if (pii != null) {
                return CIPHERTEXT;
            }
            return switch (type) {
                case TEXT -> CODE;
                case TIMESTAMP -> TIME;
                case BIGINT -> NUMBER;
            };
        }

        boolean fits(ColumnType type, PiiMode pii) {
            return this == of(type, pii) || pii == null && type == ColumnType.TEXT && (this == REFERENCE || this == PERSON
                    || this == PROSE);
        }
    }

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(display, "display");
        if (!display.fits(type, pii)) {
            throw new IllegalArgumentException(name + ": a " + type + (pii == null ? "" : " PII") + " column cannot be shown as " + display);
        }
    }

    /** A column shown as its type says ({@link Display#of}). */
    public Column(String name, ColumnType type, boolean nullable, PiiMode pii) {
        this(name, type, nullable, pii, Display.of(type, pii));
    }

    /** Text shown as {@code display}: a code, a reference, a person or prose. */
    public static Column text(String name, boolean nullable, Display display) {
        return new Column(name, ColumnType.TEXT, nullable, null, display);
    }

    public static Column text(String name, boolean nullable) {
        return new Column(name, ColumnType.TEXT, nullable, null);
    }

    static Column of(String name, ColumnType type) {
        return new Column(name, type, false, null);
    }

    static Column pii(String name, boolean nullable, PiiMode mode) {
        return new Column(name, ColumnType.TEXT, nullable, mode);
    }

    public boolean isPii() {
        return pii != null;
    }

    /** Equal plaintext gives equal ciphertext: revealing one value exposes every row sharing it. */
    public boolean isDeterministic() {
        return pii == PiiMode.DETERMINISTIC;
    }

    /** Preferred width of the column in a table, from its {@link #display()}. */
    public double prefWidth() {
        return display.prefWidth;
    }
}
