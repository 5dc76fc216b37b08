package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.reveal.api.PiiDataset;
import io.sqspii.reveal.api.RevealApi;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database enforces who may reveal what and writes the audit itself: pii_reveal() called over JDBC, no
 * service, on a database with the shipped datasets applied; the PII catalog alone says what is revealable.
 */
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
    static PiiCatalog catalog;
    static final String PHONE = "+15551234567";
    static final String HOLDER = "Bo Chen";

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
        db.insertRejected("r-1", keys.body("{\"ip\":\"10.9.9.9\"}"));
        catalog = db.catalog();
        PiiColumn holder = catalog.columns("orders", "items").get(0);
        db.insert(
                "orders",
                Map.of(
                        "message_id",
                        "o-1",
                        "masked_customer_email",
                        keys.encrypt(db.column("orders", "masked_customer_email"), "ann@example.com"),
                        "masked_customer_phone",
                        keys.encrypt(db.column("orders", "masked_customer_phone"), PHONE),
                        "items",
                        new RevealTestDb.Json("[{\"sku\": \"a\", \"holder_name\": \"" + keys.encrypt(holder, "Ann Lee")
                                + "\"}, {\"sku\": \"b\"}, {\"sku\": \"c\", \"holder_name\": \""
                                + keys.encrypt(holder, HOLDER)
                                + "\"}]")));
        db.insert(
                "orders",
                Map.of(
                        "message_id",
                        "o-2",
                        "masked_customer_phone",
                        keys.encrypt(db.column("orders", "masked_customer_phone"), PHONE)));
        db.insert("orders", Map.of("message_id", "o-3")); // no phone (nullable), an empty items array
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    static String stateOf(SQLException e) {
        return e == null ? "no error" : e.getSQLState();
    }

    private static SQLException revealAs(String login, String table, String rowKey, String column, String reason) {
        return revealAs(login, table, rowKey, column, null, reason);
    }

    private static SQLException revealAs(
            String login, String table, String rowKey, String column, String path, String reason) {
        return catchThrowableOfType(SQLException.class, () -> reveal(login, table, rowKey, column, path, reason));
    }

    private static List<Map<String, Object>> reveal(
            String login, String table, String rowKey, String column, String reason) throws SQLException {
        return reveal(login, table, rowKey, column, null, reason);
    }

    private static List<Map<String, Object>> reveal(
            String login, String table, String rowKey, String column, String path, String reason) throws SQLException {
        try (Connection c = db.connectAs(login);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT * FROM public.pii_reveal(?::text, ?::text, ?::text, ?::text, ?::text, ?::text)")) {
            ps.setString(1, table);
            ps.setString(2, rowKey);
            ps.setString(3, column);
            ps.setString(4, path);
            ps.setString(5, RevealTestDb.PURPOSE);
            ps.setString(6, reason);
            return RevealTestDb.rows(ps);
        }
    }

    @Test
    void aLoginWithoutPiiReaderIsRefusedByTheDatabaseAndNothingIsAudited() throws SQLException {
        long before = db.auditCount();
        for (String login : List.of(analyst, auditor, nobody, db.serviceLogin())) {
            SQLException e = revealAs(login, "user_logins", "m-1", "masked_ip", "ticket 1");
            assertThat(stateOf(e)).as(login).isEqualTo("42501");
            assertThat(stateOf(revealAs(login, "orders", "o-1", "items", "/2/holder_name", "ticket 1")))
                    .as(login)
                    .isEqualTo("42501");
            try (Connection c = db.connectAs(login);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT has_function_privilege('" + RevealApi.REVEAL_FUNCTION + "', 'EXECUTE')")) {
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
        assertThat(row)
                .containsEntry("analyst", reader)
                .containsEntry("table_name", "user_logins")
                .containsEntry("row_key", "m-1")
                .containsEntry("column_name", "masked_ip")
                .containsEntry("reason", "ticket 4711")
                .containsEntry("outcome", "pending")
                .containsEntry("key_id", keys.deterministicKeyId());
        OffsetDateTime at = ((java.sql.Timestamp) row.get("at")).toInstant().atOffset(t0.getOffset());
        assertThat(at).isBetween(t0, t1);
        assertThat(db.auditOf(reader).stream().filter(r -> r.get("id").equals(row.get("id"))))
                .hasSize(1);
    }

    @Test
    void onlyValuesTheCatalogListsAreRevealableAndBadInputIsRefused() throws SQLException {
        long before = db.auditCount();
        // a column the catalog does not list (not PII), another dataset's column, tables that are not a dataset's
        assertThat(revealAs(reader, "user_logins", "m-1", "user_id", "t").getMessage())
                .contains("cannot reveal user_logins.user_id: the PII catalog (pii_columns) lists no such value");
        assertThat(revealAs(reader, "orders", "o-1", "status", "t").getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "orders", "o-1", "customer_shipping_address_city", "t")
                        .getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins_rejected", "r-1", "masked_ip", "t")
                        .getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "pii_access_log", "1", "reason", "t").getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "pii_columns", "orders", "keyset", "t").getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, null, "m-1", "masked_ip", "t").getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins", "m-1", "masked_ip", "  ").getSQLState())
                .isEqualTo("22023");
        assertThat(revealAs(reader, "user_logins", "m-1", "masked_ip", "x".repeat(501))
                        .getSQLState())
                .isEqualTo("22023");
        SQLException missing = revealAs(reader, "user_logins", "no-such-key", "masked_ip", "t");
        assertThat(missing.getSQLState()).isEqualTo("P0002");
        assertThat(missing.getMessage()).contains("no row with key no-such-key in user_logins");
        assertThat(revealAs(reader, "orders", "o-3", "masked_customer_phone", "t")
                        .getSQLState())
                .isEqualTo("P0002");
        assertThat(db.auditCount()).isEqualTo(before);

        assertThat(reveal(reader, "user_logins_rejected", "r-1", "encrypted_body", "t")
                        .get(0)
                        .get("ciphertext"))
                .asString()
                .isNotBlank();
    }

    @Test
    void aPathMustNameAValueTheCatalogListsInsideAnArrayCell() throws SQLException {
        long before = db.auditCount();
        assertThat(revealAs(reader, "orders", "o-1", "items", null, "t").getMessage())
                .contains("orders.items: it is a jsonb array")
                .contains("item pointers: /holder_name");
        for (String path : List.of("/2/sku", "/2", "/2/holder_name/x", "/2/Holder_name")) {
            assertThat(revealAs(reader, "orders", "o-1", "items", path, "t").getMessage())
                    .as(path)
                    .contains("the PII catalog (pii_columns) lists no such value");
        }
        for (String path : List.of(
                "",
                "2/holder_name",
                "/-1/holder_name",
                "/02/holder_name",
                "/x/holder_name",
                "/9999999999/holder_name",
                "/2 /holder_name")) {
            SQLException e = revealAs(reader, "orders", "o-1", "items", path, "t");
            assertThat(e.getSQLState()).as(path).isEqualTo("22023");
            assertThat(e.getMessage()).as(path).contains("/<element index><item pointer>");
        }
        assertThat(revealAs(reader, "orders", "o-1", "masked_customer_phone", "/0", "t")
                        .getMessage())
                .contains("is not an array, reveal it without a path");
        // an element without the value, past the end, or a row without the array
        assertThat(revealAs(reader, "orders", "o-1", "items", "/1/holder_name", "t")
                        .getMessage())
                .contains("row o-1 in orders has no value in items at /1/holder_name");
        assertThat(revealAs(reader, "orders", "o-1", "items", "/3/holder_name", "t")
                        .getSQLState())
                .isEqualTo("P0002");
        assertThat(revealAs(reader, "orders", "o-2", "items", "/0/holder_name", "t")
                        .getSQLState())
                .isEqualTo("P0002");
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void aCallerSuppliedIdentifierNeverBecomesSql() throws SQLException {
        long before = db.auditCount();
        List<String[]> attacks = List.of(
                new String[] {"user_logins\" WHERE false; DROP TABLE public.orders; --", "masked_ip", null},
                new String[] {"user_logins; DROP TABLE public.orders", "masked_ip", null},
                new String[] {"public.pii_access_log", "reason", null},
                new String[] {
                    "user_logins",
                    "masked_ip\", (SELECT string_agg(reason, ',') FROM public.pii_access_log) AS \"x",
                    null
                },
                new String[] {"user_logins", "masked_ip FROM public.pii_access_log --", null},
                new String[] {"orders", "items", "/0/holder_name'); DROP TABLE public.orders; --"},
                new String[] {"orders", "items", "/0/holder_name\" FROM public.pii_access_log --"},
                new String[] {"orders", "items", "/0$$; DROP TABLE public.orders; $$"});
        for (String[] a : attacks) {
            SQLException e = revealAs(reader, a[0], "o-1", a[1], a[2], "t");
            assertThat(e.getSQLState())
                    .as(String.join(" | ", java.util.Arrays.asList(a)))
                    .isEqualTo("22023");
        }
        // a row key is a parameter: quotes in it name no row
        for (String key : List.of("' OR '1'='1", "m-1' --", "o-1'; DROP TABLE public.orders; --")) {
            assertThat(revealAs(reader, "user_logins", key, "masked_ip", "t").getSQLState())
                    .as(key)
                    .isEqualTo("P0002");
            assertThat(revealAs(reader, "orders", key, "items", "/2/holder_name", "t")
                            .getSQLState())
                    .as(key)
                    .isEqualTo("P0002");
        }
        assertThat(db.auditCount()).isEqualTo(before);
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT to_regclass('public.orders') IS NOT NULL, " + "(SELECT count(*) FROM public.orders)")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(3);
        }
    }

    @Test
    void theCatalogDrivesNestedAndArrayValuesAndEveryRevealIsAuditedWithItsPath() throws SQLException {
        PiiColumn phone = db.column("orders", "masked_customer_phone");
        PiiColumn holder = db.column("orders", "items");
        List<Map<String, Object>> p = reveal(reader, "orders", "o-1", "masked_customer_phone", "nested");
        assertThat(p.get(0))
                .containsEntry("ciphertext", keys.encrypt(phone, PHONE))
                .containsEntry("mode", "deterministic")
                .containsEntry("keyset", phone.keyset())
                .containsEntry("associated_data", phone.associatedData());
        List<Map<String, Object>> h = reveal(reader, "orders", "o-1", "items", holder.pathOf(2), "array leaf");
        assertThat(h.get(0))
                .containsEntry("mode", "randomized")
                .containsEntry("keyset", holder.keyset())
                .containsEntry("associated_data", holder.associatedData());
        assertThat(PiiCipher.withConstantAssociatedData(
                                keys.randomized(), CipherMode.RANDOMIZED, holder.associatedData())
                        .decrypt("holder_name", (String) h.get(0).get("ciphertext")))
                .isEqualTo(HOLDER);

        List<Map<String, Object>> audit = db.auditOf(reader);
        Map<String, Object> ofPhone = byId(audit, p.get(0).get("audit_id"));
        Map<String, Object> ofHolder = byId(audit, h.get(0).get("audit_id"));
        assertThat(ofPhone)
                .containsEntry("table_name", "orders")
                .containsEntry("row_key", "o-1")
                .containsEntry("column_name", "masked_customer_phone")
                .containsEntry("path", null)
                .containsEntry("rows_sharing", 2L)
                .containsEntry("key_id", keys.deterministicKeyId())
                .containsEntry("outcome", "pending");
        assertThat(ofHolder)
                .containsEntry("table_name", "orders")
                .containsEntry("column_name", "items")
                .containsEntry("path", "/2/holder_name")
                .containsEntry("rows_sharing", null)
                .containsEntry("key_id", keys.randomizedKeyId())
                .containsEntry("reason", "array leaf");
        assertThat(HexFormat.of().formatHex((byte[]) ofHolder.get("ciphertext_sha256")))
                .isEqualTo(sha256(h.get(0).get("ciphertext")));
    }

    @Test
    void aDatasetAppliedLaterIsRevealableWithItsOwnRowKeyAndSharedValuesInArraysAreCounted(@TempDir Path tmp)
            throws SQLException {
        assertThat(stateOf(revealAs(reader, "tickets", "7", "masked_reporter_email", "t")))
                .isEqualTo("22023");
        db.applyDataset(RevealTestDb.ticketsDataset(tmp));
        PiiColumn reporter = db.column("tickets", "masked_reporter_email");
        PiiColumn watcher = db.column("tickets", "watchers");
        assertThat(reporter.rowKeyColumn()).isEqualTo("ticket_id");
        String ann = keys.encrypt(watcher, "ann@example.com");
        String bo = keys.encrypt(watcher, "bo@example.com");
        db.insert(
                "tickets",
                Map.of(
                        "ticket_id",
                        7L,
                        "masked_reporter_email",
                        ann,
                        "watchers",
                        new RevealTestDb.Json("[{\"email\": \"" + bo + "\"}, {\"email\": \"" + ann + "\"}]")));
        db.insert(
                "tickets",
                Map.of(
                        "ticket_id",
                        8L,
                        "masked_reporter_email",
                        bo,
                        "watchers",
                        new RevealTestDb.Json("[{\"email\": \"" + ann + "\"}]")));
        db.insert("tickets", Map.of("ticket_id", 9L, "masked_reporter_email", bo));

        List<Map<String, Object>> w =
                reveal(reader, "tickets", "7", "watchers", "/1/email", "shared value in an array");
        assertThat(w.get(0)).containsEntry("ciphertext", ann).containsEntry("associated_data", "email");
        assertThat(byId(db.auditOf(reader), w.get(0).get("audit_id")))
                .containsEntry("rows_sharing", 2L)
                .containsEntry("row_key", "7")
                .containsEntry("path", "/1/email");
        List<Map<String, Object>> r = reveal(reader, "tickets", "9", "masked_reporter_email", "integer key");
        assertThat(byId(db.auditOf(reader), r.get(0).get("audit_id"))).containsEntry("rows_sharing", 2L);
        for (String key : List.of("7x", "99999999999999999999999", "")) {
            assertThat(revealAs(reader, "tickets", key, "masked_reporter_email", "t")
                            .getSQLState())
                    .as(key)
                    .isEqualTo("P0002");
        }
    }

    private static Map<String, Object> byId(List<Map<String, Object>> audit, Object id) {
        return audit.stream().filter(r -> r.get("id").equals(id)).findFirst().orElseThrow();
    }

    private static String sha256(Object text) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(((String) text).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void nobodyButTheOwnerWritesTheAuditLog() throws SQLException {
        reveal(reader, "user_logins", "m-1", "masked_device_id", "seed a row");
        long id = (Long) db.auditOf(reader).get(0).get("id");
        long before = db.auditCount();
        for (String login : List.of(reader, auditor, analyst)) {
            try (Connection c = db.connectAs(login);
                    Statement s = c.createStatement()) {
                for (String sql : List.of(
                        "INSERT INTO pii_access_log (analyst, at, reason) VALUES ('someone_else', now() - interval '1 day', 'forged')",
                        "INSERT INTO pii_access_log (reason) VALUES ('no analyst')",
                        "UPDATE pii_access_log SET analyst = 'someone_else', at = now() - interval '1 day' WHERE id = "
                                + id,
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
        long id = (Long) reveal(reader, "user_logins", "m-1", "masked_ip", "outcome test")
                .get(0)
                .get("audit_id");
        for (String login : List.of(reader, otherReader, analyst, auditor)) {
            assertThat(outcomeAs(login, id, reader, true, null).getSQLState())
                    .as(login)
                    .isEqualTo("42501");
        }
        assertThat(outcomeAs(service, id, otherReader, true, null).getSQLState())
                .isEqualTo("22023");
        assertThat(outcomeAs(service, id, reader, false, " ").getSQLState()).isEqualTo("22023");
        assertThat(stateOf(outcomeAs(service, id, reader, false, "no key with id 1 loaded for user_logins")))
                .isEqualTo("no error");
        assertThat(outcomeAs(service, id, reader, true, null).getSQLState()).isEqualTo("22023");
        Map<String, Object> row = db.auditOf(reader).stream()
                .filter(r -> r.get("id").equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(row)
                .containsEntry("outcome", "failed")
                .containsEntry("failure", "no key with id 1 loaded for user_logins");
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
        for (int i = 0; i < 2; i++) { // as a deployment does on every start: the SQL, then each dataset
            db.applySql();
            db.applyDataset(RevealTestDb.DATASETS_DIR.resolve("user_logins"));
        }
        assertThat(privileges("pipeline_writer", "user_logins")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(privileges("pipeline_writer", "user_logins_rejected")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(updatableColumns("pipeline_writer", "user_logins"))
                .containsExactlyInAnyOrder(
                        "user_id",
                        "device_type",
                        "masked_ip",
                        "masked_device_id",
                        "locale",
                        "app_version",
                        "create_date");
        assertThat(updatableColumns("pipeline_writer", "user_logins_rejected"))
                .containsExactlyInAnyOrder("error", "encrypted_body", "create_date");
        assertThat(updatableColumns("pii_reencryptor", "user_logins"))
                .containsExactlyInAnyOrder("masked_ip", "masked_device_id");
        assertThat(updatableColumns("pii_reencryptor", "user_logins_rejected")).containsExactly("encrypted_body");
        assertThat(privileges("pii_reveal_service", "user_logins")).isEmpty();
        assertThat(privileges("pii_reveal_service", "orders")).isEmpty();
        assertThat(privileges("pii_reveal_service", "pii_columns")).isEmpty();
        assertThat(privileges("pii_reader", "orders")).containsExactly("SELECT");
        assertThat(privileges("pii_reveal_service", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_reader", "pii_reveal_limits")).isEmpty();
        assertThat(privileges("pipeline_writer", "pii_access_log")).isEmpty();
        assertThat(privileges("analyst", "user_logins")).containsExactly("SELECT");
        assertThat(privileges("analyst", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_reader", "pii_access_log")).isEmpty();
        assertThat(privileges("pii_auditor", "pii_access_log")).containsExactly("SELECT");
        assertThat(privileges("pii_auditor", "user_logins")).isEmpty();
        try (Statement s = db.connectAs(reader).createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT r.rolcanlogin, pg_get_userbyid(c.relowner), "
                                + "(SELECT bool_and(p.prosecdef AND pg_get_userbyid(p.proowner) = 'pii_audit_owner' "
                                + "AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) FROM pg_proc p "
                                + "WHERE p.proname IN ('pii_reveal', 'pii_reveal_outcome', 'pii_catalog')), "
                                + "has_function_privilege('public', '" + RevealApi.REVEAL_FUNCTION + "', 'EXECUTE') "
                                + "OR has_function_privilege('public', 'public.pii_catalog()', 'EXECUTE'), "
                                + "(SELECT count(*) FROM pg_proc WHERE proname IN ('pii_reveal', 'pii_catalog')) "
                                + "FROM pg_roles r, pg_class c WHERE r.rolname = 'pii_audit_owner' AND c.relname = 'pii_access_log'")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("pii_audit_owner can log in").isFalse();
            assertThat(rs.getString(2)).isEqualTo("pii_audit_owner");
            assertThat(rs.getBoolean(3))
                    .as("SECURITY DEFINER, owner, fixed search_path")
                    .isTrue();
            assertThat(rs.getBoolean(4))
                    .as("PUBLIC may execute pii_reveal or pii_catalog")
                    .isFalse();
            assertThat(rs.getLong(5)).as("one pii_reveal, one pii_catalog").isEqualTo(2);
        }
        // the service's login reads the catalog's names through pii_catalog(), never the tables
        try (Connection c = db.connectAs(db.serviceLogin())) {
            assertThat(PiiCatalog.read(c).datasets())
                    .extracting(PiiDataset::name)
                    .contains("orders", "user_logins");
        }
        assertThat(reveal(reader, "user_logins", "m-1", "masked_ip", "after re-apply"))
                .hasSize(1);
    }

    private static List<String> updatableColumns(String role, String table) throws SQLException {
        try (Connection c = db.connectAs(reader);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass "
                                + "AND attnum > 0 AND NOT attisdropped AND has_column_privilege(?, attrelid, attnum, 'UPDATE')")) {
            ps.setString(1, "public." + table);
            ps.setString(2, role);
            return RevealTestDb.rows(ps).stream()
                    .map(r -> (String) r.get("attname"))
                    .toList();
        }
    }

    private static List<String> privileges(String role, String table) throws SQLException {
        try (Connection c = db.connectAs(reader);
                PreparedStatement ps =
                        c.prepareStatement("SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE',"
                                + "'TRUNCATE','REFERENCES','TRIGGER']) p WHERE has_table_privilege(?, ?, p)")) {
            ps.setString(1, role);
            ps.setString(2, "public." + table);
            return RevealTestDb.rows(ps).stream().map(r -> (String) r.get("p")).toList();
        }
    }
}
