package io.sqspii.inspector.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * The key domains deterministic columns of more than one of {@code all} share: a ciphertext of such a column
     * means the same plaintext in each of those datasets.
     */
    public static Set<String> sharedDomains(List<Dataset> all) {
        Map<String, Set<String>> datasetsPerDomain = new HashMap<>();
        for (Dataset d : all) {
            if (d.table() != null) {
                d.table().deterministicColumns().stream()
                        .filter(c -> c.keyDomain() != null)
                        .forEach(c -> datasetsPerDomain
                                .computeIfAbsent(c.keyDomain(), k -> new HashSet<>())
                                .add(d.name()));
            }
        }
        Set<String> out = new HashSet<>();
        datasetsPerDomain.forEach((domain, names) -> {
            if (names.size() > 1) {
                out.add(domain);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
