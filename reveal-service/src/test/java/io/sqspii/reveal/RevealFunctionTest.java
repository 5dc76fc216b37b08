package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database enforces who may reveal and writes the audit itself: pii_reveal() called over JDBC, no service. */
class RevealFunctionTest {
    @TempDir
    static Path dir;
    static RevealTestDb db;
    static TestKeys keys;
    static String reader;
    static String otherReader;
    static String analyst;
    static String auditor;
    static String nobody;

    @BeforeAll
    static void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        reader = db.createLogin("pii_reader");
        otherReader = db.createLogin("pii_reader");
        analyst = db.createLogin("analyst");
        auditor = db.createLogin("pii_auditor");
        nobody = db.createLogin();
        db.insertLogin("m-1", keys.ip("10.1.2.3"), keys.deviceId("593-47-5928"));
        db.insertLogin("m-null", null, keys.deviceId("111-11-1111"));
        db.insertRejected("r-1", keys.body("{\"ip\":\"10.9.9.9\"}"));
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    static String stateOf(SQLException e) {
        return e == null ? "no error" : e.getSQLState();
    }

    private static SQLException revealAs(String login, String table, String rowKey, String column, String reason) {
        return catchThrowableOfType(SQLException.class, () -> reveal(login, table, rowKey, column, reason));
    }

    private static List<Map<String, Object>> reveal(String login, String table, String rowKey, String column, String reason)
            throws SQLException {
        try (Connection c = db.connectAs(login);
             PreparedStatement ps = c.prepareStatement("SELECT * FROM public.pii_reveal(?::text, ?::text, ?::text, ?::text)")) {
            ps.setString(1, table);
            ps.setString(2, rowKey);
            ps.setString(3, column);
            ps.setString(4, reason);
            return RevealTestDb.rows(ps);
        }
    }

    @Test
    void aLoginWithoutPiiReaderIsRefusedByTheDatabaseAndNothingIsAudited() throws SQLException {
        long before = db.auditCount();
        for (String login : List.of(analyst, auditor, nobody)) {
            SQLException e = revealAs(login, "user_logins", "m-1", "masked_ip", "ticket 1");
            assertThat(stateOf(e)).as(login).isEqualTo("42501");
            try (Connection c = db.connectAs(login); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(
                         "SELECT has_function_privilege('public.pii_reveal(text,text,text,text)', 'EXECUTE')")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as(login).isFalse();
            }
        }
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void aReadersRevealWritesOneAuditRowWithSessionUserServerTimeAndKeyId() throws SQLException {
        OffsetDateTime t0 = db.serverTime();
        List<Map<String, Object>> out = reveal(reader, "user_logins", "m-1", "masked_ip", "ticket 4711");
        OffsetDateTime t1 = db.serverTime();

        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("ciphertext")).isEqualTo(keys.ip("10.1.2.3"));
        List<Map<String, Object>> audit = db.auditOf(reader);
        Map<String, Object> row = audit.get(audit.size() - 1);
        assertThat(row.get("id")).isEqualTo(out.get(0).get("audit_id"));
        assertThat(row).containsEntry("analyst", reader).containsEntry("table_name", "user_logins")
                .containsEntry("row_key", "m-1").containsEntry("column_name", "masked_ip")
                .containsEntry("reason", "ticket 4711").containsEntry("outcome", "pending")
                .containsEntry("key_id", keys.deterministicKeyId());
        OffsetDateTime at = ((java.sql.Timestamp) row.get("at")).toInstant().atOffset(t0.getOffset());
        assertThat(at).isBetween(t0, t1);
        assertThat(db.auditOf(reader).stream().filter(r -> r.get("id").equals(row.get("id")))).hasSize(1);
    }

    @Test
    void onlyTheThreeEncryptedColumnsAreRevealableAndBadInputIsRefused() throws SQLException {
        long before = db.auditCount();
        assertThat(revealAs(reader, "user_logins", "m-1", "user_id", "t").getSQLState()).isEqualTo("22023");
        assertThat(revealAs(reader, "pii_access_log", "1", "reason", "t").getSQLState()).isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins_rejected", "r-1", "masked_ip", "t").getSQLState()).isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins", "m-1", "masked_ip", "  ").getSQLState()).isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins", "m-1", "masked_ip", "x".repeat(501)).getSQLState()).isEqualTo("22023");
        SQLException missing = revealAs(reader, "user_logins", "no-such-key", "masked_ip", "t");
        assertThat(missing.getSQLState()).isEqualTo("P0002");
        assertThat(missing.getMessage()).contains("no row with key no-such-key in user_logins");
        assertThat(revealAs(reader, "user_logins", "m-null", "masked_ip", "t").getSQLState()).isEqualTo("P0002");
        assertThat(db.auditCount()).isEqualTo(before);

        assertThat(reveal(reader, "user_logins_rejected", "r-1", "encrypted_body", "t").get(0).get("ciphertext"))
                .asString().isNotBlank();
    }

    @Test
    void nobodyButTheOwnerWritesTheAuditLog() throws SQLException {
        reveal(reader, "user_logins", "m-1", "masked_device_id", "seed a row");
        long id = (Long) db.auditOf(reader).get(0).get("id");
        long before = db.auditCount();
        for (String login : List.of(reader, auditor, analyst)) {
            try (Connection c = db.connectAs(login); Statement s = c.createStatement()) {
                for (String sql : List.of(
                        "INSERT INTO pii_access_log (analyst, at, reason) VALUES ('someone_else', now() - interval '1 day', 'forged')",
                        "INSERT INTO pii_access_log (reason) VALUES ('no analyst')",
                        "UPDATE pii_access_log SET analyst = 'someone_else', at = now() - interval '1 day' WHERE id = " + id,
                        "UPDATE pii_access_log SET outcome = 'failed' WHERE id = " + id,
                        "DELETE FROM pii_access_log WHERE id = " + id,
                        "TRUNCATE pii_access_log",
                        "SELECT nextval('pii_access_log_id_seq')")) {
                    SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
                    assertThat(stateOf(e)).as(login + ": " + sql).isEqualTo("42501");
                }
            }
        }
        assertThat(db.auditCount()).isEqualTo(before);
        assertThat(db.auditOf(reader).get(0)).containsEntry("analyst", reader).containsEntry("id", id);
        assertThat(db.auditOf("someone_else")).isEmpty();
    }

    @Test
    void theOutcomeIsSettledOnceAndOnlyByTheServiceLoginForTheAnalystWhoRevealed() throws SQLException {
        String service = db.serviceLogin();
        long id = (Long) reveal(reader, "user_logins", "m-1", "masked_ip", "outcome test").get(0).get("audit_id");
        for (String login : List.of(reader, otherReader, analyst, auditor)) {
            assertThat(outcomeAs(login, id, reader, true, null).getSQLState()).as(login).isEqualTo("42501");
        }
        assertThat(outcomeAs(service, id, otherReader, true, null).getSQLState()).isEqualTo("22023");
        assertThat(outcomeAs(service, id, reader, false, " ").getSQLState()).isEqualTo("22023");
        assertThat(stateOf(outcomeAs(service, id, reader, false, "no key with id 1 loaded for user_logins"))).isEqualTo("no error");
        assertThat(outcomeAs(service, id, reader, true, null).getSQLState()).isEqualTo("22023");
        Map<String, Object> row = db.auditOf(reader).stream().filter(r -> r.get("id").equals(id)).findFirst().orElseThrow();
        assertThat(row).containsEntry("outcome", "failed").containsEntry("failure", "no key with id 1 loaded for user_logins");
    }

    private static SQLException outcomeAs(String login, long id, String analyst, boolean ok, String failure) {
        return catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = db.connectAs(login);
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT public.pii_reveal_outcome(?::bigint, ?::text, ?::boolean, ?::text)")) {
                ps.setLong(1, id);
                ps.setString(2, analyst);
                ps.setBoolean(3, ok);
                ps.setString(4, failure);
                ps.execute();
            }
        });
    }

    @Test
    void rolesKeepLeastPrivilegeAndReapplyingTheSqlChangesNothing() throws SQLException {
        db.execute("GRANT DELETE ON user_logins TO pipeline_writer"); // a privilege an earlier version might have left
        db.applySql();
        db.applySql();
        assertThat(privileges("pipeline_writer", "user_logins")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(privileges("pipeline_writer", "user_logins_rejected")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(updatableColumns("pipeline_writer", "user_logins")).containsExactlyInAnyOrder("user_id", "device_type",
                "masked_ip", "masked_device_id", "locale", "app_version", "create_date");
        assertThat(updatableColumns("pipeline_writer", "user_logins_rejected"))
                .containsExactlyInAnyOrder("error", "encrypted_body", "create_date");
        assertThat(updatableColumns("pii_reencryptor", "user_logins")).containsExactlyInAnyOrder("masked_ip", "masked_device_id");
        assertThat(updatableColumns("pii_reencryptor", "user_logins_rejected")).containsExactly("encrypted_body");
        assertThat(privileges("pii_reveal_service", "user_logins")).isEmpty();
        assertThat(privileges("pii_reveal_service", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_reader", "pii_reveal_limits")).isEmpty();
        assertThat(privileges("pipeline_writer", "pii_access_log")).isEmpty();
        assertThat(privileges("analyst", "user_logins")).containsExactly("SELECT");
        assertThat(privileges("analyst", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_reader", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_auditor", "pii_access_log")).containsExactly("SELECT");
        assertThat(privileges("pii_auditor", "user_logins")).isEmpty();
        try (Statement s = db.connectAs(reader).createStatement();
             ResultSet rs = s.executeQuery("SELECT r.rolcanlogin, pg_get_userbyid(c.relowner), "
                     + "(SELECT bool_and(p.prosecdef AND pg_get_userbyid(p.proowner) = 'pii_audit_owner' "
                     + "AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) FROM pg_proc p "
                     + "WHERE p.proname IN ('pii_reveal', 'pii_reveal_outcome')), "
                     + "has_function_privilege('public', 'public.pii_reveal(text,text,text,text)', 'EXECUTE') "
                     + "FROM pg_roles r, pg_class c WHERE r.rolname = 'pii_audit_owner' AND c.relname = 'pii_access_log'")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("pii_audit_owner can log in").isFalse();
            assertThat(rs.getString(2)).isEqualTo("pii_audit_owner");
            assertThat(rs.getBoolean(3)).as("SECURITY DEFINER, owner, fixed search_path").isTrue();
            assertThat(rs.getBoolean(4)).as("PUBLIC may execute pii_reveal").isFalse();
        }
        assertThat(reveal(reader, "user_logins", "m-1", "masked_ip", "after re-apply")).hasSize(1);
    }

    private static List<String> updatableColumns(String role, String table) throws SQLException {
        try (Connection c = db.connectAs(reader);
             PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass "
                     + "AND attnum > 0 AND NOT attisdropped AND has_column_privilege(?, attrelid, attnum, 'UPDATE')")) {
            ps.setString(1, "public." + table);
            ps.setString(2, role);
            return RevealTestDb.rows(ps).stream().map(r -> (String) r.get("attname")).toList();
        }
    }

    private static List<String> privileges(String role, String table) throws SQLException {
        try (Connection c = db.connectAs(reader);
             PreparedStatement ps = c.prepareStatement("SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE',"
                     + "'TRUNCATE','REFERENCES','TRIGGER']) p WHERE has_table_privilege(?, ?, p)")) {
            ps.setString(1, role);
            ps.setString(2, "public." + table);
            return RevealTestDb.rows(ps).stream().map(r -> (String) r.get("p")).toList();
        }
    }
}
