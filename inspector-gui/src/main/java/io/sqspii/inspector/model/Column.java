package io.sqspii.inspector.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column of a browsed table.
 *
 * @param name         SQL column name (also the whitelist entry for sorting and filtering, and the header)
 * @param type         SQL type
 * @param nullable     whether the column may hold NULL (keyset paging needs to know)
 * @param pii          how the pipeline encrypted the column when it holds PII ciphertext, else null
 * @param display      how its values are shown; must fit the type (see {@link Display#of})
 * @param indexed      a btree index leads with it (sorting and ranges on it are cheap)
 * @param keyDomain    the PII catalog's key domain of a PII column (equal plaintext in one domain gives equal
 *                     deterministic ciphertext, across datasets too), else null
 * @param itemPointers for a jsonb array column, the catalog's array_item_pointers of the PII values in each
 *                     element ({@code /holder_name}; {@code ""} = the element itself), else empty
 */
public record Column(
        String name,
        ColumnType type,
        boolean nullable,
        PiiMode pii,
        Display display,
        boolean indexed,
        String keyDomain,
        List<String> itemPointers) {

    /** How a PII column was encrypted: deterministic values repeat across rows, randomized ones never do. */
    public enum PiiMode {
        DETERMINISTIC,
        RANDOMIZED;

        /** The PII catalog's mode: deterministic (and hmac, which repeats too) or randomized. */
        public static PiiMode ofCatalog(String mode) {
            return switch (mode.toLowerCase(Locale.ROOT)) {
                case "deterministic", "hmac" -> DETERMINISTIC;
                case "randomized" -> RANDOMIZED;
                default -> throw new IllegalArgumentException("unknown PII mode " + mode);
            };
        }
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
        /** A number. */
        NUMBER(95, false),
        /** A calendar day. */
        DATE(100, false),
        /** A JSON document (a jsonb array of items, …), as compact text; PII values inside stay ciphertext. */
        JSON(320, false),
        /** A value of another type, as PostgreSQL writes it (a UUID fits). */
        OTHER(150, false),
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
            if (type == ColumnType.JSON) {
                // readable as a whole; its PII values are ciphertext within it
                return JSON;
            }
            if (pii != null) {
                return CIPHERTEXT;
            }
            return switch (type) {
                case TEXT, BOOLEAN -> CODE;
                case TIMESTAMP -> TIME;
                case BIGINT, NUMERIC -> NUMBER;
                case DATE -> DATE;
                case JSON -> JSON;
                case OTHER -> OTHER;
            };
        }

        boolean fits(ColumnType type, PiiMode pii) {
            return this == of(type, pii)
                    || pii == null && type == ColumnType.TEXT && (this == REFERENCE || this == PERSON || this == PROSE);
        }
    }

    public Column {
        itemPointers = List.copyOf(itemPointers);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(display, "display");
        if (!display.fits(type, pii)) {
            throw new IllegalArgumentException(
                    name + ": a " + type + (pii == null ? "" : " PII") + " column cannot be shown as " + display);
        }
    }

    /** A column that is not indexed and holds no value of a jsonb array (tables whose indexes do not matter here). */
    public Column(String name, ColumnType type, boolean nullable, PiiMode pii, Display display) {
        this(name, type, nullable, pii, display, false, null, List.of());
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

    /** A jsonb array column with PII values in its elements: they are revealed one by one, by path. */
    public boolean hasPiiItems() {
        return !itemPointers.isEmpty();
    }

    /** Whether the table can be sorted by it on the server. */
    public boolean sortable() {
        return type.sortable();
    }

    /** Preferred width of the column in a table, from its {@link #display()}. */
    public double prefWidth() {
        return display.prefWidth;
    }
}
