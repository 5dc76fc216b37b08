package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.model.TableSpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's aggregates for one dataset: counts grouped in SQL, over the Rows tab's filter (the
 * rejected messages over its time range only: they have no other of its columns). Nothing is decrypted;
 * duplicate groups are equal ciphertexts.
 */
public final class OverviewRepository {

    /** Bars shown per breakdown; the rest is summed into "other". */
    static final int TOP = 12;
    static final int TOP_GROUPS = 10;
    /** "auto" picks the widest bucket that still cuts the time range into at least this many. */
    public static final int MIN_BUCKETS = 12;
    public static final List<String> BUCKETS = List.of("day", "hour", "minute", "second");
    /** The rejected tables' error column (the pipeline's layout of every dataset's rejected table). */
    static final String ERROR = "error";

    private final InspectorRepository repo;

    public OverviewRepository(InspectorRepository repo) {
        this.repo = repo;
    }

    /** Columns a breakdown can count rows by: plain (not PII) text and yes/no columns other than the key. */
    public static List<Column> breakdownColumns(TableSpec table) {
        return table.columns().stream().filter(c -> !c.isPii() && !c.equals(table.key())
                && (c.type() == ColumnType.TEXT || c.type() == ColumnType.BOOLEAN)).toList();
    }

    /**
     * All figures for the filter; {@code bucket} is one of {@link #BUCKETS} or null (chosen from the time range),
     * {@code breakdowns} some of {@link #breakdownColumns}.
     */
    public Overview load(Dataset dataset, Filter filter, String bucket, List<String> breakdowns) {
        if (bucket != null && !BUCKETS.contains(bucket)) {
            throw new IllegalArgumentException("bucket: " + bucket);
        }
        TableSpec table = dataset.table();
        Column time = timeColumn(table);
        List<InspectorRepository.Bind> binds = new ArrayList<>();
        String where = where(table, filter, binds);
        String from = table.qualifiedName();
        Object[] totals = repo.query("SELECT count(*), " + (time == null ? "NULL::timestamptz, NULL::timestamptz"
                : "min(" + time.name() + "), max(" + time.name() + ")") + " FROM " + from + where, binds,
                rs -> new Object[] {rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class)}).get(0);
        String unit = bucket != null ? bucket : chooseBucket((OffsetDateTime) totals[1], (OffsetDateTime) totals[2]);

        List<Overview.Point> overTime = time == null ? List.of() : repo.query("SELECT date_trunc('" + unit + "', "
                + time.name() + ", 'UTC'), count(*) FROM " + from + where + " GROUP BY 1 ORDER BY 1", binds,
                rs -> new Overview.Point(rs.getTimestamp(1).toInstant(), rs.getLong(2)));
        Map<String, List<Overview.Slice>> slices = new LinkedHashMap<>();
        for (String b : breakdowns) {
            Column c = table.requireColumn(b);
            if (!breakdownColumns(table).contains(c)) {
                throw new IllegalArgumentException("no breakdown by " + b);
            }
            slices.put(c.name(), top(from, c, where, binds));
        }

        long rejected = 0;
        Map<String, List<Overview.Point>> rejectedOverTime = new LinkedHashMap<>();
        TableSpec rejectedTable = dataset.rejectedReadable() ? dataset.rejected() : null;
        if (rejectedTable != null) {
            Column rejectedTime = timeColumn(rejectedTable);
            Filter dates = time == null || rejectedTime == null ? Filter.NONE : timesOnly(filter, time.name(), rejectedTime.name());
            List<InspectorRepository.Bind> rejectedBinds = new ArrayList<>();
            String rejectedWhere = where(rejectedTable, dates, rejectedBinds);
            rejected = repo.query("SELECT count(*) FROM " + rejectedTable.qualifiedName() + rejectedWhere, rejectedBinds,
                    rs -> rs.getLong(1)).get(0);
            if (rejectedTime != null && rejectedTable.column(ERROR).filter(c -> c.type() == ColumnType.TEXT).isPresent()) {
                repo.query("SELECT split_part(" + ERROR + ", ':', 1) AS kind, date_trunc('" + unit + "', " + rejectedTime.name()
                        + ", 'UTC'), count(*) FROM " + rejectedTable.qualifiedName() + rejectedWhere + " GROUP BY 1, 2 ORDER BY 1, 2",
                        rejectedBinds, rs -> {
                            rejectedOverTime.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new Overview.Point(rs.getTimestamp(2).toInstant(), rs.getLong(3)));
                            return null;
                        });
            }
        }
        return new Overview((Long) totals[0], rejected, unit, overTime, slices, rejectedOverTime,
                topGroups(table, time, where, binds));
    }

    /** The table's time: its default sort column when that is a timestamptz. */
    private static Column timeColumn(TableSpec t) {
        Column c = t.requireColumn(t.defaultSort().column());
        return c.type() == ColumnType.TIMESTAMP ? c : null;
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

    private List<Overview.Slice> top(String from, Column column, String where, List<InspectorRepository.Bind> binds) {
        // column comes from the spec: whitelisted
        List<Overview.Slice> all = repo.query("SELECT coalesce(" + column.name() + "::text, '(none)'), count(*) FROM " + from
                + where + " GROUP BY 1 ORDER BY 2 DESC, 1", binds, rs -> new Overview.Slice(rs.getString(1), rs.getLong(2)));
        if (all.size() <= TOP) {
            return all;
        }
        List<Overview.Slice> out = new ArrayList<>(all.subList(0, TOP - 1));
        out.add(new Overview.Slice("other", all.subList(TOP - 1, all.size()).stream().mapToLong(Overview.Slice::count).sum()));
        return out;
    }

    static final Comparator<DuplicateGroup> GROUP_ORDER = Comparator.comparingLong(DuplicateGroup::rows).reversed()
            .thenComparing(DuplicateGroup::column)
            .thenComparing(DuplicateGroup::value);

    /** The biggest groups among the filtered rows sharing a deterministic value, ordered as the Duplicates tab. */
    private List<DuplicateGroup> topGroups(TableSpec table, Column time, String where, List<InspectorRepository.Bind> binds) {
        List<DuplicateGroup> all = new ArrayList<>();
        String and = where.isEmpty() ? " WHERE " : where + " AND ";
        String seen = time == null ? "NULL::timestamptz, NULL::timestamptz" : "min(" + time.name() + "), max(" + time.name() + ")";
        for (Column c : table.deterministicColumns()) {
            List<InspectorRepository.Bind> b = new ArrayList<>(binds);
            b.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) TOP_GROUPS));
            all.addAll(repo.query("SELECT " + c.name() + ", count(*), " + seen + " FROM " + table.qualifiedName() + and
                    + c.name() + " IS NOT NULL GROUP BY 1 HAVING count(*) >= 2 ORDER BY 2 DESC, 1 LIMIT ?", b,
                    rs -> new DuplicateGroup(table.name(), c.name(), rs.getString(1), rs.getLong(2),
                            rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class))));
        }
        all.sort(GROUP_ORDER);
        return all.size() > TOP_GROUPS ? List.copyOf(all.subList(0, TOP_GROUPS)) : all;
    }

    private static String where(TableSpec table, Filter filter, List<InspectorRepository.Bind> binds) {
        List<String> clauses = InspectorRepository.filterClauses(table, filter, binds);
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** The time range conditions of a Rows filter, on the rejected table's time column. */
    static Filter timesOnly(Filter filter, String time, String rejectedTime) {
        Filter.Builder b = Filter.builder();
        for (Filter.Condition c : filter.conditions()) {
            if (c.column().equals(time)) {
                switch (c.op()) {
                    case GTE -> b.from(rejectedTime, (OffsetDateTime) c.value());
                    case LT -> b.until(rejectedTime, (OffsetDateTime) c.value());
                    default -> {
                    }
                }
            }
        }
        return b.build();
    }
}
