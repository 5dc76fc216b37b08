package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.reveal.RevealClient.Answer;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.reveal.api.RevealApi;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure of a data subject through the real service and database: one e-mail address, written (as the pipeline
 * writes it: canonical form, the shared key domain email) into orders' customer column and into the tests' own tickets
 * dataset, as a reporter and inside its watchers array. Counted, then erased: the rows are gone from every dataset,
 * the rows of other subjects stay, the audit chain holds the erasure under a token, and the value is nowhere in the
 * service's log. Only a pii_eraser login may.
 */
class ErasureTest {
    @TempDir
    static Path dir;

    static RevealTestDb db;
    static TestKeys keys;
    static RevealServer server;
    static RevealClient client;
    static String eraser;
    static String reader;
    static final String SUBJECT = "Jane.Roe@Example.org";

    @BeforeAll
    static void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        db.applyDataset(RevealTestDb.ticketsDataset(dir));
        eraser = db.createLogin("pii_eraser");
        reader = db.createLogin("pii_reader");
        PiiColumn orderEmail = db.column("orders", "masked_customer_email");
        PiiColumn reporter = db.column("tickets", "masked_reporter_email");
        PiiColumn watcher = db.column("tickets", "watchers");
        // stored as the transform stores them: the canonical form (lower case), the domain's associated data
        String subject = keys.encrypt(orderEmail, "jane.roe@example.org");
        String other = keys.encrypt(orderEmail, "someone@example.org");
        for (String id : new String[] {"o-1", "o-2"}) {
            db.insert("orders", Map.of("message_id", id, "masked_customer_email", subject));
        }
        db.insert("orders", Map.of("message_id", "o-3", "masked_customer_email", other));
        db.insert(
                "tickets",
                Map.of("ticket_id", 1L, "masked_reporter_email", keys.encrypt(reporter, "jane.roe@example.org")));
        db.insert(
                "tickets",
                Map.of(
                        "ticket_id",
                        2L,
                        "masked_reporter_email",
                        other,
                        "watchers",
                        new RevealTestDb.Json(
                                "[{\"email\": \"" + keys.encrypt(watcher, "jane.roe@example.org") + "\"}]")));
        db.insert("tickets", Map.of("ticket_id", 3L, "masked_reporter_email", other));
        server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)));
        client = new RevealClient(server.uri());
    }

    @AfterAll
    static void tearDown() throws SQLException {
        server.close();
        db.close();
    }

    @Test
    void aSubjectIsCountedThenErasedAcrossDatasetsAndTheAuditChainsIt() throws Exception {
        CapturedLog logged = new CapturedLog();
        try {
            Answer refused = erasure(reader, false);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.error()).contains("pii_eraser");
            assertThat(refused.code()).isEqualTo("not_an_eraser");

            Answer counted = erasure(eraser, false);
            assertThat(counted.status()).as(counted.body().toString()).isEqualTo(200);
            assertThat(rows(counted)).containsEntry("orders", 2L).containsEntry("tickets", 2L);
            assertThat(counted.body().path("erased").asBoolean()).isFalse();
            assertThat(count("orders") + count("tickets")).isEqualTo(6);

            Answer erased = erasure(eraser, true);
            assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
            assertThat(rows(erased)).containsEntry("orders", 2L).containsEntry("tickets", 2L);
            String token = erased.body().path("subjectToken").asText();
            assertThat(token)
                    .hasSize(64)
                    .isEqualTo(counted.body().path("subjectToken").asText());
            assertThat(count("orders")).as("another subject's order stays").isEqualTo(1);
            assertThat(count("tickets")).isEqualTo(1);
            assertThat(rows(erasure(eraser, false))).containsEntry("orders", 0L).containsEntry("tickets", 0L);

            try (Connection c = db.connectAs(db.createLogin("pii_auditor"));
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT actor, detail::text FROM pii_audit_chain WHERE event = 'erasure'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(eraser);
                assertThat(rs.getString(2))
                        .contains(token)
                        .contains("\"rows\": 2")
                        .doesNotContain("jane")
                        .doesNotContain("Jane");
            }
        } finally {
            logged.close();
        }
        assertThat(logged.text()).contains("/v1/erasure").doesNotContainIgnoringCase("jane");
    }

    @Test
    void anUnknownDomainOrAMissingReasonIsRefusedBeforeTheDatabase() {
        Answer unknown = client.post(
                RevealApi.ERASURE_PATH,
                eraser,
                RevealTestDb.password(eraser),
                Map.of("domain", "nowhere", "value", "x", "reason", "r"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("key domain nowhere");
        Answer noReason = client.post(
                RevealApi.ERASURE_PATH, eraser, RevealTestDb.password(eraser), Map.of("domain", "email", "value", "x"));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.error()).contains("reason is required").doesNotContain("\"x\"");
        assertThat(noReason.code()).isEqualTo("bad_request");
    }

    private static Answer erasure(String login, boolean confirm) {
        return client.post(
                RevealApi.ERASURE_PATH,
                login,
                RevealTestDb.password(login),
                Map.of("domain", "email", "value", SUBJECT, "reason", "GDPR request 2026-117", "confirm", confirm));
    }

    private static Map<String, Long> rows(Answer a) {
        Map<String, Long> out = new LinkedHashMap<>();
        a.body()
                .path("rows")
                .forEach(r ->
                        out.merge(r.path("dataset").asText(), r.path("rows").asLong(), Long::sum));
        return out;
    }

    private static long count(String table) throws SQLException {
        try (Statement s = db.admin().createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM public.\"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
