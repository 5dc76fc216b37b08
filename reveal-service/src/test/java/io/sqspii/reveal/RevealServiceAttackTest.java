package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.reveal.RevealClient.Answer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the audit that go through the real service (over HTTP, real PostgreSQL): what the reader gets back
 * and what the audit says must stay true. A fresh database per test.
 */
class RevealServiceAttackTest {
    static final String BENIGN_IP = "10.0.0.1";
    static final String TARGET_IP = "172.16.5.5";

    @TempDir
    Path dir;

    RevealTestDb db;
    TestKeys keys;
    String reader;

    @BeforeEach
    void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        reader = db.createLogin("pii_reader");
        db.insertLogin("m-benign", keys.ip(BENIGN_IP), null);
        db.insertLogin("m-target", keys.ip(TARGET_IP), null);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private RevealServer start() throws SQLException {
        Properties p = keys.serviceConfig(db);
        p.setProperty("rate.limit.cells.per.minute", "1000"); // the service's own buckets stay out of the way
        return RevealServer.start(RevealConfig.from(p));
    }

    private Answer revealBenign(RevealServer server, String reason) {
        return new RevealClient(server.uri())
                .reveal(
                        reader,
                        RevealTestDb.password(reader),
                        reason,
                        List.of(cell("user_logins", "m-benign", "masked_ip")));
    }

    // U1 --------------------------------------------------------------------------------------------------

    @Test
    void aPlantedVarcharOverloadOfTheRevealFunctionsDoesNotBindTheServicesCalls() throws SQLException {
        // left over from when PUBLIC could create in public (or planted by anyone who still can): hands out the
        // target's ciphertext under a fake audit id, and settles nothing
        db.execute("CREATE FUNCTION public.pii_reveal(varchar, varchar, varchar, varchar, varchar) "
                + "RETURNS TABLE (audit_id bigint, ciphertext text) LANGUAGE sql "
                + "AS $$ SELECT 424242::bigint, masked_ip FROM public.user_logins WHERE message_id = 'm-target' $$");
        db.execute("CREATE FUNCTION public.pii_reveal_outcome(bigint, varchar, boolean, varchar) RETURNS void "
                + "LANGUAGE sql AS $$ SELECT $$");
        db.execute(
                "GRANT EXECUTE ON FUNCTION public.pii_reveal(varchar, varchar, varchar, varchar, varchar) TO PUBLIC");
        // control: a call with untyped (varchar) parameters, as the service made it before, binds the plant
        try (Connection c = db.connectAs(reader);
                PreparedStatement ps = c.prepareStatement("SELECT audit_id FROM public.pii_reveal(?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= 5; i++) {
                ps.setString(i, "x");
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(424242);
            }
        }

        try (RevealServer server = start()) {
            Answer a = revealBenign(server, "ticket 1");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body().get("cells").get(0).get("plaintext").asText()).isEqualTo(BENIGN_IP);
            assertThat(a.raw().body()).doesNotContain(TARGET_IP);
            long auditId = a.body().get("cells").get(0).get("auditId").asLong();
            assertThat(db.auditOf(reader))
                    .singleElement()
                    .satisfies(r -> assertThat(r)
                            .containsEntry("id", auditId)
                            .containsEntry("row_key", "m-benign")
                            .containsEntry("outcome", "revealed"));
        }
    }

    // B13 -------------------------------------------------------------------------------------------------

    @Test
    void twoServiceReplicasTogetherCannotRevealMoreThanTheLoginsBudget() throws SQLException {
        db.cellsPerMinute(5);
        try (RevealServer one = start();
                RevealServer two = start()) {
            int revealed = 0;
            Answer refused = null;
            for (int i = 0; i < 12; i++) {
                Answer a = revealBenign(i % 2 == 0 ? one : two, "replica " + (i % 2));
                if (a.status() == 200) {
                    revealed++;
                } else {
                    assertThat(a.status()).as(a.raw().body()).isEqualTo(429);
                    refused = a;
                }
            }
            assertThat(revealed).isEqualTo(5);
            assertThat(refused).isNotNull();
            assertThat(refused.error()).contains("5 cells per minute per login");
            assertThat(refused.code()).as("the database's limit").isEqualTo("rate_limited");
            assertThat(refused.raw().body()).doesNotContain(BENIGN_IP);
            long retryAfter = Long.parseLong(
                    refused.raw().headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
        }
        assertThat(db.auditOf(reader)).hasSize(5).allSatisfy(r -> assertThat(r).containsEntry("outcome", "revealed"));
    }

    @Test
    void aRequestOverTheRemainingBudgetRevealsNoneOfItsCells() throws SQLException {
        db.cellsPerMinute(3);
        try (RevealServer server = start()) {
            RevealClient client = new RevealClient(server.uri());
            assertThat(revealBenign(server, "first").status()).isEqualTo(200);
            Answer a = client.reveal(
                    reader,
                    RevealTestDb.password(reader),
                    "three more",
                    List.of(
                            cell("user_logins", "m-benign", "masked_ip"),
                            cell("user_logins", "m-target", "masked_ip"),
                            cell("user_logins", "m-benign", "masked_ip")));
            assertThat(a.status()).isEqualTo(429);
            assertThat(a.raw().body()).doesNotContain(TARGET_IP).doesNotContain(BENIGN_IP);
        }
        assertThat(db.auditOf(reader)).hasSize(1);
    }

    // B9 --------------------------------------------------------------------------------------------------

    @Test
    void aReasonWithABidiOverrideOrAForgedLineIsRefusedBeforeAnythingIsAudited() throws SQLException {
        try (RevealServer server = start()) {
            for (String reason : List.of("ticket 1\u202E9911 tekcit", "ticket 1\n2026-12-01 auditor approved")) {
                Answer a = revealBenign(server, reason);
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.error()).contains("control characters").doesNotContain(reason);
                assertThat(a.code()).isEqualTo("bad_request");
            }
        }
        assertThat(db.auditOf(reader)).isEmpty();
    }

    // B4 --------------------------------------------------------------------------------------------------

    @Test
    void theSinkLoginCopyingTheTargetsCiphertextIntoABenignRowDoesNotRevealTheTarget() throws SQLException {
        String writer = db.createLogin("pipeline_writer");
        try (Connection c = db.connectAs(writer);
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE user_logins SET masked_ip = (SELECT masked_ip FROM user_logins "
                    + "WHERE message_id = 'm-target') WHERE message_id = 'm-benign'");
        }
        try (RevealServer server = start()) {
            Answer a = revealBenign(server, "ticket 1");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body().get("cells").get(0).get("plaintext").asText()).isEqualTo(BENIGN_IP);
        }
        Map<String, Object> audit = db.auditOf(reader).get(0);
        assertThat(audit).containsEntry("row_key", "m-benign").containsEntry("rows_sharing", 1L);
    }
}
