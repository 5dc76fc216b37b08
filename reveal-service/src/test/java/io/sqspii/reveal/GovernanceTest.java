package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sqspii.reveal.RevealClient.Answer;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.testsupport.FreshDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * Reveal governance enforced by the database itself: a purpose that needs approval, grants requested by a reader
 * and decided by another login, expiry, revocation, another purpose, budgets (a shared deterministic value charges
 * every row holding it), break-glass, purposes managed by admins only, grants visible to their requester. Attacks
 * over JDBC as the reader, and through two replicas of the reveal service sharing one grant's budget.
 */
class GovernanceTest {
    @TempDir
    static Path dir;

    static RevealTestDb db;
    static TestKeys keys;
    static String reader;
    static String otherReader;
    static String approver;
    static String readerApprover;
    static String admin;
    static String auditor;

    @BeforeAll
    static void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        reader = db.createLogin("pii_reader");
        otherReader = db.createLogin("pii_reader");
        approver = db.createLogin("pii_approver");
        readerApprover = db.createLogin("pii_reader", "pii_approver");
        admin = db.createLogin("pii_admin");
        auditor = db.createLogin("pii_auditor");
        for (int i = 0; i < 6; i++) {
            // four rows share one device id: revealing it discloses four rows
            db.insertLogin("g-" + i, keys.ip("10.7.0." + i), keys.deviceId(i < 4 ? "shared-device" : "device-" + i));
        }
        call(
                admin,
                "SELECT pii_define_purpose('support-case', 'a customer''s support ticket', "
                        + "ARRAY['user_logins.masked_ip', 'user_logins.masked_device_id'], 6, interval '8 hours', true)");
        call(
                admin,
                "SELECT pii_define_purpose('fraud-review', 'fraud review', ARRAY['user_logins.masked_ip'], 50, "
                        + "interval '8 hours', true)");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    @Test
    void withoutAGrantTheDatabaseRefusesAndAuditsNothing() throws SQLException {
        long before = db.auditCount();
        SQLException e = reveal(otherReader, "g-0", "masked_ip", "support-case");
        assertThat(e.getSQLState()).isEqualTo("42501");
        assertThat(e.getMessage()).contains("no active grant").contains("support-case");
        assertThat(hint(e)).as("the refusal's code in the reveal API").isEqualTo("no_grant");
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void everyRefusalForWantOfAGrantNamesWhyAsItsCodeThroughTheService() throws Exception {
        call(
                admin,
                "SELECT pii_define_purpose('code-check', 'two cells', "
                        + "ARRAY['user_logins.masked_ip', 'user_logins.masked_device_id'], 2, interval '8 hours', true)");
        String login = db.createLogin("pii_reader");
        try (RevealServer server = startService()) {
            RevealClient client = new RevealClient(server.uri());
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.NO_GRANT);
            long grant = request(login, "code-check", "interval '1 hour'");
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.GRANT_PENDING);
            call(approver, "SELECT pii_decide_grant(" + grant + ", false, 'no ticket')");
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.GRANT_REJECTED);
            grant = request(login, "code-check", "interval '1 hour'");
            call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ok')");
            call(login, "SELECT pii_revoke_grant(" + grant + ", 'done')");
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.GRANT_REVOKED);
            grant = request(login, "code-check", "interval '1 hour'");
            call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ok')");
            assertThat(reveal(client, login, "g-4", "masked_ip", "code-check").status())
                    .isEqualTo(200);
            // a value four rows share costs four cells, one is left (54000)
            Answer shared =
                    assertRefused(client, login, "g-0", "masked_device_id", "code-check", ErrorCode.BUDGET_EXHAUSTED);
            assertThat(shared.error()).contains("1 of 2 cells left").contains("shared by 4 rows");
            assertThat(reveal(client, login, "g-5", "masked_ip", "code-check").status())
                    .isEqualTo(200);
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.BUDGET_EXHAUSTED);
            grant = request(login, "code-check", "interval '1 second'");
            call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'short')");
            Thread.sleep(1_200);
            assertRefused(client, login, "g-4", "masked_ip", "code-check", ErrorCode.GRANT_EXPIRED);
            // fraud-review allows masked_ip only
            assertRefused(client, login, "g-4", "masked_device_id", "fraud-review", ErrorCode.PURPOSE_NOT_ALLOWED);
        }
    }

    @Test
    void everyCodeTheRevealFunctionsRaiseIsOneOfTheApi() throws Exception {
        String sql = Files.readString(FreshDatabase.sqlFile("roles.sql"));
        List<String> codes = new java.util.ArrayList<>();
        Matcher hints = Pattern.compile("HINT = '([^']*)'").matcher(sql);
        while (hints.find()) {
            codes.add(hints.group(1));
        }
        String grantRefusals =
                sql.substring(sql.indexOf("v_refusal := CASE"), sql.indexOf("END;", sql.indexOf("v_refusal := CASE")));
        Matcher literals = Pattern.compile("'([a-z_]+)'").matcher(grantRefusals);
        while (literals.find()) {
            if (!literals.group(1).equals("requested")
                    && !literals.group(1).equals("rejected")
                    && !literals.group(1).equals("revoked")) {
                codes.add(literals.group(1));
            }
        }
        assertThat(codes)
                .hasSizeGreaterThan(15)
                .allSatisfy(c -> assertThat(ErrorCode.of(c)).as(c).isNotNull());
        assertThat(codes)
                .contains(
                        "no_grant",
                        "grant_pending",
                        "grant_rejected",
                        "grant_revoked",
                        "grant_expired",
                        "budget_exhausted",
                        "purpose_not_allowed",
                        "unknown_column",
                        "rate_limited");
    }

    @Test
    void aRequestedGrantRevealsOnlyOnceAnotherLoginApprovedIt() throws SQLException {
        long grant = request(reader, "support-case", "interval '1 hour'");
        assertThat(reveal(reader, "g-4", "masked_ip", "support-case").getSQLState())
                .as("still requested")
                .isEqualTo("42501");
        // an approver who is also the requester cannot approve its own grant; a reader cannot approve at all
        long own = request(readerApprover, "support-case", "interval '1 hour'");
        assertThat(failure(readerApprover, "SELECT pii_decide_grant(" + own + ", true, 'me')")
                        .getMessage())
                .contains("your own request");
        assertThat(failure(reader, "SELECT pii_decide_grant(" + grant + ", true, 'me')")
                        .getSQLState())
                .isEqualTo("42501");
        call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ticket checked')");
        assertThat(revealed(reader, "g-4", "masked_ip", "support-case")).isPositive();
        Map<String, Object> row = db.auditOf(reader).get(db.auditOf(reader).size() - 1);
        assertThat(row)
                .containsEntry("purpose", "support-case")
                .containsEntry("grant_id", grant)
                .containsEntry("cells_charged", 1L);
        // the grant covers its purpose only; a purpose allows its columns only
        assertThat(reveal(reader, "g-4", "masked_ip", "fraud-review").getMessage())
                .contains("no active grant");
        assertThat(reveal(reader, "g-4", "masked_device_id", "fraud-review").getMessage())
                .contains("purpose fraud-review does not allow user_logins.masked_device_id");
        call(approver, "SELECT pii_revoke_grant(" + grant + ", 'done')");
        assertThat(reveal(reader, "g-4", "masked_ip", "support-case").getMessage())
                .contains("no active grant");
    }

    @Test
    void anExpiredGrantRevealsNothingWithoutAnyJob() throws Exception {
        String login = db.createLogin("pii_reader");
        long grant = request(login, "fraud-review", "interval '1 second'");
        call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'short')");
        assertThat(revealed(login, "g-5", "masked_ip", "fraud-review")).isPositive();
        Thread.sleep(1_200);
        assertThat(reveal(login, "g-5", "masked_ip", "fraud-review").getMessage())
                .contains("no active grant");
    }

    @Test
    void aGrantLongerThanThePurposeAllowsIsRefused() throws SQLException {
        assertThat(failure(
                                reader,
                                "SELECT pii_request_grant('user_logins', NULL, 'support-case', interval '9 hours', "
                                        + "NULL, 'long')")
                        .getMessage())
                .contains("at most 08:00:00");
    }

    @Test
    void theBudgetCountsEveryRowASharedValueDisclosesAndRecords80And100Percent() throws SQLException {
        String login = db.createLogin("pii_reader");
        long grant = request(login, "support-case", "interval '1 hour'");
        call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ok')");
        assertThat(revealed(login, "g-0", "masked_device_id", "support-case")).isPositive(); // 4 of 6
        assertThat(revealed(login, "g-5", "masked_ip", "support-case")).isPositive(); // 5 of 6: past 80 %
        SQLException over = reveal(login, "g-1", "masked_device_id", "support-case"); // 4 more: over
        assertThat(over.getSQLState()).isEqualTo("54000");
        assertThat(over.getMessage()).contains("1 of 6 cells left").contains("shared by 4 rows");
        assertThat(revealed(login, "g-4", "masked_ip", "support-case")).isPositive(); // the last cell
        assertThat(reveal(login, "g-3", "masked_ip", "support-case").getMessage())
                .contains("no active grant");
        assertThat(events(grant)).containsSubsequence("grant-requested", "grant-approved", "budget-80", "budget-100");
    }

    @Test
    void breakGlassOpensAloneWithAReasonAndIsFlaggedEverywhere() throws Exception {
        String login = db.createLogin("pii_reader");
        assertThat(failure(login, "SELECT pii_break_glass('user_logins', NULL, 'urgent')")
                        .getMessage())
                .contains("reason of 10 to 500");
        long grant = scalar(login, "SELECT pii_break_glass('user_logins', NULL, 'incident INC-12: account takeover')");
        try (RevealServer server = startService()) {
            RevealClient client = new RevealClient(server.uri());
            Answer a = client.post(
                    login,
                    RevealTestDb.password(login),
                    Map.of(
                            "purpose",
                            "break-glass",
                            "reason",
                            "INC-12",
                            "cells",
                            List.of(cell("user_logins", "g-5", "masked_ip"))));
            assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
            assertThat(a.body().toString()).contains("10.7.0.5");
            assertThat(metrics(server)).contains("sqspii_reveal_break_glass_cells_total 1");
        }
        try (Connection c = db.connectAs(auditor);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT break_glass, decided_by, status FROM pii_grants WHERE id = " + grant)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getString(3)).isEqualTo("approved");
        }
        try (Connection c = db.connectAs(auditor);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_audit_chain WHERE event = 'reveal' "
                        + "AND (detail ->> 'break_glass')::boolean AND detail ->> 'grant_id' = '" + grant + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void twoReplicasOfTheServiceShareOneGrantsBudget() throws Exception {
        call(
                admin,
                "SELECT pii_define_purpose('replica-check', 'three cells', ARRAY['user_logins.masked_ip'], 3, "
                        + "interval '1 hour', true)");
        String login = db.createLogin("pii_reader");
        long grant = request(login, "replica-check", "interval '1 hour'");
        call(approver, "SELECT pii_decide_grant(" + grant + ", true, 'ok')");
        try (RevealServer one = startService();
                RevealServer two = startService()) {
            int ok = 0;
            for (int i = 0; i < 6; i++) {
                Answer a = new RevealClient((i % 2 == 0 ? one : two).uri())
                        .post(
                                login,
                                RevealTestDb.password(login),
                                Map.of(
                                        "purpose",
                                        "replica-check",
                                        "reason",
                                        "case 9",
                                        "cells",
                                        List.of(cell("user_logins", "g-" + (4 + i % 2), "masked_ip"))));
                if (a.status() == 200) {
                    ok++;
                } else {
                    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
                    assertThat(a.error()).contains("no active grant");
                }
            }
            assertThat(ok)
                    .as("reveals through either replica against one budget of 3 cells")
                    .isEqualTo(3);
        }
        try (Connection c = db.connectAs(login);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT cells_used FROM pii_grants WHERE id = " + grant)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
    }

    @Test
    void onlyAdminsManagePurposesAndReadersSeeOnlyTheirOwnGrants() throws SQLException {
        for (String login : List.of(reader, approver, auditor)) {
            assertThat(failure(login, "SELECT pii_define_purpose('x', 'x', ARRAY['*'], 1, interval '1 hour', false)")
                            .getSQLState())
                    .as(login)
                    .isEqualTo("42501");
        }
        assertThat(failure(reader, "INSERT INTO pii_purposes VALUES ('y', 'y', 1, interval '1 hour', false, false)")
                        .getSQLState())
                .isEqualTo("42501");
        request(otherReader, "fraud-review", "interval '1 hour'");
        try (Connection c = db.connectAs(reader);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_grants WHERE requester <> current_user")) {
            rs.next();
            assertThat(rs.getLong(1)).as("other readers' grants").isZero();
        }
        try (Connection c = db.connectAs(approver);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM pii_grants WHERE requester = '" + otherReader + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("an approver sees every request").isPositive();
        }
    }

    private static Answer reveal(RevealClient client, String login, String key, String column, String purpose) {
        return client.post(
                login,
                RevealTestDb.password(login),
                Map.of("purpose", purpose, "reason", "T-9", "cells", List.of(cell("user_logins", key, column))));
    }

    /** Refused with {@code code} and its status; the message is the database's, as before codes. */
    private static Answer assertRefused(
            RevealClient client, String login, String key, String column, String purpose, ErrorCode code) {
        Answer a = reveal(client, login, key, column, purpose);
        assertThat(a.code()).as(a.body().toString()).isEqualTo(code.wire());
        assertThat(a.status()).isEqualTo(code.status()).isEqualTo(403);
        assertThat(a.error()).doesNotContain("10.7.0.");
        if (code.name().contains("GRANT")) {
            assertThat(a.error()).startsWith("no active grant of " + login + " covers user_logins." + column);
        }
        return a;
    }

    private static String hint(SQLException e) {
        return ((PSQLException) e).getServerErrorMessage().getHint();
    }

    private static RevealServer startService() throws SQLException {
        return RevealServer.start(RevealConfig.from(keys.serviceConfig(db)));
    }

    private static String metrics(RevealServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.uri().resolve(URI.create("/metrics")))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static long request(String login, String purpose, String duration) throws SQLException {
        return scalar(
                login,
                "SELECT pii_request_grant('user_logins', NULL, '" + purpose + "', " + duration
                        + ", 'T-9', 'customer called')");
    }

    private static List<String> events(long grant) throws SQLException {
        try (Connection c = db.connectAs(auditor);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event FROM pii_audit_chain WHERE ref = " + grant
                        + " AND event NOT IN ('reveal', 'outcome') ORDER BY seq")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static long revealed(String login, String key, String column, String purpose) throws SQLException {
        return scalar(
                login,
                "SELECT audit_id FROM pii_reveal('user_logins', '" + key + "', '" + column + "', NULL, '" + purpose
                        + "', 'T-9')");
    }

    private static SQLException reveal(String login, String key, String column, String purpose) {
        return failure(
                login,
                "SELECT * FROM pii_reveal('user_logins', '" + key + "', '" + column + "', NULL, '" + purpose
                        + "', 'T-9')");
    }

    private static long scalar(String login, String sql) throws SQLException {
        try (Connection c = db.connectAs(login);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void call(String login, String sql) throws SQLException {
        try (Connection c = db.connectAs(login);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static SQLException failure(String login, String sql) {
        return catchThrowableOfType(SQLException.class, () -> call(login, sql));
    }
}
