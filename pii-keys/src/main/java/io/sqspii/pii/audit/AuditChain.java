package io.sqspii.pii.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the audit chain (pii_audit_chain, connect-config/sql/schema.sql) of a database, with no trust in the
 * database's own functions: every row's hash is recomputed here from its fields — sha256(prev_hash ||
 * "seq|at in epoch microseconds|len:actor|len:event|ref|detail") — and linked to the row before; then the audit
 * log and the grants are held to what the chain recorded of them (each audit row and grant written since the
 * chain started has its chain rows, with the same fields; a grant's cells used are what its reveals charged);
 * and the chain is held to heads published outside the database. Reports the first broken row.
 */
public final class AuditChain {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] GENESIS = new byte[32];

    /** A head published outside the database: chain row {@code seq} had hash {@code sha256} (hex). */
    public record Head(long seq, String sha256) {
        public static Head parse(String s) {
            String[] p = s.split(":", 2);
            if (p.length != 2 || !p[0].matches("[1-9][0-9]{0,18}") || !p[1].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("a head is SEQ:SHA256 as the reveal service logs it "
                        + "(audit chain head: seq 42 sha256 9f…), e.g. 42:9f86d0…");
            }
            return new Head(Long.parseLong(p[0]), p[1].toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What a check found: the rows checked, the chain's last row, and the first problem (empty if intact). */
    public record Result(long rows, Head last, Optional<String> broken) {}

    private AuditChain() {}

    /** Checks the chain of {@code c}'s database (a login that may read the log, the chain and the grants). */
    public static Result verify(Connection c, List<Head> published) throws SQLException {
        try (Statement s = c.createStatement()) {
            // the details were rendered in UTC (roles.sql's pii_access_detail and pii_grant_detail)
            s.execute("SET TimeZone = 'UTC'");
        }
        Map<Long, String> hashes = new HashMap<>();
        Map<Long, JsonNode> revealed = new HashMap<>();
        Map<Long, JsonNode> outcomes = new HashMap<>();
        Map<Long, JsonNode> grants = new HashMap<>();
        long auditStart = 0;
        long grantStart = 0;
        long rows = 0;
        Head last = null;
        byte[] prev = GENESIS;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, (EXTRACT(epoch FROM at) * 1000000)::bigint, actor, "
                + "event, ref, detail::text, prev_hash, hash FROM public.pii_audit_chain ORDER BY seq")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String actor = rs.getString(3);
                    String event = rs.getString(4);
                    long refValue = rs.getLong(5);
                    Long ref = rs.wasNull() ? null : refValue;
                    String detail = rs.getString(6);
                    byte[] prevHash = rs.getBytes(7);
                    byte[] hash = rs.getBytes(8);
                    if (seq != rows + 1) {
                        return broken(
                                rows,
                                last,
                                "chain row " + seq + " follows row " + rows + ": "
                                        + (seq > rows + 1
                                                ? "rows " + (rows + 1) + ".." + (seq - 1) + " are missing"
                                                : "out of order"));
                    }
                    if (!MessageDigest.isEqual(prevHash, prev)) {
                        return broken(
                                rows,
                                last,
                                "chain row " + seq + " does not link to row " + (seq - 1)
                                        + " (its prev_hash is not that row's hash): a row before it was altered, removed or moved");
                    }
                    String text = seq + "|" + rs.getLong(2) + "|" + length(actor) + ":" + actor + "|" + length(event)
                            + ":" + event + "|" + (ref == null ? "" : ref) + "|" + detail;
                    byte[] expected = sha256(prevHash, text.getBytes(StandardCharsets.UTF_8));
                    if (!MessageDigest.isEqual(hash, expected)) {
                        return broken(
                                rows,
                                last,
                                "chain row " + seq + " (" + event + ") does not match its hash: its fields "
                                        + "were altered");
                    }
                    prev = hash;
                    rows = seq;
                    last = new Head(seq, HexFormat.of().formatHex(hash));
                    hashes.put(seq, last.sha256());
                    JsonNode d = parse(detail);
                    switch (event) {
                        case "chain-start" -> {
                            auditStart = d.path("unchained_audit_rows_up_to").asLong();
                            grantStart = d.path("unchained_grants_up_to").asLong();
                        }
                        case "reveal" -> {
                            if (revealed.put(ref, d) != null) {
                                return broken(
                                        rows,
                                        last,
                                        "chain row " + seq + " records audit row " + ref + " a second time");
                            }
                        }
                        case "outcome" -> outcomes.put(ref, d);
                        case "grant-requested",
                                "grant-opened",
                                "grant-approved",
                                "grant-rejected",
                                "grant-revoked",
                                "break-glass" -> grants.put(ref, d);
                        default -> {
                            // purposes, budget thresholds, erasures: chained, nothing in another table to hold to them
                        }
                    }
                }
            }
        }
        for (Head h : published) {
            String at = hashes.get(h.seq());
            if (at == null) {
                return broken(
                        rows,
                        last,
                        "the published head " + h.seq() + " is past the chain's last row " + rows
                                + ": rows were cut off its end");
            }
            if (!at.equals(h.sha256())) {
                return broken(
                        rows,
                        last,
                        "chain row " + h.seq() + " is not the row published as the head then: the "
                                + "chain was rewritten up to it");
            }
        }
        Optional<String> log = checkAuditLog(c, auditStart, revealed, outcomes);
        if (log.isPresent()) {
            return new Result(rows, last, log);
        }
        return new Result(rows, last, checkGrants(c, grantStart, grants));
    }

    private static Optional<String> checkAuditLog(
            Connection c, long start, Map<Long, JsonNode> revealed, Map<Long, JsonNode> outcomes) throws SQLException {
        Map<Long, JsonNode> rows = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT a.id, (pg_catalog.to_jsonb(a) - 'outcome' - 'failure')::text, "
                        + "a.outcome, a.failure FROM public.pii_access_log a WHERE a.id > ? ORDER BY a.id")) {
            ps.setLong(1, start);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    JsonNode recorded = revealed.get(id);
                    if (recorded == null) {
                        return Optional.of("audit row " + id + " is not in the chain: it was added behind the reveal "
                                + "function's back");
                    }
                    ObjectNode fields = ((ObjectNode) recorded.deepCopy());
                    fields.remove("break_glass");
                    if (!fields.equals(parse(rs.getString(2)))) {
                        return Optional.of("audit row " + id + " differs from what the chain recorded of it: altered");
                    }
                    String outcome = rs.getString(3);
                    JsonNode settled = outcomes.get(id);
                    if (!"pending".equals(outcome)
                            && (settled == null
                                    || !settled.path("outcome").asText().equals(outcome)
                                    || !settled.path("failure")
                                            .asText("")
                                            .equals(rs.getString(4) == null ? "" : rs.getString(4)))) {
                        return Optional.of("audit row " + id + " has an outcome the chain did not record: altered");
                    }
                    rows.put(id, fields);
                }
            }
        }
        for (Long id : revealed.keySet()) {
            if (!rows.containsKey(id)) {
                return Optional.of("audit row " + id + " is in the chain but not in pii_access_log: deleted");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkGrants(Connection c, long start, Map<Long, JsonNode> chained)
            throws SQLException {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT g.id, (pg_catalog.to_jsonb(g) - 'cells_used')::text, "
                + "g.cells_used, (SELECT COALESCE(pg_catalog.sum(a.cells_charged), 0) FROM public.pii_access_log a "
                + "WHERE a.grant_id = g.id) FROM public.pii_grants g WHERE g.id > ? ORDER BY g.id")) {
            ps.setLong(1, start);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    JsonNode recorded = chained.get(id);
                    if (recorded == null) {
                        return Optional.of("grant " + id + " is not in the chain: it was added behind the grant "
                                + "functions' back");
                    }
                    if (!recorded.equals(parse(rs.getString(2)))) {
                        return Optional.of("grant " + id + " differs from its last state in the chain: altered");
                    }
                    if (rs.getLong(3) != rs.getLong(4)) {
                        return Optional.of("grant " + id + " says " + rs.getLong(3)
                                + " cells used, its audit rows charged " + rs.getLong(4));
                    }
                    seen.add(id);
                }
            }
        }
        for (Long id : chained.keySet()) {
            if (!seen.contains(id)) {
                return Optional.of("grant " + id + " is in the chain but not in pii_grants: deleted");
            }
        }
        return Optional.empty();
    }

    private static Result broken(long rows, Head last, String why) {
        return new Result(rows, last, Optional.of(why));
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable jsonb from the database", e);
        }
    }

    private static byte[] sha256(byte[] prev, byte[] text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prev);
            return d.digest(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
