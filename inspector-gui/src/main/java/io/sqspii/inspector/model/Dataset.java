package io.sqspii.inspector.model;

/**
 * A dataset of the PII catalog (public.pii_datasets), as the inspector browses it.
 *
 * @param name             the dataset's name
 * @param table            its table, columns read from the database and PII from pii_columns; null when the
 *                         table does not exist (yet)
 * @param rejected         its rejected table, likewise
 * @param readable         the login may SELECT its table
 * @param rejectedReadable the login may SELECT its rejected table
 */
public record Dataset(String name, TableSpec table, TableSpec rejected, boolean readable, boolean rejectedReadable) {

    @Override
    public String toString() {
        return name;
    }
}
