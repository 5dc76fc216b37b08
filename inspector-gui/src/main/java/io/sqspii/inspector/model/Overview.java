package io.sqspii.inspector.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's figures for one dataset, all SQL aggregates over stored rows (nothing decrypted). Which
 * columns are charted, and how, follows from their types and how many values they hold.
 *
 * @param rows               rows of the dataset's table matching the filter
 * @param rejected           rows of its rejected table in the filter's time range
 * @param timeColumn         the time column rows are counted over (null when the table has none)
 * @param bucket             "second" … "day": the width of a time bucket
 * @param rowsOverTime       rows per bucket of {@code timeColumn}, oldest first (empty buckets left out)
 * @param breakdowns         per plain text or yes/no column of few values, rows per value, most first ("(none)" for
 *                           NULL), in column order
 * @param histograms         per plain number column, rows per range of values, lowest first, in column order
 * @param rejectedOverTime   rejected rows per bucket, per error kind (text before the first ':')
 * @param topDuplicateGroups the groups sharing a deterministic value across the most rows
 */
public record Overview(
        long rows,
        long rejected,
        String timeColumn,
        String bucket,
        List<Point> rowsOverTime,
        Map<String, List<Slice>> breakdowns,
        Map<String, List<Bin>> histograms,
        Map<String, List<Point>> rejectedOverTime,
        List<DuplicateGroup> topDuplicateGroups) {

    /** A count in the time bucket starting at {@code start}. */
    public record Point(Instant start, long count) {}

    /** A count for one value of a column. */
    public record Slice(String label, long count) {}

    /** Rows whose value is in [{@code from}, {@code to}) ({@code to} included for the last bin). */
    public record Bin(BigDecimal from, BigDecimal to, long count) {}
}
