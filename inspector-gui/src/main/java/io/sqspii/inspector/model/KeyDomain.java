package io.sqspii.inspector.model;

import io.sqspii.reveal.api.RevealApi;
import java.util.List;

/**
 * A key domain of the PII catalog (pii_columns.key_domain) as erasure sees it: the deterministic places that share
 * it, in any dataset. One identifying value encrypts to the same ciphertext in each, so a data subject's rows are
 * found across those datasets by equality, nothing decrypted.
 */
public record KeyDomain(String name, List<Place> places) {

    /** The catalog modes erasure matches by ciphertext equality (declared once, with the erasure API). */
    public static final List<String> MATCHED_MODES = RevealApi.ERASURE_MODES;

    /** One deterministic value of the domain: a column, or a value inside a jsonb array column. */
    public record Place(String dataset, String table, String column, String itemPointer) {
        /** {@code orders.masked_customer_email}, or {@code tickets.watchers[]/email} inside an array. */
        public String label() {
            return table + "." + column + (itemPointer == null ? "" : "[]" + itemPointer);
        }
    }

    public KeyDomain {
        places = List.copyOf(places);
    }

    /** The datasets this domain covers, in catalog order. */
    public List<String> datasets() {
        return places.stream().map(Place::dataset).distinct().toList();
    }

    /** "orders (orders.masked_customer_email), tickets (tickets.masked_reporter_email)". */
    public String coverage() {
        return String.join(
                ", ",
                datasets().stream()
                        .map(d -> d + " ("
                                + String.join(
                                        ", ",
                                        places.stream()
                                                .filter(p -> p.dataset().equals(d))
                                                .map(Place::label)
                                                .toList())
                                + ")")
                        .toList());
    }

    @Override
    public String toString() {
        return name;
    }
}
