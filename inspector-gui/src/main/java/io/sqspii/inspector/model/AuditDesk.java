package io.sqspii.inspector.model;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What an auditor reviews for a period: the reveals (break-glass first), counts per reader and day, per purpose
 * and per dataset, every grant with its budget use and thresholds, the erasures of data subjects, and the head of
 * the audit chain.
 *
 * @param zone the server's time zone (PostgreSQL's log_timezone): days and off-hours are in it
 */
public record AuditDesk(
        OffsetDateTime since,
        String zone,
        Head head,
        List<Reveal> reveals,
        List<ReaderDay> perReaderDay,
        List<Count> byPurpose,
        List<Count> byDataset,
        List<GrantUse> grants,
        List<Erasure> erasures) {

    /**
     * The working day; a reveal outside it, in the server's time zone, is flagged "off-hours". The one place these
     * hours are set (the README names them).
     */
    public static final LocalTime WORKDAY_START = LocalTime.of(7, 0);

    public static final LocalTime WORKDAY_END = LocalTime.of(19, 0);

    /** The last row of pii_audit_chain (pii_audit_head()): its number and SHA-256, hex. */
    public record Head(long seq, String sha256) {}

    /** A reveal (a row of pii_access_log) with the grant that covered it and who approved that grant. */
    public record Reveal(
            long id,
            OffsetDateTime at,
            String reader,
            String dataset,
            String table,
            String rowKey,
            String column,
            String path,
            String purpose,
            String reason,
            String outcome,
            Long grantId,
            Long cellsCharged,
            boolean breakGlass,
            String approver,
            boolean offHours) {}

    /** Reveals of one reader on one day (server time zone). */
    public record ReaderDay(String reader, LocalDate day, long reveals, long cells) {}

    /** Reveals and cells charged under one purpose or in one dataset. */
    public record Count(String name, long reveals, long cells) {}

    /** A grant with the times its budget crossed 80 % and 100 % (the chain's budget-80 / budget-100 events). */
    public record GrantUse(Grant grant, OffsetDateTime reached80, OffsetDateTime reached100) {}

    /**
     * An erasure event of the audit chain (pii_erase_subject()): who, when, the subject's token (never its value),
     * the reason, and the rows per dataset, deleted ({@code erased}) or only counted.
     */
    public record Erasure(
            long seq,
            OffsetDateTime at,
            String eraser,
            boolean erased,
            String subjectToken,
            String reason,
            List<DatasetRows> rowsPerDataset) {
        /** The chain's event names (roles.sql, pii_erase_subject()). */
        public static final String ERASED = "erasure";

        public static final String COUNTED = "erasure-count";

        public Erasure {
            rowsPerDataset = List.copyOf(rowsPerDataset);
        }

        /** All rows, every dataset. */
        public long rows() {
            return rowsPerDataset.stream().mapToLong(DatasetRows::rows).sum();
        }

        /** "orders 2, tickets 2". */
        public String rowsText() {
            return String.join(
                    ", ",
                    rowsPerDataset.stream()
                            .map(r -> r.dataset() + " " + r.rows())
                            .toList());
        }
    }

    /** Rows of one dataset (all its tables) an erasure deleted or counted. */
    public record DatasetRows(String dataset, long rows) {}

    /** How many grants are in {@code state}. */
    public long grantsIn(Grant.State state) {
        return grants.stream().filter(g -> g.grant().state() == state).count();
    }
}
