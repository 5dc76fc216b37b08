package io.sqspii.inspector;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Row filter: a conjunction of conditions on whitelisted columns. Values are always bound as
 * parameters, so a value such as {@code ' OR 1=1 --} is just a string that matches nothing.
 */
final class Filter {

    enum Op {
        EQ("="), GTE(">="), LT("<");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }
    }

    record Condition(String column, Op op, Object value) {
    }

    static final Filter NONE = new Filter(List.of());

    private final List<Condition> conditions;

    private Filter(List<Condition> conditions) {
        this.conditions = Collections.unmodifiableList(conditions);
    }

    List<Condition> conditions() {
        return conditions;
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<Condition> conditions = new ArrayList<>();

        /** Equality; a null or blank value adds no condition. */
        Builder eq(String column, String value) {
            if (value != null && !value.isBlank()) {
                conditions.add(new Condition(column, Op.EQ, value.strip()));
            }
            return this;
        }

        /** create_date (or another timestamp) at or after {@code from}; null adds nothing. */
        Builder from(String column, OffsetDateTime from) {
            if (from != null) {
                conditions.add(new Condition(column, Op.GTE, from));
            }
            return this;
        }

        /** Timestamp strictly before {@code until}; null adds nothing. */
        Builder until(String column, OffsetDateTime until) {
            if (until != null) {
                conditions.add(new Condition(column, Op.LT, until));
            }
            return this;
        }

        Filter build() {
            return conditions.isEmpty() ? NONE : new Filter(new ArrayList<>(conditions));
        }
    }
}
