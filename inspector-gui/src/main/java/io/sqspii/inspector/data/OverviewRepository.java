package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.model.TableSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Overview tab's aggregates for one dataset: counts grouped in SQL, over the Rows tab's filter (the
 * rejected messages over its time range only: they have no other of its columns). Which columns are charted and
 * how follows from their types and their number of values: rows over a time column, bars for text of few values,
 * histograms (bucketed in SQL) for numbers. Nothing is decrypted; duplicate groups are equal ciphertexts.
 */
public final class OverviewRepository {

    /** A text or yes/no column is drawn as bars (one per value) when it holds at most this many values. */
    public static final int FEW_VALUES = 20;
    /** A column the planner's statistics estimate to hold more values than this is not even grouped. */
    static final long MANY_VALUES = 10L * FEW_VALUES;
    /** Ranges of a number column's histogram. */
    public static final int BINS = 10;

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

    /** Columns charted by their values: plain (not PII) text, yes/no and number columns other than the key. */
    static List<Column> valueColumns(TableSpec table) {
        return table.columns().stream()
                .filter(c -> !c.isPii()
                        && !c.equals(table.key())
                        && (c.type() == ColumnType.TEXT || c.type() == ColumnType.BOOLEAN || isNumber(c)))
                .toList();
    }

    private static boolean isNumber(Column c) {
        return c.type() == ColumnType.BIGINT || c.type() == ColumnType.NUMERIC;
    }

    /** The timestamptz columns rows can be counted over; the first is the table's own time (its default sort). */
    public static List<Column> timeColumns(TableSpec table) {
        Column first = timeColumn(table);
        List<Column> out = new ArrayList<>();
        if (first != null) {
            out.add(first);
        }
        table.columns().stream()
                .filter(c -> c.type() == ColumnType.TIMESTAMP && !c.equals(first))
                .forEach(out::add);
        return out;
    }

    /**
     * All figures for the filter; {@code bucket} is one of {@link #BUCKETS} or null (chosen from the time range),
     * {@code timeColumn} one of {@link #timeColumns} or null (the table's own time). The other charts follow from
     * the columns: bars for a text or yes/no column of at most {@link #FEW_VALUES} values that repeat, a histogram
     * of {@link #BINS} ranges for a number column.
     */
    public Overview load(Dataset dataset, Filter filter, String bucket, String timeColumn) {
        if (bucket != null && !BUCKETS.contains(bucket)) {
            throw new IllegalArgumentException("bucket: " + bucket);
        }
        TableSpec table = dataset.table();
        Column time = timeColumn == null
                ? timeColumn(table)
                : timeColumns(table).stream()
                        .filter(c -> c.name().equals(timeColumn))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no time column " + timeColumn));
        List<Column> numbers = valueColumns(table).stream()
                .filter(OverviewRepository::isNumber)
                .toList();
        List<InspectorRepository.Bind> binds = new ArrayList<>();
        String where = where(table, filter, binds);
        String from = table.qualifiedName();
        // one scan: the count, the time range, each number column's range and count
        StringBuilder select = new StringBuilder("SELECT count(*), ")
                .append(
                        time == null
                                ? "NULL::timestamptz, NULL::timestamptz"
                                : "min(" + time.name() + "), max(" + time.name() + ")");
        for (Column n : numbers) {
            select.append(", min(")
                    .append(n.name())
                    .append(")::numeric, max(")
                    .append(n.name())
                    .append(")::numeric, count(")
                    .append(n.name())
                    .append(')');
        }
        Object[] totals = repo.query(select + " FROM " + from + where, binds, rs -> {
                    Object[] v = new Object[3 + 3 * numbers.size()];
                    v[0] = rs.getLong(1);
                    v[1] = rs.getObject(2, OffsetDateTime.class);
                    v[2] = rs.getObject(3, OffsetDateTime.class);
                    for (int i = 0; i < numbers.size(); i++) {
                        v[3 + 3 * i] = rs.getBigDecimal(4 + 3 * i);
                        v[4 + 3 * i] = rs.getBigDecimal(5 + 3 * i);
                        v[5 + 3 * i] = rs.getLong(6 + 3 * i);
                    }
                    return v;
                })
                .get(0);
        long rows = (Long) totals[0];
        String unit = bucket != null ? bucket : chooseBucket((OffsetDateTime) totals[1], (OffsetDateTime) totals[2]);

        List<Overview.Point> overTime = time == null
                ? List.of()
                : repo.query(
                        "SELECT date_trunc('" + unit + "', "
                                + time.name() + ", 'UTC'), count(*) FROM " + from + where
                                + (where.isEmpty() ? " WHERE " : " AND ")
                                + time.name() + " IS NOT NULL GROUP BY 1 ORDER BY 1",
                        binds,
                        rs -> new Overview.Point(rs.getTimestamp(1).toInstant(), rs.getLong(2)));
        Map<String, List<Overview.Slice>> slices = new LinkedHashMap<>();
        Map<String, Long> estimates = distinctEstimates(table);
        for (Column c : valueColumns(table)) {
            // a column the statistics already know to hold many values is not grouped at all
            if (!isNumber(c) && estimates.getOrDefault(c.name(), 0L) <= MANY_VALUES) {
                List<Overview.Slice> values = fewValues(from, c, where, binds, rows);
                if (values != null) {
                    slices.put(c.name(), values);
                }
            }
        }
        Map<String, List<Overview.Bin>> histograms = new LinkedHashMap<>();
        for (int i = 0; i < numbers.size(); i++) {
            BigDecimal lo = (BigDecimal) totals[3 + 3 * i];
            if (lo != null) {
                histograms.put(
                        numbers.get(i).name(),
                        histogram(from, numbers.get(i), where, binds, lo, (BigDecimal) totals[4 + 3 * i], (Long)
                                totals[5 + 3 * i]));
            }
        }

        long rejected = 0;
        Map<String, List<Overview.Point>> rejectedOverTime = new LinkedHashMap<>();
        TableSpec rejectedTable = dataset.rejectedReadable() ? dataset.rejected() : null;
        Column ownTime = timeColumn(table);
        if (rejectedTable != null) {
            Column rejectedTime = timeColumn(rejectedTable);
            Filter dates = ownTime == null || rejectedTime == null
                    ? Filter.NONE
                    : timesOnly(filter, ownTime.name(), rejectedTime.name());
            List<InspectorRepository.Bind> rejectedBinds = new ArrayList<>();
            String rejectedWhere = where(rejectedTable, dates, rejectedBinds);
            rejected = repo.query(
                            "SELECT count(*) FROM " + rejectedTable.qualifiedName() + rejectedWhere,
                            rejectedBinds,
                            rs -> rs.getLong(1))
                    .get(0);
            if (rejectedTime != null
                    && rejectedTable
                            .column(ERROR)
                            .filter(c -> c.type() == ColumnType.TEXT)
                            .isPresent()) {
                repo.query(
                        "SELECT split_part(" + ERROR + ", ':', 1) AS kind, date_trunc('" + unit + "', "
                                + rejectedTime.name() + ", 'UTC'), count(*) FROM " + rejectedTable.qualifiedName()
                                + rejectedWhere + " GROUP BY 1, 2 ORDER BY 1, 2",
                        rejectedBinds,
                        rs -> {
                            rejectedOverTime
                                    .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new Overview.Point(rs.getTimestamp(2).toInstant(), rs.getLong(3)));
                            return null;
                        });
            }
        }
        return new Overview(
                rows,
                rejected,
                time == null ? null : time.name(),
                unit,
                overTime,
                slices,
                histograms,
                rejectedOverTime,
                topGroups(table, ownTime, where, binds));
    }

    /**
     * The planner's estimate of distinct values per column of the table (pg_stats, after ANALYZE; a negative
     * n_distinct is a fraction of the rows), for the columns this login may read; empty before any ANALYZE.
     */
    private Map<String, Long> distinctEstimates(TableSpec table) {
        Map<String, Long> out = new LinkedHashMap<>();
        repo.query(
                "SELECT s.attname, CASE WHEN s.n_distinct < 0 THEN -s.n_distinct * greatest(c.reltuples, 0) ELSE s.n_distinct END"
                        + " FROM pg_catalog.pg_stats s JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(?::text)"
                        + " WHERE s.schemaname = ? AND s.tablename = ?",
                List.of(
                        new InspectorRepository.Bind(ColumnType.TEXT, table.qualifiedName()),
                        new InspectorRepository.Bind(ColumnType.TEXT, TableSpec.SCHEMA),
                        new InspectorRepository.Bind(ColumnType.TEXT, table.name())),
                rs -> out.put(rs.getString(1), (long) rs.getDouble(2)));
        return out;
    }

    /**
     * Rows per value of the column, most first, when it holds at most {@link #FEW_VALUES} values (NULL is one)
     * and they repeat (at least two rows per value on average); else null. Only the values' count and the first
     * {@link #FEW_VALUES} + 1 groups leave the server.
     */
    private List<Overview.Slice> fewValues(
            String from, Column column, String where, List<InspectorRepository.Bind> binds, long rows) {
        List<InspectorRepository.Bind> b = new ArrayList<>(binds);
        b.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) FEW_VALUES + 1));
        long[] values = {0};
        // column comes from the spec: whitelisted
        List<Overview.Slice> all = repo.query(
                "SELECT v, n, count(*) OVER () FROM (SELECT coalesce(" + column.name()
                        + "::text, '(none)') AS v, count(*) AS n FROM " + from + where
                        + " GROUP BY 1) g ORDER BY n DESC, v LIMIT ?",
                b,
                rs -> {
                    values[0] = rs.getLong(3);
                    return new Overview.Slice(rs.getString(1), rs.getLong(2));
                });
        return values[0] == 0 || values[0] > FEW_VALUES || 2 * values[0] > rows ? null : all;
    }

    /**
     * Rows per range of the column's values, bucketed in SQL (width_bucket) into at most {@link #BINS} ranges of a
     * round width (1, 2, 2.5 or 5 times a power of ten; a whole number for an integer column) starting at a multiple
     * of it, so the labels read as the analyst would draw them; an integer column's last range reaches past
     * {@code hi}, a number column's {@code hi} falls into the last range. Empty ranges are kept (a histogram's gaps
     * are information).
     */
    private List<Overview.Bin> histogram(
            String from,
            Column column,
            String where,
            List<InspectorRepository.Bind> binds,
            BigDecimal lo,
            BigDecimal hi,
            long count) {
        boolean integer = column.type() == ColumnType.BIGINT;
        BigDecimal top = integer ? hi.add(BigDecimal.ONE) : hi;
        if (top.compareTo(lo) == 0) {
            return List.of(new Overview.Bin(lo, hi, count));
        }
        BigDecimal width =
                roundWidth(top.subtract(lo).divide(BigDecimal.valueOf(BINS), MathContext.DECIMAL64), integer);
        BigDecimal start = lo.divide(width, 0, java.math.RoundingMode.FLOOR).multiply(width);
        int bins = top.subtract(start)
                .divide(width, 0, java.math.RoundingMode.CEILING)
                .intValueExact();
        while (bins > BINS) {
            width = roundWidth(width.add(width.ulp()), integer);
            start = lo.divide(width, 0, java.math.RoundingMode.FLOOR).multiply(width);
            bins = top.subtract(start)
                    .divide(width, 0, java.math.RoundingMode.CEILING)
                    .intValueExact();
        }
        BigDecimal upper = start.add(width.multiply(BigDecimal.valueOf(bins)));
        List<InspectorRepository.Bind> b = new ArrayList<>();
        b.add(new InspectorRepository.Bind(ColumnType.NUMERIC, start));
        b.add(new InspectorRepository.Bind(ColumnType.NUMERIC, upper));
        b.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) bins));
        b.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) bins));
        b.addAll(binds);
        long[] counts = new long[bins];
        repo.query(
                "SELECT least(width_bucket(" + column.name() + "::numeric, ?, ?, ?::int), ?::int), count(*) FROM "
                        + from + where + (where.isEmpty() ? " WHERE " : " AND ") + column.name()
                        + " IS NOT NULL GROUP BY 1",
                b,
                rs -> {
                    counts[rs.getInt(1) - 1] = rs.getLong(2);
                    return null;
                });
        List<Overview.Bin> out = new ArrayList<>(bins);
        for (int i = 0; i < bins; i++) {
            BigDecimal a = start.add(width.multiply(BigDecimal.valueOf(i)));
            out.add(new Overview.Bin(a.stripTrailingZeros(), a.add(width).stripTrailingZeros(), counts[i]));
        }
        return out;
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

    static final Comparator<DuplicateGroup> GROUP_ORDER = Comparator.comparingLong(DuplicateGroup::rows)
            .reversed()
            .thenComparing(DuplicateGroup::column)
            .thenComparing(DuplicateGroup::value);

    /** The biggest groups among the filtered rows sharing a deterministic value, ordered as the Duplicates tab. */
    private List<DuplicateGroup> topGroups(
            TableSpec table, Column time, String where, List<InspectorRepository.Bind> binds) {
        List<DuplicateGroup> all = new ArrayList<>();
        String and = where.isEmpty() ? " WHERE " : where + " AND ";
        String seen = time == null
                ? "NULL::timestamptz, NULL::timestamptz"
                : "min(" + time.name() + "), max(" + time.name() + ")";
        for (Column c : table.deterministicColumns()) {
            List<InspectorRepository.Bind> b = new ArrayList<>(binds);
            b.add(new InspectorRepository.Bind(ColumnType.BIGINT, (long) TOP_GROUPS));
            all.addAll(repo.query(
                    "SELECT " + c.name() + ", count(*), " + seen + " FROM " + table.qualifiedName() + and + c.name()
                            + " IS NOT NULL GROUP BY 1 HAVING count(*) >= 2 ORDER BY 2 DESC, 1 LIMIT ?",
                    b,
                    rs -> new DuplicateGroup(
                            table.name(),
                            c.name(),
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getObject(3, OffsetDateTime.class),
                            rs.getObject(4, OffsetDateTime.class))));
        }
        all.sort(GROUP_ORDER);
        return all.size() > TOP_GROUPS ? List.copyOf(all.subList(0, TOP_GROUPS)) : all;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten (for an integer column 1, 2, 5 times one, at least 1) ≥ {@code raw}. */
    static BigDecimal roundWidth(BigDecimal raw, boolean integer) {
        int exponent = raw.precision() - raw.scale() - 1; // raw = d.ddd × 10^exponent
        for (int e = integer ? Math.max(0, exponent) : exponent; ; e++) {
            for (String m : integer ? List.of("1", "2", "5") : List.of("1", "2", "2.5", "5")) {
                BigDecimal w = new BigDecimal(m).scaleByPowerOfTen(e);
                if (w.compareTo(raw) >= 0) {
                    return w;
                }
            }
        }
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
                    default -> {}
                }
            }
        }
        return b.build();
    }
}
