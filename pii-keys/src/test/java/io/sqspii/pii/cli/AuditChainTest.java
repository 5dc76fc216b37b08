package io.sqspii.pii.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pii.audit.AuditChain;
import io.sqspii.pii.audit.AuditChain.Head;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit chain against a database superuser: reveals, grants, outcomes and a break-glass written through the
 * functions of roles.sql, then one row at a time altered, deleted, moved or cut off (as superuser, each in a
 * transaction rolled back afterwards); `pii-keys audit verify` finds each and names the row. An intact chain verifies.
 */
class AuditChainTest {
    static CatalogDb db;
    static String reader;
    static String approver;
    static String auditor;
    static String service;
    static String admin;

    @BeforeAll
    static void setUp() throws SQLException {
        db = new CatalogDb("user_logins", "orders");
        reader = db.createLogin("pii_reader");
        approver = db.createLogin("pii_approver");
        auditor = db.createLogin("pii_auditor");
        service = db.createLogin("pii_reveal_service");
        admin = db.createLogin("pii_admin");
        db.insert("orders", 3, (col, plaintext) -> "ct-" + plaintext);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO pii_purposes (code, description, max_cells, max_duration) "
                    + "VALUES ('case-work', 'a case', 100, interval '1 day')");
            s.execute("INSERT INTO pii_purpose_columns VALUES ('case-work', 'orders', '*')");
        }
        long grant = scalar(
                reader,
                "SELECT pii_request_grant('orders', NULL, 'case-work', interval '1 hour', 'T-1', "
                        + "'customer asks')");
        as(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ok')");
        for (String key : List.of("m-000000", "m-000001", "m-000002")) {
            long audit = scalar(
                    reader,
                    "SELECT audit_id FROM pii_reveal('orders', '" + key + "', "
                            + "'masked_customer_email', NULL, 'case-work', 'T-1')");
            as(service, "SELECT pii_reveal_outcome(" + audit + ", '" + reader + "', true, NULL)");
        }
        scalar(reader, "SELECT pii_break_glass('orders', NULL, 'incident INC-7, customer locked out')");
        scalar(
                reader,
                "SELECT audit_id FROM pii_reveal('orders', 'm-000001', 'masked_customer_name', NULL, "
                        + "'break-glass', 'INC-7')");
        as(approver, "SELECT pii_revoke_grant(" + grant + ", 'case closed')");
        // last: an event no other table mirrors, so that only a published head shows it cut off
        as(
                admin,
                "SELECT pii_define_purpose('fraud-review', 'fraud review', ARRAY['orders.*'], 50, "
                        + "interval '4 hours', true)");
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close(); // and its logins
    }

    @Test
    void anIntactChainVerifiesAndTheCommandPrintsItsHead() throws SQLException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = PiiKeys.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "audit",
                "verify",
                "--db-url",
                db.url,
                "--db-user",
                auditor);
        assertThat(rc).as(err.toString()).isZero();
        Head head = head();
        assertThat(out.toString())
                .contains("audit chain intact")
                .contains("head seq " + head.seq())
                .contains(head.sha256());
        // the chain holds every kind of event the setup made
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT string_agg(DISTINCT event, ',' ORDER BY event) FROM pii_audit_chain")) {
            rs.next();
            assertThat(rs.getString(1).split(","))
                    .contains(
                            "chain-start",
                            "grant-requested",
                            "grant-approved",
                            "reveal",
                            "outcome",
                            "break-glass",
                            "grant-revoked",
                            "purpose-defined");
        }
        rc = PiiKeys.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "audit",
                "verify",
                "--db-url",
                db.url,
                "--db-user",
                auditor,
                "--head",
                head.seq() + ":" + head.sha256());
        assertThat(rc).as(err.toString()).isZero();
    }

    @Test
    void anAlteredChainRowIsNamed() throws SQLException {
        assertBroken(
                "UPDATE pii_audit_chain SET detail = detail || '{\"reason\": \"routine\"}' "
                        + "WHERE seq = (SELECT min(seq) FROM pii_audit_chain WHERE event = 'reveal')",
                "chain row " + seqOf("reveal") + " (reveal) does not match its hash");
    }

    @Test
    void aDeletedChainRowIsNamed() throws SQLException {
        long seq = seqOf("grant-approved");
        assertBroken("DELETE FROM pii_audit_chain WHERE seq = " + seq, "rows " + seq + ".." + seq + " are missing");
    }

    @Test
    void aDeletedChainRowWithTheRestRenumberedIsNamed() throws SQLException {
        long seq = seqOf("grant-approved");
        assertBroken(
                "DELETE FROM pii_audit_chain WHERE seq = " + seq + "; UPDATE pii_audit_chain SET seq = seq - 1 "
                        + "WHERE seq > " + seq,
                "chain row " + seq + " does not link to row " + (seq - 1));
    }

    @Test
    void twoChainRowsSwappedAreNamed() throws SQLException {
        long seq = seqOf("break-glass");
        assertBroken(
                "UPDATE pii_audit_chain SET seq = -1 WHERE seq = " + seq + "; UPDATE pii_audit_chain SET seq = "
                        + seq + " WHERE seq = " + (seq + 1) + "; UPDATE pii_audit_chain SET seq = " + (seq + 1)
                        + " WHERE seq = -1",
                "chain row " + seq + " does not link to row " + (seq - 1));
    }

    @Test
    void anAlteredAuditRowIsNamed() throws SQLException {
        long id = firstAuditRow();
        assertBroken(
                "UPDATE pii_access_log SET reason = 'routine check' WHERE id = " + id,
                "audit row " + id + " differs from what the chain recorded of it");
        assertBroken(
                "UPDATE pii_access_log SET outcome = 'failed', failure = 'x' WHERE id = " + id,
                "audit row " + id + " has an outcome the chain did not record");
    }

    @Test
    void aDeletedAuditRowIsNamed() throws SQLException {
        long id = firstAuditRow();
        assertBroken("DELETE FROM pii_access_log WHERE id = " + id, "audit row " + id + " is in the chain but not");
    }

    @Test
    void anAuditRowWrittenBehindTheFunctionsIsNamed() throws SQLException {
        assertBroken(
                "INSERT INTO pii_access_log (analyst, at, reason, outcome) VALUES ('someone', now(), 'x', 'revealed')",
                "is not in the chain");
    }

    @Test
    void aGrantWidenedOrRefilledBehindTheFunctionsIsNamed() throws SQLException {
        assertBroken(
                "UPDATE pii_grants SET cell_budget = 100000 WHERE NOT break_glass",
                "differs from its last state in the chain");
        assertBroken("UPDATE pii_grants SET cells_used = 0 WHERE break_glass", "cells used, its audit rows charged");
    }

    @Test
    void rowsCutOffTheEndOrAChainRewrittenWholeShowOnlyAgainstAPublishedHead() throws SQLException {
        Head head = head();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM pii_audit_chain WHERE seq = " + head.seq());
            }
            // without a head the shortened chain is consistent in itself
            assertThat(AuditChain.verify(c, List.of()).broken()).isEmpty();
            assertThat(AuditChain.verify(c, List.of(head)).broken())
                    .get()
                    .asString()
                    .contains("published head " + head.seq() + " is past the chain's last row " + (head.seq() - 1));
            c.rollback();
        }
    }

    /** Runs the tampering as superuser in a transaction, checks the verifier names it, rolls it back. */
    private static void assertBroken(String tamper, String expected) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertThat(AuditChain.verify(c, List.of(head())).broken())
                    .as("before tampering")
                    .isEmpty();
            try (Statement s = c.createStatement()) {
                s.execute(tamper);
            }
            assertThat(AuditChain.verify(c, List.of()).broken())
                    .as(tamper)
                    .get()
                    .asString()
                    .contains(expected);
            c.rollback();
        }
    }

    private static Head head() throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, hash FROM pii_audit_head()")) {
            rs.next();
            return new Head(rs.getLong(1), rs.getString(2));
        }
    }

    private static long seqOf(String event) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT min(seq) FROM pii_audit_chain WHERE event = '" + event + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long firstAuditRow() throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT min(id) FROM pii_access_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long scalar(String login, String sql) throws SQLException {
        try (Connection c = connectAs(login);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void as(String login, String sql) throws SQLException {
        try (Connection c = connectAs(login);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connectAs(String login) throws SQLException {
        return db.connectAs(login);
    }
}
