package io.sqspii.inspector.data;

import io.sqspii.inspector.model.AuditDesk;
import io.sqspii.inspector.model.Grant;
import io.sqspii.inspector.model.KeyDomain;
import io.sqspii.inspector.model.Purpose;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reveal governance over the session's connection (connect-config/sql/roles.sql): purposes, grants and the
 * auditor's desk are read from their tables (pii_grants' row security shows a reader its own grants only); every
 * change goes through the database's functions (pii_request_grant, pii_decide_grant, pii_revoke_grant,
 * pii_break_glass), which check who calls and write the audit chain. Functions and tables are schema-qualified
 * ({@link Session} sets the search_path to pg_catalog).
 */
public final class GovernanceRepository {

    private final Connection connection;

    GovernanceRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * The purposes with what each allows; empty on a database without governance tables (an older schema) and for a
     * login that may not read them (an eraser, say, which names no purpose).
     */
    public List<Purpose> purposes() {
        return call(() -> {
            if (!readable("public.pii_purposes") || !readable("public.pii_purpose_columns")) {
                return List.of();
            }
            Map<String, List<Purpose.Allowed>> allows = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement(
                            "SELECT purpose, dataset, column_name FROM public.pii_purpose_columns ORDER BY 1, 2, 3");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    allows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Purpose.Allowed(rs.getString(2), rs.getString(3)));
                }
            }
            List<Purpose> out = new ArrayList<>();
            // break-glass last: it is never the everyday choice
            try (PreparedStatement ps = connection.prepareStatement("SELECT code, description, max_cells,"
                    + " EXTRACT(epoch FROM max_duration)::bigint, needs_approval, retired FROM public.pii_purposes"
                    + " ORDER BY code = ?, code")) {
                ps.setString(1, Purpose.BREAK_GLASS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Purpose(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getInt(3),
                                Duration.ofSeconds(rs.getLong(4)),
                                rs.getBoolean(5),
                                rs.getBoolean(6),
                                allows.getOrDefault(rs.getString(1), List.of())));
                    }
                }
            }
            return out;
        });
    }

    /** The PII columns of each dataset of the catalog (names, sorted): what a grant can name. */
    public Map<String, List<String>> piiColumns() {
        return call(() -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement(
                            "SELECT DISTINCT dataset, column_name FROM public.pii_catalog() ORDER BY 1, 2");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    /**
     * The key domains that erasure can match (deterministic places, {@link KeyDomain#MATCHED_MODES}) with the datasets
     * and columns each covers, from pii_catalog() (which a pii_eraser may call without reading the catalog tables).
     */
    public List<KeyDomain> erasureDomains() {
        return call(() -> {
            Map<String, List<KeyDomain.Place>> places = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT c.key_domain, c.dataset, c.table_name,"
                    + " c.column_name, c.in_array, c.array_item_pointer FROM public.pii_catalog() c"
                    + " WHERE c.mode = ANY (?::text[]) ORDER BY 1, 2, c.table_name = c.rejected_table, 3, 4, 6")) {
                ps.setArray(1, connection.createArrayOf("text", KeyDomain.MATCHED_MODES.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        places.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new KeyDomain.Place(
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getBoolean(5) ? rs.getString(6) : null));
                    }
                }
            }
            return places.entrySet().stream()
                    .map(e -> new KeyDomain(e.getKey(), e.getValue()))
                    .toList();
        });
    }

    /** The grants this login may see, newest first: its own only when {@code mine}. */
    public List<Grant> grants(boolean mine) {
        return call(() -> {
            List<Grant> out = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(GRANT_SELECT + " FROM public.pii_grants g"
                    + (mine ? " WHERE g.requester = session_user::text" : "") + " ORDER BY g.id DESC")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(grant(rs, 1));
                    }
                }
            }
            return out;
        });
    }

    /** pii_request_grant(): the new grant's id (active at once under a purpose that needs no approval). */
    public long requestGrant(
            String dataset, List<String> columns, String purpose, Duration duration, String ticket, String reason) {
        return call(() -> {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT public.pii_request_grant(?::text, ?::text[],"
                            + " ?::text, ?::bigint * interval '1 second', ?::text, ?::text)")) {
                ps.setString(1, dataset);
                setColumns(ps, 2, columns);
                ps.setString(3, purpose);
                ps.setLong(4, duration.toSeconds());
                ps.setString(5, ticket == null || ticket.isBlank() ? null : ticket.strip());
                ps.setString(6, reason);
                return single(ps);
            }
        });
    }

    /** pii_break_glass(): an emergency grant without an approver, flagged everywhere; its id. */
    public long breakGlass(String dataset, List<String> columns, String reason) {
        return call(() -> {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT public.pii_break_glass(?::text, ?::text[], ?::text)")) {
                ps.setString(1, dataset);
                setColumns(ps, 2, columns);
                ps.setString(3, reason);
                return single(ps);
            }
        });
    }

    /** pii_decide_grant(): approve or reject a requested grant of another login. */
    public void decide(long grant, boolean approve, String note) {
        call(() -> {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT public.pii_decide_grant(?::bigint, ?::boolean, ?::text)")) {
                ps.setLong(1, grant);
                ps.setBoolean(2, approve);
                ps.setString(3, note == null || note.isBlank() ? null : note.strip());
                ps.execute();
            }
            return null;
        });
    }

    /** pii_revoke_grant(): ends an open grant (its requester giving it up, an approver or an admin). */
    public void revoke(long grant, String note) {
        call(() -> {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT public.pii_revoke_grant(?::bigint, ?::text)")) {
                ps.setLong(1, grant);
                ps.setString(2, note == null || note.isBlank() ? null : note.strip());
                ps.execute();
            }
            return null;
        });
    }

    // --- the auditor's desk ---------------------------------------------------------------------------

    /** The server's time zone: log_timezone, which the server's configuration sets and no session changes. */
    private static final String ZONE = "pg_catalog.current_setting('log_timezone')";

    /** Reveals, counts, grants and the chain head since {@code since} (pii_auditor). */
    public AuditDesk desk(OffsetDateTime since) {
        return call(() -> {
            String zone;
            try (PreparedStatement ps = connection.prepareStatement("SELECT " + ZONE);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                zone = rs.getString(1);
            }
            AuditDesk.Head head = null;
            try (PreparedStatement ps = connection.prepareStatement("SELECT seq, hash FROM public.pii_audit_head()");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    head = new AuditDesk.Head(rs.getLong(1), rs.getString(2));
                }
            }
            List<AuditDesk.Reveal> reveals = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("WITH cat AS (SELECT DISTINCT table_name, dataset"
                    + " FROM public.pii_catalog())"
                    + " SELECT a.id, a.at, a.analyst, COALESCE(g.dataset, (SELECT cat.dataset FROM cat"
                    + " WHERE cat.table_name = a.table_name LIMIT 1)), a.table_name, a.row_key, a.column_name, a.path,"
                    + " a.purpose, a.reason, a.outcome, a.grant_id, a.cells_charged, COALESCE(g.break_glass, false),"
                    + " g.decided_by, (a.at AT TIME ZONE " + ZONE + ")::time NOT BETWEEN ?::time AND ?::time"
                    + " FROM public.pii_access_log a LEFT JOIN public.pii_grants g ON g.id = a.grant_id"
                    + " WHERE a.at >= ? ORDER BY COALESCE(g.break_glass, false) DESC, a.at DESC, a.id DESC LIMIT ?")) {
                ps.setString(1, AuditDesk.WORKDAY_START.toString());
                ps.setString(2, AuditDesk.WORKDAY_END.minusNanos(1000).toString());
                ps.setObject(3, since);
                ps.setInt(4, MAX_REVEALS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reveals.add(new AuditDesk.Reveal(
                                rs.getLong(1),
                                rs.getObject(2, OffsetDateTime.class),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                (Long) rs.getObject(12, Long.class),
                                (Long) rs.getObject(13, Long.class),
                                rs.getBoolean(14),
                                rs.getString(15),
                                rs.getBoolean(16)));
                    }
                }
            }
            List<AuditDesk.ReaderDay> perDay = new ArrayList<>();
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT a.analyst, (a.at AT TIME ZONE " + ZONE + ")::date d,"
                            + " count(*), COALESCE(sum(a.cells_charged), 0) FROM public.pii_access_log a WHERE a.at >= ?"
                            + " GROUP BY 1, 2 ORDER BY 2 DESC, 3 DESC, 1")) {
                ps.setObject(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perDay.add(new AuditDesk.ReaderDay(
                                rs.getString(1), rs.getObject(2, LocalDate.class), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            List<AuditDesk.Count> byPurpose = counts("COALESCE(a.purpose, '(none)')", since);
            List<AuditDesk.Count> byDataset = counts(
                    "COALESCE(g.dataset, (SELECT c.dataset FROM public.pii_catalog() c"
                            + " WHERE c.table_name = a.table_name LIMIT 1), a.table_name)",
                    since);
            List<AuditDesk.GrantUse> grants = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(GRANT_SELECT
                    + ", (SELECT min(c.at) FROM public.pii_audit_chain c WHERE c.event = 'budget-80' AND c.ref = g.id),"
                    + " (SELECT min(c.at) FROM public.pii_audit_chain c WHERE c.event = 'budget-100' AND c.ref = g.id)"
                    + " FROM public.pii_grants g WHERE g.requested_at >= ? OR (" + Grant.State.sql("g")
                    + ") IN ('pending', 'active', 'used up') ORDER BY g.break_glass DESC, g.id DESC")) {
                ps.setObject(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        grants.add(new AuditDesk.GrantUse(
                                grant(rs, 1),
                                rs.getObject(GRANT_COLUMNS + 1, OffsetDateTime.class),
                                rs.getObject(GRANT_COLUMNS + 2, OffsetDateTime.class)));
                    }
                }
            }
            return new AuditDesk(since, zone, head, reveals, perDay, byPurpose, byDataset, grants, erasures(since));
        });
    }

    /**
     * The erasure events of the chain since {@code since}, newest first: each with its rows summed per dataset from
     * the event's detail ({"subject_token", "reason", "rows": [{"dataset", "table", "rows"}]}).
     */
    private List<AuditDesk.Erasure> erasures(OffsetDateTime since) throws SQLException {
        record Event(long seq, OffsetDateTime at, String eraser, boolean erased, String token, String reason) {}
        Map<Event, List<AuditDesk.DatasetRows>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.seq, c.at, c.actor, c.event = ?,"
                + " c.detail ->> 'subject_token', c.detail ->> 'reason', r.dataset, r.row_count FROM public.pii_audit_chain c"
                + " LEFT JOIN LATERAL (SELECT e ->> 'dataset' AS dataset, sum((e ->> 'rows')::bigint)::bigint AS row_count"
                + " FROM jsonb_array_elements(CASE jsonb_typeof(c.detail -> 'rows') WHEN 'array' THEN c.detail -> 'rows'"
                + " ELSE '[]'::jsonb END) e GROUP BY 1) r ON true"
                + " WHERE c.event IN (?, ?) AND c.at >= ? ORDER BY c.seq DESC, r.dataset")) {
            ps.setString(1, AuditDesk.Erasure.ERASED);
            ps.setString(2, AuditDesk.Erasure.ERASED);
            ps.setString(3, AuditDesk.Erasure.COUNTED);
            ps.setObject(4, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<AuditDesk.DatasetRows> rows = out.computeIfAbsent(
                            new Event(
                                    rs.getLong(1),
                                    rs.getObject(2, OffsetDateTime.class),
                                    rs.getString(3),
                                    rs.getBoolean(4),
                                    rs.getString(5),
                                    rs.getString(6)),
                            k -> new ArrayList<>());
                    if (rs.getString(7) != null) {
                        rows.add(new AuditDesk.DatasetRows(rs.getString(7), rs.getLong(8)));
                    }
                }
            }
        }
        return out.entrySet().stream()
                .map(e -> new AuditDesk.Erasure(
                        e.getKey().seq(),
                        e.getKey().at(),
                        e.getKey().eraser(),
                        e.getKey().erased(),
                        e.getKey().token(),
                        e.getKey().reason(),
                        e.getValue()))
                .toList();
    }

    /** Most reveals the desk lists (break-glass first, then newest): the counts cover them all. */
    public static final int MAX_REVEALS = 2000;

    private List<AuditDesk.Count> counts(String group, OffsetDateTime since) throws SQLException {
        List<AuditDesk.Count> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + group + ", count(*),"
                        + " COALESCE(sum(a.cells_charged), 0) FROM public.pii_access_log a"
                        + " LEFT JOIN public.pii_grants g ON g.id = a.grant_id WHERE a.at >= ? GROUP BY 1 ORDER BY 2 DESC, 1")) {
            ps.setObject(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditDesk.Count(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    // --- rows ----------------------------------------------------------------------------------------

    private static final String GRANT_SELECT = "SELECT g.id, g.requester, g.purpose, g.dataset, g.columns, g.ticket,"
            + " g.reason, g.requested_at, EXTRACT(epoch FROM g.duration)::bigint, g.cell_budget, g.cells_used,"
            + " g.break_glass, " + Grant.State.sql("g") + ", g.decided_by, g.decided_at, g.decision_note, g.expires_at,"
            + " CASE WHEN g.expires_at IS NOT NULL THEN GREATEST(0, pg_catalog.ceil(EXTRACT(epoch FROM"
            + " g.expires_at - pg_catalog.clock_timestamp())))::bigint END, g.revoked_by";
    private static final int GRANT_COLUMNS = 19;

    private static Grant grant(ResultSet rs, int i) throws SQLException {
        Array cols = rs.getArray(i + 4);
        List<String> columns = cols == null ? List.of() : Arrays.asList((String[]) cols.getArray());
        return new Grant(
                rs.getLong(i),
                rs.getString(i + 1),
                rs.getString(i + 2),
                rs.getString(i + 3),
                List.copyOf(columns),
                rs.getString(i + 5),
                rs.getString(i + 6),
                rs.getObject(i + 7, OffsetDateTime.class),
                Duration.ofSeconds(rs.getLong(i + 8)),
                rs.getInt(i + 9),
                rs.getLong(i + 10),
                rs.getBoolean(i + 11),
                Grant.State.of(rs.getString(i + 12)),
                rs.getString(i + 13),
                rs.getObject(i + 14, OffsetDateTime.class),
                rs.getString(i + 15),
                rs.getObject(i + 16, OffsetDateTime.class),
                (Long) rs.getObject(i + 17, Long.class),
                rs.getString(i + 18));
    }

    private void setColumns(PreparedStatement ps, int i, List<String> columns) throws SQLException {
        if (columns == null || columns.isEmpty()) {
            ps.setNull(i, Types.ARRAY);
        } else {
            ps.setArray(i, connection.createArrayOf("text", columns.toArray()));
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether {@code relation} exists and this login may SELECT from it. */
    private boolean readable(String relation) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT CASE WHEN pg_catalog.to_regclass(?::text) IS NULL"
                        + " THEN false ELSE pg_catalog.has_table_privilege(?::text, 'SELECT') END")) {
            ps.setString(1, relation);
            ps.setString(2, relation);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T call(Sql<T> sql) {
        try {
            return sql.run();
        } catch (SQLException e) {
            throw DbErrors.governance(e);
        }
    }
}
