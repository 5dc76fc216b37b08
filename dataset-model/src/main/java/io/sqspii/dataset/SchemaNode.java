package io.sqspii.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;

/**
 * One node of a compiled event schema (read-only; built by {@link EventSchema#compile}). {@code schemaPointer}
 * locates it in event.schema.json (for messages), {@code eventPointer} locates its value in an event (for the
 * catalog; inside an array, relative to the element).
 *
 * @param format a supported format of a string, or null
 * @param minLength code points, -1 for none (strings)
 * @param maxLength code points, -1 for none (strings)
 * @param minItems -1 for none (arrays)
 * @param maxItems -1 for none (arrays)
 * @param range the bounds of an integer or number, or null for none
 * @param additionalProperties objects: whether undeclared properties are allowed (and then dropped)
 * @param enumeration the allowed values, or null for any value of the type
 */
public record SchemaNode(
        String schemaPointer,
        String eventPointer,
        Kind kind,
        boolean nullable,
        String format,
        List<Property> properties,
        SchemaNode items,
        PiiAnnotation pii,
        String title,
        String description,
        int minLength,
        int maxLength,
        int minItems,
        int maxItems,
        Range range,
        boolean additionalProperties,
        Enumeration enumeration) {

    public SchemaNode {
        properties = List.copyOf(properties);
    }

    public enum Kind {
        OBJECT,
        ARRAY,
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN
    }

    public record Property(String name, boolean required, SchemaNode node) {}

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

    /**
     * The bounds of an integer or number ({@code minimum}, {@code exclusiveMinimum}, {@code maximum},
     * {@code exclusiveMaximum}; null each when not declared), compared by value: a bound and a value are each the
     * decimal of their JSON number (an integer exactly, however large; a fraction as the double it parses to, so
     * {@code 0.1} in the schema and in an event are equal).
     */
    public record Range(
            BigDecimal minimum, BigDecimal exclusiveMinimum, BigDecimal maximum, BigDecimal exclusiveMaximum) {

        /** The first keyword whose bound {@code v} lies outside of, or null when it lies within all of them. */
        public String outside(BigDecimal v) {
            if (minimum != null && v.compareTo(minimum) < 0) {
                return "minimum";
            }
            if (exclusiveMinimum != null && v.compareTo(exclusiveMinimum) <= 0) {
                return "exclusiveMinimum";
            }
            if (maximum != null && v.compareTo(maximum) > 0) {
                return "maximum";
            }
            if (exclusiveMaximum != null && v.compareTo(exclusiveMaximum) >= 0) {
                return "exclusiveMaximum";
            }
            return null;
        }

        /** The bound of one of the four keywords (null when not declared). */
        public BigDecimal bound(String keyword) {
            return switch (keyword) {
                case "minimum" -> minimum;
                case "exclusiveMinimum" -> exclusiveMinimum;
                case "maximum" -> maximum;
                case "exclusiveMaximum" -> exclusiveMaximum;
                default -> throw new IllegalArgumentException("not a bound keyword");
            };
        }

        /** The least integer within the bounds, or null when nothing bounds it from below. */
        public BigInteger lowestInteger() {
            BigInteger a = minimum == null
                    ? null
                    : minimum.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
            BigInteger b = exclusiveMinimum == null
                    ? null
                    : exclusiveMinimum
                            .setScale(0, RoundingMode.FLOOR)
                            .toBigIntegerExact()
                            .add(BigInteger.ONE);
            return a == null ? b : b == null ? a : a.max(b);
        }

        /** The least 64-bit integer the bounds allow from below: {@link #lowestInteger()}, at least Long.MIN_VALUE. */
        public BigInteger lowest64BitInteger() {
            BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
            BigInteger low = lowestInteger();
            return low == null ? min : low.max(min);
        }

        /** The greatest 64-bit integer the bounds allow from above: {@link #highestInteger()}, at most Long.MAX_VALUE. */
        public BigInteger highest64BitInteger() {
            BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
            BigInteger high = highestInteger();
            return high == null ? max : high.min(max);
        }

        /** The greatest integer within the bounds, or null when nothing bounds it from above. */
        public BigInteger highestInteger() {
            BigInteger a = maximum == null
                    ? null
                    : maximum.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            BigInteger b = exclusiveMaximum == null
                    ? null
                    : exclusiveMaximum
                            .setScale(0, RoundingMode.CEILING)
                            .toBigIntegerExact()
                            .subtract(BigInteger.ONE);
            return a == null ? b : b == null ? a : a.min(b);
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
