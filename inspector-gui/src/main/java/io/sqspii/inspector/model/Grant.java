package io.sqspii.inspector.model;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A grant (a row of pii_grants): a reader's time-boxed, budgeted permission to reveal some columns of one dataset
 * for one purpose, as the login may see it (a reader its own; approvers, auditors and admins all).
 *
 * @param state       what it is now: {@link State}, derived in SQL from its status, expiry and budget
 * @param secondsLeft seconds until it expires by the server's clock when read (0 once expired; null before approval)
 */
public record Grant(
        long id,
        String requester,
        String purpose,
        String dataset,
        List<String> columns,
        String ticket,
        String reason,
        OffsetDateTime requestedAt,
        Duration duration,
        int cellBudget,
        long cellsUsed,
        boolean breakGlass,
        State state,
        String decidedBy,
        OffsetDateTime decidedAt,
        String note,
        OffsetDateTime expiresAt,
        Long secondsLeft,
        String revokedBy) {

    /** A grant's state as shown; {@link #sql(String)} derives it from a pii_grants row. */
    public enum State {
        PENDING("pending"),
        ACTIVE("active"),
        USED_UP("used up"),
        EXPIRED("expired"),
        REJECTED("rejected"),
        REVOKED("revoked");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether it still counts: pending or active (may be given up or revoked). */
        public boolean open() {
            return this == PENDING || this == ACTIVE || this == USED_UP;
        }

        public static State of(String label) {
            for (State s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("grant state " + label);
        }

        /** The state of pii_grants row {@code g} in SQL, one of the labels (the one place it is derived). */
        public static String sql(String g) {
            return "CASE WHEN " + g + ".status = 'requested' THEN 'pending'"
                    + " WHEN " + g + ".status = 'approved' AND " + g
                    + ".expires_at <= pg_catalog.clock_timestamp() THEN 'expired'"
                    + " WHEN " + g + ".status = 'approved' AND " + g + ".cells_used >= " + g
                    + ".cell_budget THEN 'used up'"
                    + " WHEN " + g + ".status = 'approved' THEN 'active' ELSE " + g + ".status END";
        }
    }

    public List<String> columns() {
        return columns;
    }

    /** "12 / 50" cells. */
    public String budgetText() {
        return cellsUsed + " / " + cellBudget;
    }

    /** Share of the budget used, 0..1. */
    public double budgetUsed() {
        return cellBudget == 0 ? 0 : Math.min(1.0, (double) cellsUsed / cellBudget);
    }

    /** Countdown text for {@code seconds} left: "1 h 02 min", "4 min 05 s", "12 s". */
    public static String countdown(long seconds) {
        if (seconds <= 0) {
            return "expired";
        }
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) {
            return d + " d " + h + " h";
        }
        if (h > 0) {
            return h + " h " + String.format("%02d", m) + " min";
        }
        return m > 0 ? m + " min " + String.format("%02d", s) + " s" : s + " s";
    }

    /** A duration as a person writes it: "2 h", "90 s", "3 d 4 h". */
    public static String durationText(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + " d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
