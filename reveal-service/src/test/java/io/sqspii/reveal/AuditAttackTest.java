package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the audit and the stored ciphertexts straight over JDBC, as a reader (or the sink's login) in psql
 * would make them: no service in the way. A fresh database per test, so budgets and settings do not leak.
 */
class AuditAttackTest {
    @TempDir
    Path dir;

    RevealTestDb db;
    TestKeys keys;
    String reader;
    String service;
    String writer;

    @BeforeEach
    void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        reader = db.createLogin("pii_reader");
        service = db.createLogin("pii_reveal_service");
        writer = db.createLogin("pipeline_writer");
        db.insertLogin("m-a", keys.ip("10.0.0.1"), keys.deviceId("dev-a"));
        db.insertLogin("m-b", keys.ip("10.0.0.2"), keys.deviceId("dev-b"));
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private static String stateOf(SQLException e) {
        return e == null ? "no error" : e.getSQLState();
    }

    private static SQLException failureOf(Connection c, String sql) {
        return catchThrowableOfType(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        });
    }

    private static long reveal(Connection c, String rowKey, String column, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT audit_id FROM public.pii_reveal('user_logins'::text, ?::text, ?::text, NULL::text, 'tests'::text, ?::text)")) {
            ps.setString(1, rowKey);
            ps.setString(2, column);
            ps.setString(3, reason);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private SQLException revealFails(String login, String rowKey, String reason) {
        return catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = db.connectAs(login)) {
                reveal(c, rowKey, "masked_ip", reason);
            }
        });
    }

    // U1 --------------------------------------------------------------------------------------------------

    @Test
    void aReaderCannotPlantAVarcharOverloadOfPiiRevealEvenOnAClusterWherePublicMayCreate() throws SQLException {
        db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC"); // PG <= 14, or a cluster upgraded from it
        db.applySql();
        try (Connection c = db.connectAs(reader)) {
            SQLException e = failureOf(
                    c,
                    "CREATE FUNCTION public.pii_reveal(varchar, varchar, varchar, varchar, varchar) "
                            + "RETURNS TABLE (audit_id bigint, ciphertext text) LANGUAGE sql "
                            + "AS $$ SELECT 1::bigint, masked_ip FROM public.user_logins LIMIT 1 $$");
            assertThat(stateOf(e)).isEqualTo("42501");
            assertThat(stateOf(failureOf(c, "CREATE TABLE public.planted (x int)")))
                    .isEqualTo("42501");
        }
        try (Connection c = db.connectAs(reader);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_proc WHERE proname = 'pii_reveal'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    // B9 --------------------------------------------------------------------------------------------------

    @Test
    void aReaderSettlingItsOwnRevealAsRevealedIsPermissionDenied() throws SQLException {
        long id;
        try (Connection c = db.connectAs(reader)) {
            id = reveal(c, "m-a", "masked_ip", "ticket 1");
            // the 3-argument outcome of earlier versions is gone, the service's one is not the reader's
            assertThat(stateOf(failureOf(c, "SELECT public.pii_reveal_outcome(" + id + ", true, NULL)")))
                    .isNotEqualTo("no error");
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT public.pii_reveal_outcome(" + id + "::bigint, '" + reader
                                    + "'::text, true, NULL::text)")))
                    .isEqualTo("42501");
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT public.pii_reveal_outcome(" + id + "::bigint, '" + reader
                                    + "'::text, false, 'no key with id 1 loaded for user_logins'::text)")))
                    .isEqualTo("42501");
        }
        assertThat(db.auditOf(reader))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("outcome", "pending"));
    }

    @Test
    void aReaderAlsoGrantedTheServiceRoleStillCannotSettleItsOwnReveal() throws SQLException {
        String both = db.createLogin("pii_reader", "pii_reveal_service");
        try (Connection c = db.connectAs(both)) {
            long id = reveal(c, "m-a", "masked_ip", "ticket 1");
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT public.pii_reveal_outcome(" + id + "::bigint, '" + both
                                    + "'::text, true, NULL::text)")))
                    .isEqualTo("42501");
        }
        assertThat(db.auditOf(both))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("outcome", "pending"));
    }

    @Test
    void aReasonCarryingControlOrBidiOverrideCharactersIsRefusedAndNotAudited() throws SQLException {
        for (String reason : List.of(
                "ok\u202Eevil",
                "ticket 1\n2026-12-01 alice revealed nothing",
                "tab\tseparated",
                "\u2066isolate\u2069",
                "next line\u0085",
                "bell\u0007",
                "del\u007F",
                "x".repeat(501))) {
            assertThat(stateOf(revealFails(reader, "m-a", reason))).as(reason).isEqualTo("22023");
        }
        assertThat(db.auditOf(reader)).isEmpty();
        try (Connection c = db.connectAs(reader)) {
            reveal(c, "m-a", "masked_ip", "ticket 4711 (Zoë, Ärger, 日本)");
        }
        assertThat(db.auditOf(reader)).hasSize(1);
    }

    @Test
    void aFailureTextCarryingControlCharactersIsRefusedEvenFromTheService() throws SQLException {
        long id;
        try (Connection c = db.connectAs(reader)) {
            id = reveal(c, "m-a", "masked_ip", "ticket 1");
        }
        try (Connection c = db.connectAs(service)) {
            for (String failure : List.of("no key\u202E", "line\nforged", "x".repeat(501))) {
                assertThat(stateOf(failureOf(
                                c,
                                "SELECT public.pii_reveal_outcome(" + id + "::bigint, '" + reader + "'::text, false, E'"
                                        + failure.replace("\n", "\\n") + "'::text)")))
                        .as(failure)
                        .isEqualTo("22023");
            }
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT public.pii_reveal_outcome(" + id + "::bigint, 'someone_else'::text, "
                                    + "true, NULL::text)")))
                    .as("another analyst's row")
                    .isEqualTo("22023");
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT public.pii_reveal_outcome(" + id + "::bigint, '" + reader
                                    + "'::text, true, NULL::text)")))
                    .isEqualTo("no error");
        }
        assertThat(db.auditOf(reader))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("outcome", "revealed"));
    }

    @Test
    void theServiceLoginCannotRevealOrReadTheData() throws SQLException {
        try (Connection c = db.connectAs(service)) {
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT * FROM public.pii_reveal('user_logins'::text, 'm-a'::text, "
                                    + "'masked_ip'::text, NULL::text, 'tests'::text, 'x'::text)")))
                    .isEqualTo("42501");
            assertThat(stateOf(failureOf(c, "SELECT masked_ip FROM public.user_logins")))
                    .isEqualTo("42501");
            assertThat(stateOf(failureOf(c, "SELECT * FROM public.pii_access_log")))
                    .isEqualTo("42501");
        }
    }

    // B13 -------------------------------------------------------------------------------------------------

    @Test
    void aReaderRevealingEveryRowInOneStatementWritesAtMostTheBudgetThenFails() throws SQLException {
        for (int i = 0; i < 30; i++) {
            db.insertLogin("m-flood-" + i, keys.ip("10.1.0." + i), null);
        }
        db.execute("UPDATE pii_reveal_limits SET cells_per_minute = 10");
        try (Connection c = db.connectAs(reader)) {
            SQLException e = failureOf(
                    c,
                    "SELECT public.pii_reveal('user_logins', message_id, 'masked_ip', NULL, 'tests', 'flood') "
                            + "FROM public.user_logins");
            assertThat(stateOf(e)).isEqualTo("53400");
            assertThat(e.getMessage()).contains("10 cells per minute");
        }
        assertThat(db.auditOf(reader)).hasSizeLessThanOrEqualTo(10);

        int passed = 0;
        SQLException refused = null;
        try (Connection c = db.connectAs(reader)) {
            for (int i = 0; i < 30 && refused == null; i++) {
                try {
                    reveal(c, "m-flood-" + i, "masked_ip", "one by one");
                    passed++;
                } catch (SQLException e) {
                    refused = e;
                }
            }
        }
        assertThat(passed).isEqualTo(10);
        assertThat(stateOf(refused)).isEqualTo("53400");
        assertThat(db.auditOf(reader)).hasSize(10);
        assertThat(stateOf(revealFails(db.createLogin("pii_reader"), "m-a", "another login")))
                .as("other logins")
                .isEqualTo("no error");
    }

    @Test
    void twoConcurrentTransactionsOfOneLoginCannotBothSpendTheBudget() throws Exception {
        db.execute("UPDATE pii_reveal_limits SET cells_per_minute = 3");
        try (Connection first = db.connectAs(reader);
                Connection second = db.connectAs(reader)) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                reveal(first, "m-a", "masked_ip", "replica 1");
            }
            // the second replica's transaction waits for the first one's lock, then counts its committed rows
            CompletableFuture<SQLException> other = CompletableFuture.supplyAsync(() ->
                    catchThrowableOfType(SQLException.class, () -> reveal(second, "m-b", "masked_ip", "replica 2")));
            Thread.sleep(500);
            assertThat(other).isNotDone();
            first.commit();
            assertThat(stateOf(other.get(30, TimeUnit.SECONDS))).isEqualTo("53400");
            second.rollback();
        }
        assertThat(db.auditOf(reader)).hasSize(3);
    }

    @Test
    void aRepeatableReadSnapshotCannotHideSpentBudget() throws SQLException {
        try (Connection c = db.connectAs(reader)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(stateOf(catchThrowableOfType(SQLException.class, () -> reveal(c, "m-a", "masked_ip", "rr"))))
                    .isEqualTo("25000");
            c.rollback();
        }
        assertThat(db.auditOf(reader)).isEmpty();
    }

    // B14 -------------------------------------------------------------------------------------------------

    @Test
    void aReaderWhoTurnedSynchronousCommitOffStillCommitsItsAuditRowsSynchronously() throws SQLException {
        try (Connection c = db.connectAs(reader);
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + reader + " SET synchronous_commit = off"); // ordinary roles may do this
        }
        try (Connection c = db.connectAs(reader);
                Statement s = c.createStatement()) {
            assertThat(setting(s)).isEqualTo("off");
            c.setAutoCommit(false);
            reveal(c, "m-a", "masked_ip", "durable");
            // the commit below reads synchronous_commit as it is now, after pii_reveal
            assertThat(setting(s)).isEqualTo("on");
            c.commit();
            assertThat(setting(s)).as("only for that transaction").isEqualTo("off");
        }
    }

    private static String setting(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_commit')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    // B4 --------------------------------------------------------------------------------------------------

    @Test
    void theSinkLoginSwappingTwoRowsCiphertextsOrRewritingARowKeyChangesNothing() throws SQLException {
        String a = keys.ip("10.0.0.1");
        String b = keys.ip("10.0.0.2");
        try (Connection c = db.connectAs(writer)) {
            assertThat(stateOf(failureOf(
                            c,
                            "UPDATE user_logins SET masked_ip = (SELECT masked_ip FROM user_logins "
                                    + "WHERE message_id = 'm-a') WHERE message_id = 'm-b'")))
                    .isEqualTo("no error");
            assertThat(stateOf(failureOf(
                            c,
                            "UPDATE user_logins SET masked_ip = NULL, masked_device_id = NULL "
                                    + "WHERE message_id = 'm-a'")))
                    .isEqualTo("no error");
            assertThat(stateOf(failureOf(c, "UPDATE user_logins SET message_id = 'm-x' WHERE message_id = 'm-b'")))
                    .isEqualTo("42501");
            assertThat(
                            stateOf(
                                    failureOf(
                                            c,
                                            "INSERT INTO user_logins (message_id, user_id, masked_ip, create_date) "
                                                    + "VALUES ('m-a', 'u', 'forged', now()) ON CONFLICT (message_id) DO UPDATE SET message_id = 'm-y'")))
                    .isEqualTo("42501");
        }
        try (Connection c = db.connectAs(reader);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT ciphertext FROM public.pii_reveal('user_logins', 'm-b', 'masked_ip', NULL, 'tests', 't')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(b);
        }
        assertThat(storedIp("m-a")).isEqualTo(a);
        assertThat(storedIp("m-b")).isEqualTo(b);
        assertThat(storedIp("m-x")).isNull();
    }

    @Test
    void theSinksUpsertOfARedeliveryStillWorksAndKeepsTheFirstCiphertext() throws SQLException {
        db.insertRejected("r-1", keys.body("{not json"));
        String first = storedBody("r-1");
        try (Connection c = db.connectAs(writer);
                Statement s = c.createStatement()) {
            // what the Debezium JDBC sink sends for PostgreSQL: every non-key column from EXCLUDED
            s.execute(
                    "INSERT INTO user_logins (message_id, user_id, device_type, masked_ip, masked_device_id, locale, "
                            + "app_version, create_date) VALUES ('m-a', 'u-m-a', 'ios', '" + keys.ip("10.0.0.9")
                            + "', '"
                            + keys.deviceId("dev-9") + "', 'DE', "
                            + "'2.4.0', now()) ON CONFLICT (message_id) DO UPDATE SET user_id = EXCLUDED.user_id, device_type = "
                            + "EXCLUDED.device_type, masked_ip = EXCLUDED.masked_ip, masked_device_id = EXCLUDED.masked_device_id, "
                            + "locale = EXCLUDED.locale, app_version = EXCLUDED.app_version, create_date = EXCLUDED.create_date");
            s.execute(
                    "INSERT INTO user_logins_rejected (message_id, error, encrypted_body, create_date) VALUES ('r-1', "
                            + "'not JSON', '" + keys.body("{not json")
                            + "', now()) ON CONFLICT (message_id) DO UPDATE SET "
                            + "error = EXCLUDED.error, encrypted_body = EXCLUDED.encrypted_body, create_date = EXCLUDED.create_date");
            s.execute("INSERT INTO user_logins (message_id, user_id, device_type, masked_ip, masked_device_id, "
                    + "app_version, create_date) VALUES ('m-new', 'u', 'ios', '" + keys.ip("10.0.0.3") + "', '"
                    + keys.deviceId("dev-3") + "', '2.4.0', now()) ON CONFLICT (message_id) DO UPDATE SET masked_ip = "
                    + "EXCLUDED.masked_ip");
        }
        assertThat(storedIp("m-a")).isEqualTo(keys.ip("10.0.0.1"));
        assertThat(storedBody("r-1")).isEqualTo(first);
        assertThat(storedIp("m-new")).isEqualTo(keys.ip("10.0.0.3"));
        // a first value may still be written into an empty cell (a nullable PII column: orders' customer phone)
        db.insert("orders", Map.of("message_id", "o-empty"));
        String phone = keys.encrypt(db.column("orders", "masked_customer_phone"), "+15550001111");
        try (Connection c = db.connectAs(writer);
                Statement s = c.createStatement()) {
            s.execute("UPDATE orders SET masked_customer_phone = '" + phone + "' WHERE message_id = 'o-empty'");
        }
        assertThat(stored("orders", "masked_customer_phone", "o-empty")).isEqualTo(phone);
    }

    @Test
    void theReencryptionRoleMayRewriteStoredCiphertexts() throws SQLException {
        String rekey = db.createLogin("pii_reencryptor");
        String rotated = TestKeys.foreignLoginsCipher().encrypt("ip", "10.0.0.1");
        try (Connection c = db.connectAs(rekey)) {
            // what pii-keys reencrypt reads (Reencryption.java): the row count, then pages of key and columns
            for (String sql : List.of(
                    "SELECT count(*) FROM user_logins",
                    "SELECT count(*) FROM user_logins_rejected",
                    "SELECT message_id, masked_ip, masked_device_id FROM user_logins WHERE message_id > '' "
                            + "ORDER BY message_id LIMIT 10",
                    "SELECT message_id, encrypted_body FROM user_logins_rejected ORDER BY message_id LIMIT 10")) {
                assertThat(stateOf(failureOf(c, sql))).as(sql).isEqualTo("no error");
            }
        }
        try (Connection c = db.connectAs(rekey);
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE user_logins SET masked_ip = ? WHERE message_id = ? AND masked_ip = ?")) {
            ps.setString(1, rotated);
            ps.setString(2, "m-a");
            ps.setString(3, keys.ip("10.0.0.1"));
            assertThat(ps.executeUpdate()).isEqualTo(1);
            assertThat(stateOf(failureOf(c, "UPDATE user_logins SET message_id = 'm-z' WHERE message_id = 'm-a'")))
                    .isEqualTo("42501");
            assertThat(stateOf(failureOf(c, "UPDATE user_logins SET user_id = 'someone' WHERE message_id = 'm-a'")))
                    .isEqualTo("42501");
        }
        assertThat(storedIp("m-a")).isEqualTo(rotated);
    }

    private String storedIp(String messageId) throws SQLException {
        return stored("user_logins", "masked_ip", messageId);
    }

    private String storedBody(String messageId) throws SQLException {
        return stored("user_logins_rejected", "encrypted_body", messageId);
    }

    private String stored(String table, String column, String messageId) throws SQLException {
        try (Connection c = db.connectAs(db.createLogin("analyst"));
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE message_id = ?")) {
            ps.setString(1, messageId);
            List<Map<String, Object>> rows = RevealTestDb.rows(ps);
            return rows.isEmpty() ? null : (String) rows.get(0).get(column);
        }
    }

    // Migration ------------------------------------------------------------------------------------------

    @Test
    void applyingOverAnEarlierVersionsDatabaseRemovesWhatItLetReadersAndTheSinkDo() throws SQLException {
        // what main before this change left: the reader's outcome function, UPDATE on every column, CREATE on
        // public (PG <= 14), no budget table, no kept-ciphertext trigger, no sharing columns
        db.execute(
                "CREATE FUNCTION public.pii_reveal_outcome(p_audit_id bigint, p_ok boolean, p_failure text) RETURNS void "
                        + "LANGUAGE sql SECURITY DEFINER AS $$ SELECT $$");
        db.execute("GRANT EXECUTE ON FUNCTION public.pii_reveal_outcome(bigint, boolean, text) TO pii_reader");
        db.execute("GRANT UPDATE ON user_logins, user_logins_rejected TO pipeline_writer");
        db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
        db.execute("DROP TRIGGER pii_keep_ciphertexts ON user_logins");
        db.execute("DROP TABLE pii_reveal_limits");
        db.execute("DROP INDEX pii_access_log_analyst_at_idx");
        db.execute("ALTER TABLE pii_access_log DROP COLUMN rows_sharing, DROP COLUMN ciphertext_sha256");
        db.execute("INSERT INTO pii_access_log (analyst, at, reason, outcome) VALUES ('" + reader
                + "', now(), 'old', 'revealed')");
        // and the reveal function before the catalog: four arguments, its own list of columns
        db.execute("CREATE FUNCTION public.pii_reveal(p_table text, p_row_key text, p_column text, p_reason text) "
                + "RETURNS TABLE (audit_id bigint, ciphertext text) LANGUAGE sql SECURITY DEFINER "
                + "AS $$ SELECT 1::bigint, 'x'::text $$");
        db.execute("GRANT EXECUTE ON FUNCTION public.pii_reveal(text, text, text, text) TO pii_reader");

        db.applySql(); // then each dataset, as a deployment does: its tables' grants and triggers are the definition's
        db.applyDataset(RevealTestDb.DATASETS_DIR.resolve("user_logins"));

        try (Connection c = db.connectAs(reader)) {
            assertThat(stateOf(failureOf(c, "SELECT public.pii_reveal_outcome(1, true, NULL)")))
                    .isEqualTo("42883");
            assertThat(stateOf(failureOf(
                            c,
                            "SELECT * FROM public.pii_reveal('user_logins'::text, 'm-a'::text, "
                                    + "'masked_ip'::text, 'old signature'::text)")))
                    .isEqualTo("42883");
            assertThat(stateOf(failureOf(c, "CREATE TABLE public.planted (x int)")))
                    .isEqualTo("42501");
        }
        try (Connection c = db.connectAs(writer)) {
            assertThat(stateOf(failureOf(c, "UPDATE user_logins SET message_id = 'm-x' WHERE message_id = 'm-a'")))
                    .isEqualTo("42501");
            failureOf(c, "UPDATE user_logins SET masked_ip = 'swapped' WHERE message_id = 'm-a'");
        }
        assertThat(storedIp("m-a")).isEqualTo(keys.ip("10.0.0.1"));
        try (Connection c = db.connectAs(reader)) {
            reveal(c, "m-a", "masked_ip", "after the upgrade");
        }
        assertThat(db.auditOf(reader)).hasSize(2);
        assertThat(db.auditOf(reader).get(1)).containsEntry("rows_sharing", 1L);
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT cells_per_minute FROM pii_reveal_limits")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(60);
        }
    }

    @Test
    void applyingOverTheTableSpecificKeepFunctionsMovesBothTablesToTheOneFunctionAndStillKeepsCiphertexts()
            throws SQLException {
        // what an unreleased branch's roles.sql left: one trigger function per table, with the columns in its body
        db.execute("DROP TRIGGER pii_keep_ciphertexts ON user_logins");
        db.execute("DROP TRIGGER pii_keep_ciphertexts ON user_logins_rejected");
        for (String[] t : new String[][] {
            {"user_logins", "pii_keep_user_logins_ciphertexts"},
            {"user_logins_rejected", "pii_keep_rejected_ciphertexts"}
        }) {
            db.execute("CREATE FUNCTION public." + t[1] + "() RETURNS trigger LANGUAGE plpgsql "
                    + "SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN RETURN NEW; END $fn$");
            db.execute("ALTER FUNCTION public." + t[1] + "() OWNER TO pii_audit_owner");
            db.execute("CREATE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public." + t[0] + " FOR EACH ROW "
                    + "EXECUTE FUNCTION public." + t[1] + "()");
        }
        db.insertRejected("r-1", keys.body("{not json"));
        String body = storedBody("r-1");

        db.applySql(); // then the dataset moves its triggers to the one function; the next start drops the old ones
        db.applyDataset(RevealTestDb.DATASETS_DIR.resolve("user_logins"));
        db.applySql();

        try (Statement s = db.admin().createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT string_agg(p.proname || ':' || pg_get_userbyid(p.proowner) || ':' "
                                + "|| p.prosecdef || ':' || coalesce(p.proacl::text, ''), ',') FROM pg_proc p "
                                + "WHERE p.proname LIKE 'pii_keep%'")) {
            rs.next();
            assertThat(rs.getString(1))
                    .isEqualTo("pii_keep_ciphertexts:pii_audit_owner:false:" + "{pii_audit_owner=X/pii_audit_owner}");
        }
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT string_agg(pg_get_triggerdef(oid), ' | ' ORDER BY tgrelid::regclass::text) "
                                + "FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'user_logins%'")) {
            rs.next();
            assertThat(rs.getString(1))
                    .isEqualTo("CREATE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins "
                            + "FOR EACH ROW EXECUTE FUNCTION pii_keep_ciphertexts('masked_ip', 'masked_device_id') | CREATE TRIGGER "
                            + "pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins_rejected FOR EACH ROW EXECUTE FUNCTION "
                            + "pii_keep_ciphertexts('encrypted_body')");
        }
        try (Connection c = db.connectAs(writer)) {
            assertThat(stateOf(failureOf(
                            c,
                            "UPDATE user_logins SET masked_ip = (SELECT masked_ip FROM user_logins "
                                    + "WHERE message_id = 'm-a'), masked_device_id = NULL WHERE message_id = 'm-b'")))
                    .isEqualTo("no error");
            assertThat(stateOf(failureOf(c, "UPDATE user_logins_rejected SET encrypted_body = 'forged'")))
                    .isEqualTo("no error");
        }
        assertThat(storedIp("m-b")).isEqualTo(keys.ip("10.0.0.2"));
        assertThat(stored("user_logins", "masked_device_id", "m-b")).isEqualTo(keys.deviceId("dev-b"));
        assertThat(storedBody("r-1")).isEqualTo(body);
    }

    @Test
    void aKeepTriggerNamingAColumnTheTableLacksFailsTheSinksUpdateInsteadOfKeepingNothing() throws SQLException {
        db.execute("CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins FOR EACH ROW "
                + "EXECUTE FUNCTION public.pii_keep_ciphertexts('masked_ipp')");
        String forged = keys.ip("10.6.6.6");
        try (Connection c = db.connectAs(writer)) {
            SQLException e =
                    failureOf(c, "UPDATE user_logins SET masked_ip = '" + forged + "' WHERE message_id = 'm-a'");
            assertThat(stateOf(e)).isEqualTo("P0001");
            assertThat(e.getMessage())
                    .contains("no column masked_ipp")
                    .doesNotContain(forged)
                    .doesNotContain(keys.ip("10.0.0.1"));
        }
        db.execute("CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins FOR EACH ROW "
                + "EXECUTE FUNCTION public.pii_keep_ciphertexts()");
        try (Connection c = db.connectAs(writer)) {
            assertThat(stateOf(failureOf(
                            c, "UPDATE user_logins SET masked_ip = '" + forged + "' WHERE message_id = 'm-a'")))
                    .isEqualTo("P0001");
        }
        assertThat(storedIp("m-a")).isEqualTo(keys.ip("10.0.0.1"));
    }

    // B7 --------------------------------------------------------------------------------------------------

    @Test
    void oneAuditedRevealOfAValueManyRowsShareRecordsHowManyAndTheCiphertextsDigest() throws Exception {
        String shared = keys.ip("10.9.9.9");
        for (int i = 0; i < 4; i++) {
            db.insertLogin("m-shared-" + i, shared, keys.deviceId("dev-" + i));
        }
        db.insertRejected("r-1", keys.body("{not json"));
        try (Connection c = db.connectAs(reader)) {
            reveal(c, "m-shared-0", "masked_ip", "one of four");
            reveal(c, "m-shared-0", "masked_device_id", "one of one");
            try (Statement s = c.createStatement()) {
                s.execute(
                        "SELECT * FROM public.pii_reveal('user_logins_rejected', 'r-1', 'encrypted_body', NULL, 'tests', 'a body')");
            }
        }
        List<Map<String, Object>> audit = db.auditOf(reader);
        assertThat(audit.get(0)).containsEntry("rows_sharing", 4L);
        assertThat(HexFormat.of().formatHex((byte[]) audit.get(0).get("ciphertext_sha256")))
                .isEqualTo(HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(shared.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(audit.get(1)).containsEntry("rows_sharing", 1L);
        assertThat(audit.get(2)).containsEntry("rows_sharing", null).as("randomized: never shared");
        assertThat(audit.get(2).get("ciphertext_sha256")).isNotNull();
        // the auditor (with a DBA) finds every row the one reveal disclosed
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM user_logins u JOIN pii_access_log a ON a.id = "
                        + audit.get(0).get("id")
                        + " WHERE sha256(convert_to(u.masked_ip, 'UTF8')) = a.ciphertext_sha256")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(4);
        }
    }
}
