package io.sqspii.inspector.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's figures for one dataset, all SQL aggregates over stored rows (nothing decrypted).
 *
 * @param rows               rows of the dataset's table matching the filter
 * @param rejected           rows of its rejected table in the filter's time range
 * @param bucket             "second" … "day": the width of a time bucket
 * @param rowsOverTime       rows per bucket of the table's time column, oldest first (empty buckets left out)
 * @param breakdowns         per chosen column, rows per value, most first ("(none)" for NULL)
 * @param rejectedOverTime   rejected rows per bucket, per error kind (text before the first ':')
 * @param topDuplicateGroups the groups sharing a deterministic value across the most rows
 */
public record Overview(long rows, long rejected, String bucket, List<Point> rowsOverTime,
                       Map<String, List<Slice>> breakdowns, Map<String, List<Point>> rejectedOverTime,
                       List<DuplicateGroup> topDuplicateGroups) {

    /** A count in the time bucket starting at {@code start}. */
    public record Point(Instant start, long count) {
    }

    /** A count for one value of a column. */
    public record Slice(String label, long count) {
    }
}
