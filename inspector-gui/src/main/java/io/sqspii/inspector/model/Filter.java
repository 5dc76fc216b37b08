package io.sqspii.inspector.model;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Row filter: a conjunction of conditions on whitelisted columns. Values are always bound as
 * parameters, so a value such as {@code ' OR 1=1 --} is just a string that matches nothing.
 */
public final class Filter {

    /** A condition's SQL shape; {@code %s} is the (whitelisted) column. */
    public enum Op {
        EQ("%s = ?"),
        GTE("%s >= ?"),
        LT("%s < ?"),
        LTE("%s <= ?"),
        /** Text containing the value (strpos: no LIKE pattern, so % and _ are plain characters). */
        CONTAINS("pg_catalog.strpos(%s, ?) > 0"),
        /** The error's kind: its text before the first ':' ("missing required field: ip" is "missing required field"). */
        KIND("split_part(%s, ':', 1) = ?");

        public final String sql;

        Op(String sql) {
            this.sql = sql;
        }
    }

    public record Condition(String column, Op op, Object value) {}

    public static final Filter NONE = new Filter(List.of());

    private final List<Condition> conditions;

    private Filter(List<Condition> conditions) {
        this.conditions = Collections.unmodifiableList(conditions);
    }

    public List<Condition> conditions() {
        return conditions;
    }

    public boolean isEmpty() {
        return conditions.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Condition> conditions = new ArrayList<>();

        /** Equality; a null or blank value adds no condition. */
        public Builder eq(String column, String value) {
            if (value != null && !value.isBlank()) {
                conditions.add(new Condition(column, Op.EQ, value.strip()));
            }
            return this;
        }

        /** The column's text contains {@code value}; null or blank adds nothing. */
        public Builder contains(String column, String value) {
            if (value != null && !value.isBlank()) {
                conditions.add(new Condition(column, Op.CONTAINS, value.strip()));
            }
            return this;
        }

        /** Any condition on a value already parsed for its column (a number, a day, a boolean); null adds nothing. */
        public Builder add(String column, Op op, Object value) {
            if (value != null) {
                conditions.add(new Condition(column, op, value));
            }
            return this;
        }

        /** The text before the first ':' equals {@code kind}; null or blank adds nothing. */
        public Builder kind(String column, String kind) {
            if (kind != null && !kind.isBlank()) {
                conditions.add(new Condition(column, Op.KIND, kind.strip()));
            }
            return this;
        }

        /** A timestamp column at or after {@code from}; null adds nothing. */
        public Builder from(String column, OffsetDateTime from) {
            if (from != null) {
                conditions.add(new Condition(column, Op.GTE, from));
            }
            return this;
        }

        /** Timestamp strictly before {@code until}; null adds nothing. */
        public Builder until(String column, OffsetDateTime until) {
            if (until != null) {
                conditions.add(new Condition(column, Op.LT, until));
            }
            return this;
        }

        public Filter build() {
            return conditions.isEmpty() ? NONE : new Filter(new ArrayList<>(conditions));
        }
    }
}
