package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rows of a two-column table ({@code id} key, {@code score} nullable) held in a list, paged the way
 * InspectorRepository pages in SQL: ORDER BY score [NULLS LAST asc, FIRST desc], id in one direction, rows
 * strictly after the cursor. Filters: equality only. For KeysetPager's tests, whose subject is the
 * cursor arithmetic, not the SQL (the repository's own tests page the real database).
 */
final class ListPageSource implements PageSource {

    static final TableSpec TABLE = new TableSpec(
            "t",
            "id",
            List.of(
                    new Column("id", ColumnType.BIGINT, false, null),
                    new Column("score", ColumnType.BIGINT, true, null)));

    final List<Row> rows = new ArrayList<>();
    int pageCalls;
    int countCalls;
    /** Set: the next calls fail as a lost connection would. */
    boolean failing;

    /** Rows with ids 0..n-1 and score {@code id % modulo} (null for every seventh row when {@code withNulls}). */
    static ListPageSource of(int n, int modulo, boolean withNulls) {
        ListPageSource s = new ListPageSource();
        for (long id = 0; id < n; id++) {
            Long score = withNulls && id % 7 == 3 ? null : id % modulo;
            s.rows.add(new Row(TABLE, java.util.Arrays.asList(id, score)));
        }
        return s;
    }

    /** Rows with ids 0..n-1, score = id. */
    static ListPageSource of(int n) {
        return of(n, Integer.MAX_VALUE, false);
    }

    void delete(Predicate<Row> which) {
        rows.removeIf(which);
    }

    @Override
    public Page page(Filter filter, Sort sort, Page.Cursor after, int limit) {
        pageCalls++;
        check();
        Comparator<Row> order = order(sort);
        List<Row> out = rows.stream()
                .filter(matches(filter))
                .filter(r -> after == null || order.compare(r, cursorRow(sort, after)) > 0)
                .sorted(order)
                .limit(limit + 1L)
                .toList();
        if (out.size() <= limit) {
            return new Page(out, null);
        }
        Row last = out.get(limit - 1);
        return new Page(out.subList(0, limit), new Page.Cursor(last.get(sort.column()), last.key()));
    }

    @Override
    public long count(Filter filter) {
        countCalls++;
        check();
        return rows.stream().filter(matches(filter)).count();
    }

    private void check() {
        if (failing) {
            throw new InspectorException("The database connection was lost.");
        }
    }

    private static Predicate<Row> matches(Filter filter) {
        return r -> filter.conditions().stream()
                .allMatch(c -> String.valueOf(r.get(c.column())).equals(String.valueOf(c.value())));
    }

    private static Row cursorRow(Sort sort, Page.Cursor c) {
        return sort.column().equals("id")
                ? new Row(TABLE, java.util.Arrays.asList(c.key(), null))
                : new Row(TABLE, java.util.Arrays.asList(c.key(), c.sortValue()));
    }

    /** Ascending puts NULLs last, descending first: the exact mirror, as PostgreSQL's defaults. */
    private static Comparator<Row> order(Sort sort) {
        Comparator<Row> asc = Comparator.comparing(
                        (Row r) -> (Long) r.get(sort.column()), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(r -> (Long) r.key());
        return sort.ascending() ? asc : asc.reversed();
    }
}
