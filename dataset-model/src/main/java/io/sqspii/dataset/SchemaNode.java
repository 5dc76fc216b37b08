package io.sqspii.dataset;

import java.util.List;

/**
 * One node of a compiled event schema. {@code schemaPointer} locates it in event.schema.json (for messages),
 * {@code eventPointer} locates its value in an event (for the catalog; inside an array, relative to the element).
 */
record SchemaNode(String schemaPointer, String eventPointer, Kind kind, boolean nullable, String format,
                  List<Property> properties, SchemaNode items, PiiAnnotation pii) {

    enum Kind { OBJECT, ARRAY, STRING, INTEGER, NUMBER, BOOLEAN }

    record Property(String name, boolean required, SchemaNode node) {
    }

    /** Whether a PII annotation sits anywhere below (or on) this node. */
    boolean holdsPii() {
        if (pii != null) {
            return true;
        }
        if (items != null && items.holdsPii()) {
            return true;
        }
        return properties.stream().anyMatch(p -> p.node().holdsPii());
    }
}
