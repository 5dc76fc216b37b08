package io.sqspii.inspector.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's figures, all SQL aggregates over stored rows (nothing decrypted).
 *
 * @param logins             rows of user_logins matching the filter
 * @param users              distinct user_id among them
 * @param rejected           rows of user_logins_rejected in the filter's date range
 * @param bucket             "hour" or "day": the width of a time bucket
 * @param loginsOverTime     logins per bucket, oldest first (empty buckets left out)
 * @param byDeviceType       logins per device type, most first ("(none)" for NULL)
 * @param byAppVersion       logins per app version, most first
 * @param rejectedOverTime   rejected rows per bucket, per error kind (text before the first ':')
 * @param topDuplicateGroups the groups sharing a device id or IP across the most rows (at least two users)
 */
public record Overview(long logins, long users, long rejected, String bucket, List<Point> loginsOverTime,
                       List<Slice> byDeviceType, List<Slice> byAppVersion, Map<String, List<Point>> rejectedOverTime,
                       List<DuplicateGroup> topDuplicateGroups) {

    /** A count in the time bucket starting at {@code start}. */
    public record Point(Instant start, long count) {
    }

    /** A count for one value of a column. */
    public record Slice(String label, long count) {
    }
}
