package io.sqspii.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * One node of a compiled event schema (read-only; built by {@link EventSchema#compile}). {@code schemaPointer}
 * locates it in event.schema.json (for messages), {@code eventPointer} locates its value in an event (for the
 * catalog; inside an array, relative to the element).
 *
 * @param format a supported format of a string, or null
 * @param maxLength code points, -1 for none (strings)
 * @param maxItems -1 for none (arrays)
 * @param additionalProperties objects: whether undeclared properties are allowed (and then dropped)
 * @param enumeration the allowed values, or null for any value of the type
 */
public record SchemaNode(String schemaPointer, String eventPointer, Kind kind, boolean nullable, String format,
                         List<Property> properties, SchemaNode items, PiiAnnotation pii, String title,
                         String description, int maxLength, int maxItems, boolean additionalProperties,
                         Enumeration enumeration) {

    public SchemaNode {
        properties = List.copyOf(properties);
    }

    public enum Kind { OBJECT, ARRAY, STRING, INTEGER, NUMBER, BOOLEAN }

    public record Property(String name, boolean required, SchemaNode node) {
    }

    /** The members of an {@code enum}: strings or integers (compared by value), and whether null is one. */
    public record Enumeration(Set<String> strings, Set<BigInteger> integers, boolean allowsNull) {

        public Enumeration {
            strings = Set.copyOf(strings);
            integers = Set.copyOf(integers);
        }

        public boolean allows(JsonNode v) {
            if (v == null || v.isNull()) {
                return allowsNull;
            }
            if (v.isTextual()) {
                return strings.contains(v.textValue());
            }
            return v.isIntegralNumber() && integers.contains(v.bigIntegerValue());
        }
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
