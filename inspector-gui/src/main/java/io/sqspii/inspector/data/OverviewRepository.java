package io.sqspii.inspector.data;

import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.model.TableSpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's aggregates: counts grouped in SQL, over the Logins tab's filter (the rejected
 * messages over its date range only: they have no other of its columns). Nothing is decrypted;
 * duplicate groups are equal ciphertexts.
 */
public final class OverviewRepository {

    /** Bars shown for device types and app versions; the rest is summed into "other". */
    static final int TOP = 12;
    static final int TOP_GROUPS = 10;
    /** "auto" picks the widest bucket that still cuts the time range into at least this many. */
    public static final int MIN_BUCKETS = 12;
    public static final List<String> BUCKETS = List.of("day", "hour", "minute", "second");

    private static final String LOGINS = TableSpec.LOGINS.qualifiedName();
    private static final String REJECTED = TableSpec.REJECTED.qualifiedName();

    private final InspectorRepository repo;

    public OverviewRepository(InspectorRepository repo) {
        this.repo = repo;
    }

    /** All figures for the filter; {@code bucket} is one of {@link #BUCKETS} or null (chosen from the time range). */
    public Overview load(Filter filter, String bucket) {
        List<InspectorRepository.Bind> binds = new ArrayList<>();
        String where = where(TableSpec.LOGINS, filter, binds);
        Object[] totals = repo.query("SELECT count(*), min(create_date), max(create_date) FROM " + LOGINS + where, binds,
                rs -> new Object[] {rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class)}).get(0);
        // DISTINCT in a subquery is hashed; count(DISTINCT ...) would sort every row
        long users = repo.query("SELECT count(*) FROM (SELECT DISTINCT user_id FROM " + LOGINS + where + ") u", binds,
                rs -> rs.getLong(1)).get(0);
        if (bucket != null && !BUCKETS.contains(bucket)) {
            throw new IllegalArgumentException("bucket: " + bucket);
        }
        String unit = bucket != null ? bucket : chooseBucket((OffsetDateTime) totals[1], (OffsetDateTime) totals[2]);

        List<Overview.Point> overTime = repo.query("SELECT date_trunc('" + unit + "', create_date, 'UTC'), count(*) FROM " + LOGINS
                + where + " GROUP BY 1 ORDER BY 1", binds, rs -> new Overview.Point(rs.getTimestamp(1).toInstant(), rs.getLong(2)));
        List<Overview.Slice> devices = top("device_type", where, binds);
        List<Overview.Slice> versions = top("app_version", where, binds);

        Filter dates = datesOnly(filter);
        List<InspectorRepository.Bind> rejectedBinds = new ArrayList<>();
        String rejectedWhere = where(TableSpec.REJECTED, dates, rejectedBinds);
        long rejected = repo.query("SELECT count(*) FROM " + REJECTED + rejectedWhere, rejectedBinds,
                rs -> rs.getLong(1)).get(0);
        Map<String, List<Overview.Point>> rejectedOverTime = new LinkedHashMap<>();
        repo.query("SELECT split_part(error, ':', 1) AS kind, date_trunc('" + unit + "', create_date, 'UTC'), count(*)"
                + " FROM " + REJECTED + rejectedWhere + " GROUP BY 1, 2 ORDER BY 1, 2", rejectedBinds, rs -> {
                    rejectedOverTime.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Overview.Point(rs.getTimestamp(2).toInstant(), rs.getLong(3)));
                    return null;
                });
        List<DuplicateGroup> groups = topGroups(where, binds);
        return new Overview((Long) totals[0], users, rejected, unit, overTime, devices, versions, rejectedOverTime,
                groups);
    }

    /** The widest bucket that cuts [min, max] into at least {@link #MIN_BUCKETS}: days for weeks, seconds for a burst. */
    static String chooseBucket(OffsetDateTime min, OffsetDateTime max) {
        Duration span = min == null ? Duration.ZERO : Duration.between(min, max);
        if (span.compareTo(Duration.ofDays(MIN_BUCKETS)) >= 0) {
            return "day";
        }
        if (span.compareTo(Duration.ofHours(MIN_BUCKETS)) >= 0) {
            return "hour";
        }
        return span.compareTo(Duration.ofMinutes(MIN_BUCKETS)) >= 0 ? "minute" : "second";
    }

    private List<Overview.Slice> top(String column, String where, List<InspectorRepository.Bind> binds) {
        // column is one of two constants
        List<Overview.Slice> all = repo.query("SELECT coalesce(" + column + ", '(none)'), count(*) FROM " + LOGINS + where
                + " GROUP BY 1 ORDER BY 2 DESC, 1", binds, rs -> new Overview.Slice(rs.getString(1), rs.getLong(2)));
        if (all.size() <= TOP) {
            return all;
        }
        List<Overview.Slice> out = new ArrayList<>(all.subList(0, TOP - 1));
        out.add(new Overview.Slice("other", all.subList(TOP - 1, all.size()).stream().mapToLong(Overview.Slice::count).sum()));
        return out;
    }

    /**
     * The biggest groups among the filtered rows sharing a device id or an IP, spanning two users or
     * more, ordered by rows, users, column, value (as the Duplicates tab).
     */
    private List<DuplicateGroup> topGroups(String where, List<InspectorRepository.Bind> binds) {
        List<DuplicateGroup> all = new ArrayList<>();
        for (String c : InspectorRepository.DUPLICATE_COLUMNS) {
            all.addAll(topGroups(c, where, binds));
        }
        all.sort(GROUP_ORDER);
        return all.size() > TOP_GROUPS ? List.copyOf(all.subList(0, TOP_GROUPS)) : all;
    }

    static final java.util.Comparator<DuplicateGroup> GROUP_ORDER = java.util.Comparator
            .comparingLong(DuplicateGroup::rows).reversed()
            .thenComparing(java.util.Comparator.comparingLong(DuplicateGroup::distinctUsers).reversed())
            .thenComparing(DuplicateGroup::column)
            .thenComparing(DuplicateGroup::value);

    /**
     * One column's top groups. Counting distinct users of every group sorts the whole table (seconds on
     * a million rows), so rows per value are counted first (an index-only scan), and users only for the
     * candidates: every group at least as big as the {@code candidates}-th biggest (ties included, so
     * the answer is exact). When fewer than {@link #TOP_GROUPS} candidates span two users, the search
     * widens until it has covered every group.
     */
    private List<DuplicateGroup> topGroups(String column, String where, List<InspectorRepository.Bind> binds) {
        // column is one of two constants: safe as identifier and literal
        String and = where.isEmpty() ? " WHERE " : where + " AND ";
        String sql = "WITH counts AS (SELECT " + column + " AS v, count(*) AS n FROM " + LOGINS + and + column
                + " IS NOT NULL GROUP BY 1 HAVING count(*) >= 2),"
                + " cut AS (SELECT coalesce(min(n), 2) AS m, count(*) AS k FROM (SELECT n FROM counts ORDER BY n DESC LIMIT ?) t)"
                + " SELECT c.v, c.n, u.users, u.first_seen, u.last_seen, cut.k FROM counts c CROSS JOIN cut,"
                + " LATERAL (SELECT count(DISTINCT user_id) AS users, min(create_date) AS first_seen, max(create_date) AS last_seen"
                + " FROM " + LOGINS + " x" + and + "x." + column + " = c.v) u"
                + " WHERE c.n >= cut.m AND u.users >= 2 ORDER BY c.n DESC, u.users DESC, c.v LIMIT ?";
        for (long candidates = 200; ; candidates *= 10) {
            List<InspectorRepository.Bind> all = new ArrayList<>(binds);
            all.add(new InspectorRepository.Bind(ColumnType.BIGINT, candidates));
            all.addAll(binds);
            all.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) TOP_GROUPS));
            long[] considered = new long[1];
            List<DuplicateGroup> found = repo.query(sql, all, rs -> {
                considered[0] = rs.getLong(6);
                return new DuplicateGroup(column, rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class));
            });
            // fewer than `candidates` groups exist (or enough were found): nothing bigger was left out
            if (found.size() >= TOP_GROUPS || (!found.isEmpty() && considered[0] < candidates) || candidates >= 100_000_000L) {
                return found;
            }
            if (found.isEmpty() && !hasMoreGroups(column, where, binds, candidates)) {
                return found;
            }
        }
    }

    private boolean hasMoreGroups(String column, String where, List<InspectorRepository.Bind> binds, long than) {
        String and = where.isEmpty() ? " WHERE " : where + " AND ";
        List<InspectorRepository.Bind> all = new ArrayList<>(binds);
        all.add(new InspectorRepository.Bind(ColumnType.BIGINT, than));
        return !repo.query("SELECT 1 FROM " + LOGINS + and + column + " IS NOT NULL GROUP BY " + column
                + " HAVING count(*) >= 2 OFFSET ? LIMIT 1", all, rs -> 1).isEmpty();
    }

    private static String where(TableSpec table, Filter filter, List<InspectorRepository.Bind> binds) {
        List<String> clauses = InspectorRepository.filterClauses(table, filter, binds);
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** The create_date conditions of a Logins filter (the only ones that apply to rejected messages). */
    static Filter datesOnly(Filter filter) {
        Filter.Builder b = Filter.builder();
        for (Filter.Condition c : filter.conditions()) {
            if (c.column().equals("create_date")) {
                switch (c.op()) {
                    case GTE -> b.from("create_date", (OffsetDateTime) c.value());
                    case LT -> b.until("create_date", (OffsetDateTime) c.value());
                    default -> {
                    }
                }
            }
        }
        return b.build();
    }

}
