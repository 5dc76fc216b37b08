package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.ColumnType;
import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.JsonText;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Read access to the inspector's tables over one JDBC connection. Prepared statements only: SQL
 * identifiers come from {@link TableSpec} whitelists, every value is a bound parameter. Tables are
 * schema-qualified; functions and operators resolve in pg_catalog only ({@link Session} sets the
 * search_path), so nothing another login created in schema public is ever called.
 *
 * <p>Paging is keyset paging (WHERE (sort, key) after the previous page's last row ... LIMIT n), so a
 * page costs the same at row 10 and at row 10 million, and concurrent inserts never shift or repeat
 * rows the way OFFSET does.
 */
public final class InspectorRepository {

    private final Connection connection;
    private final AtomicReference<Statement> running = new AtomicReference<>();

    InspectorRepository(Connection connection) {
        this.connection = connection;
    }

    /** Rows after {@code after} (null = first page) in {@code sort} order, at most {@code limit}. */
    public Page page(TableSpec table, Filter filter, Sort sort, Page.Cursor after, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
        Column sortCol = table.requireColumn(sort.column());
        Column key = table.key();
        List<Bind> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(table.selectList())
                .append(" FROM ")
                .append(table.qualifiedName());
        List<String> where = new ArrayList<>(filterClauses(table, filter, binds));
        if (after != null) {
            where.add(keysetClause(sortCol, key, sort.ascending(), after, binds));
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        String dir = sort.ascending() ? "ASC" : "DESC";
        sql.append(" ORDER BY ").append(sortCol.name()).append(' ').append(dir);
        if (sortCol.nullable()) {
            sql.append(sort.ascending() ? " NULLS LAST" : " NULLS FIRST");
        }
        if (!sortCol.name().equals(key.name())) {
            sql.append(", ").append(key.name()).append(' ').append(dir);
        }
        sql.append(" LIMIT ?");
        binds.add(new Bind(ColumnType.BIGINT, (long) limit + 1));

        List<Row> rows = query(sql.toString(), binds, rs -> readRow(table, rs));
        Page.Cursor next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            Row last = rows.get(limit - 1);
            next = new Page.Cursor(last.get(sortCol.name()), last.key());
        }
        return new Page(rows, next);
    }

    /** Number of rows matching the filter. */
    public long count(TableSpec table, Filter filter) {
        List<Bind> binds = new ArrayList<>();
        List<String> where = filterClauses(table, filter, binds);
        String sql = "SELECT count(*) FROM " + table.qualifiedName()
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
        return query(sql, binds, rs -> rs.getLong(1)).get(0);
    }

    /**
     * Groups of rows of {@code table} sharing a ciphertext in one of {@code columns} (its deterministic columns),
     * at least {@code minRows} rows each, biggest first, {@code limit} groups after the first {@code offset}.
     * First and last seen are over the table's default sort column when that is a time.
     */
    public List<DuplicateGroup> duplicates(TableSpec table, List<String> columns, int minRows, int limit, long offset) {
        if (columns.isEmpty()) {
            return List.of();
        }
        Column time = table.requireColumn(table.defaultSort().column());
        String seen = time.type() == ColumnType.TIMESTAMP
                ? "min(" + time.name() + ") AS first_seen, max(" + time.name() + ") AS last_seen"
                : "NULL::timestamptz AS first_seen, NULL::timestamptz AS last_seen";
        List<Bind> binds = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String name : columns) {
            Column c = table.requireColumn(name);
            if (!table.deterministicColumns().contains(c)) {
                throw new IllegalArgumentException("not a deterministic column of " + table.name() + ": " + name);
            }
            // c.name() comes from the spec (the database's own column names): whitelisted as identifier; as a
            // value it is bound
            parts.add("SELECT ?::text AS col, " + c.name() + " AS value, count(*) AS n, " + seen
                    + " FROM " + table.qualifiedName() + " WHERE " + c.name() + " IS NOT NULL GROUP BY " + c.name()
                    + " HAVING count(*) >= ?");
            binds.add(new Bind(ColumnType.TEXT, c.name()));
            binds.add(new Bind(ColumnType.BIGINT, (long) Math.max(2, minRows)));
        }
        // a total order (col, value are unique together), so OFFSET pages neither repeat nor skip groups
        String sql = String.join(" UNION ALL ", parts) + " ORDER BY n DESC, col, value LIMIT ? OFFSET ?";
        binds.add(new Bind(ColumnType.BIGINT, (long) limit));
        binds.add(new Bind(ColumnType.BIGINT, offset));
        return query(
                sql,
                binds,
                rs -> new DuplicateGroup(
                        table.name(),
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getObject(4, OffsetDateTime.class),
                        rs.getObject(5, OffsetDateTime.class)));
    }

    /**
     * How many rows of the table hold the same deterministic ciphertext as this cell (itself included;
     * 0 when the row is gone or the value is NULL): revealing the cell exposes the plaintext of all of
     * them. Compared in SQL, so the ciphertext never leaves the server for this.
     */
    public long rowsSharingValue(TableSpec table, Object key, String column) {
        Column col = table.requireColumn(column);
        if (!col.isDeterministic()) {
            throw new IllegalArgumentException(column + " is not deterministic ciphertext");
        }
        String c = col.name();
        String sql = "SELECT count(*) FROM " + table.qualifiedName() + " WHERE " + c + " = (SELECT " + c + " FROM "
                + table.qualifiedName() + " WHERE " + table.key().name() + " = ?)";
        return query(sql, List.of(new Bind(table.key().type(), key)), rs -> rs.getLong(1))
                .get(0);
    }

    /**
     * How many rows of each dataset hold the deterministic ciphertext {@code value} in a column of key domain
     * {@code domain} (equal plaintext in one domain gives equal ciphertext in every dataset of it): datasets whose
     * table this login may read, with at least one such row, most rows first. Compared in SQL; nothing is decrypted.
     * Values inside jsonb arrays are not counted.
     */
    public Map<String, Long> rowsPerDatasetInDomain(List<Dataset> datasets, String domain, String value) {
        List<Bind> binds = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (Dataset d : datasets) {
            List<Column> inDomain = d.readable() && d.table() != null
                    ? d.table().deterministicColumns().stream()
                            .filter(c -> domain.equals(c.keyDomain()))
                            .toList()
                    : List.of();
            if (inDomain.isEmpty()) {
                continue;
            }
            // table and column names from the catalog and pg_catalog (the whitelist); the dataset name and the value
            // bound
            List<String> equal = new ArrayList<>();
            binds.add(new Bind(ColumnType.TEXT, d.name()));
            for (Column c : inDomain) {
                equal.add(c.name() + " = ?");
                binds.add(new Bind(ColumnType.TEXT, value));
            }
            parts.add("SELECT ?::text AS dataset, count(*) AS n FROM "
                    + d.table().qualifiedName() + " WHERE " + String.join(" OR ", equal));
        }
        Map<String, Long> out = new LinkedHashMap<>();
        if (parts.isEmpty()) {
            return out;
        }
        query(
                "SELECT dataset, n FROM (" + String.join(" UNION ALL ", parts)
                        + ") c WHERE n > 0 ORDER BY n DESC, dataset",
                binds,
                rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /** The datasets of the PII catalog with their tables as this login sees them (empty before any is applied). */
    public List<Dataset> datasets() {
        return new DatasetCatalog(this).load();
    }

    /** Cancels the statement now running on this connection, if any (called from another thread). */
    public void cancelRunning() {
        Statement s = running.get();
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // already finished
            }
        }
    }

    // --- SQL building -------------------------------------------------------------------------

    static List<String> filterClauses(TableSpec table, Filter filter, List<Bind> binds) {
        List<String> out = new ArrayList<>();
        for (Filter.Condition c : filter.conditions()) {
            Column col = table.requireColumn(c.column());
            boolean asText = c.op() == Filter.Op.CONTAINS || c.op() == Filter.Op.KIND || col.type() == ColumnType.JSON;
            // text operations on a column of another type work on its text
            String expr = asText && col.type() != ColumnType.TEXT ? col.name() + "::text" : col.name();
            out.add(String.format(c.op().sql, expr));
            binds.add(new Bind(asText ? ColumnType.TEXT : col.type(), c.value()));
        }
        return out;
    }

    /** Rows strictly after the cursor in ORDER BY sort [NULLS LAST|FIRST], key. */
    private static String keysetClause(Column sort, Column key, boolean asc, Page.Cursor after, List<Bind> binds) {
        String s = sort.name();
        String k = key.name();
        String gt = asc ? ">" : "<";
        if (s.equals(k)) {
            binds.add(new Bind(key.type(), after.key()));
            return k + " " + gt + " ?";
        }
        if (!sort.nullable()) {
            // row comparison: uses a (sort, key) index such as a dataset table's (create_date, row key) one
            binds.add(new Bind(sort.type(), after.sortValue()));
            binds.add(new Bind(key.type(), after.key()));
            return "(" + s + ", " + k + ") " + gt + " (?, ?)";
        }
        // ASC puts NULLs last, DESC puts them first (PostgreSQL defaults, spelled out in ORDER BY)
        if (after.sortValue() == null) {
            binds.add(new Bind(key.type(), after.key()));
            return asc
                    ? "(" + s + " IS NULL AND " + k + " > ?)"
                    : "((" + s + " IS NULL AND " + k + " < ?) OR " + s + " IS NOT NULL)";
        }
        binds.add(new Bind(sort.type(), after.sortValue()));
        binds.add(new Bind(sort.type(), after.sortValue()));
        binds.add(new Bind(key.type(), after.key()));
        return asc
                ? "(" + s + " > ? OR (" + s + " = ? AND " + k + " > ?) OR " + s + " IS NULL)"
                : "(" + s + " < ? OR (" + s + " = ? AND " + k + " < ?))";
    }

    // --- execution ----------------------------------------------------------------------------

    record Bind(ColumnType type, Object value) {}

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, List<Bind> binds, RowMapper<T> mapper) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < binds.size(); i++) {
                bind(ps, i + 1, binds.get(i));
            }
            running.set(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            } finally {
                running.set(null);
            }
        } catch (SQLException e) {
            throw DbErrors.translate(e);
        }
    }

    private static void bind(PreparedStatement ps, int index, Bind b) throws SQLException {
        switch (b.type()) {
            case TEXT ->
                ps.setString(index, b.value() == null ? null : b.value().toString());
            case TIMESTAMP -> ps.setObject(index, b.value());
            case BIGINT -> ps.setLong(index, ((Number) b.value()).longValue());
            case NUMERIC ->
                ps.setBigDecimal(
                        index,
                        b.value() == null
                                ? null
                                : b.value() instanceof BigDecimal d
                                        ? d
                                        : new BigDecimal(b.value().toString()));
            case BOOLEAN -> ps.setObject(index, b.value(), Types.BOOLEAN);
            case DATE -> ps.setObject(index, b.value());
            // the server infers the type from the column it is compared with (uuid, timestamp, …)
            case JSON, OTHER ->
                ps.setObject(index, b.value() == null ? null : b.value().toString(), Types.OTHER);
        }
    }

    private static Row readRow(TableSpec table, ResultSet rs) throws SQLException {
        List<Object> values = new ArrayList<>(table.columns().size());
        for (int i = 0; i < table.columns().size(); i++) {
            Column c = table.columns().get(i);
            values.add(
                    switch (c.type()) {
                        case TEXT -> rs.getString(i + 1);
                        case TIMESTAMP -> rs.getObject(i + 1, OffsetDateTime.class);
                        case BIGINT -> {
                            long v = rs.getLong(i + 1);
                            yield rs.wasNull() ? null : v;
                        }
                        case NUMERIC -> rs.getBigDecimal(i + 1);
                        case BOOLEAN -> {
                            boolean v = rs.getBoolean(i + 1);
                            yield rs.wasNull() ? null : v;
                        }
                        case DATE -> rs.getObject(i + 1, LocalDate.class);
                        case JSON -> JsonText.compact(rs.getString(i + 1));
                        case OTHER -> rs.getString(i + 1);
                    });
        }
        return new Row(table, values);
    }
}
