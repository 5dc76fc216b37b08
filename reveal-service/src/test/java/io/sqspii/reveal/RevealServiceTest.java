package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.reveal.RevealClient.Answer;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.PiiColumn;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over real HTTP and a real PostgreSQL: who may reveal, what is audited, what is refused. */
class RevealServiceTest {
    static final String IP = "10.1.2.3";
    static final String DEVICE = "593-47-5928";
    static final String BODY = "{\"ip\":\"not json";
    static final String EMAIL = "ann@example.com";
    static final String PHONE = "+15551234567";
    static final String HOLDER = "Bo Chen";
    static final String WATCHER = "cy@example.com";

    @TempDir
    static Path dir;

    static RevealTestDb db;
    static TestKeys keys;
    static RevealServer server;
    static RevealClient client;
    static String reader;
    static String analyst;
    static long foreignKeyId;

    @BeforeAll
    static void setUp() throws SQLException {
        db = RevealTestDb.create();
        keys = TestKeys.generate(dir);
        reader = db.createLogin("pii_reader");
        analyst = db.createLogin("analyst");
        db.insertLogin("m-1", keys.ip(IP), keys.deviceId(DEVICE));
        db.insertLogin("m-2", keys.ip("192.168.7.1"), null);
        String foreign = TestKeys.foreignLoginsCipher().encrypt("ip", "172.16.0.9");
        foreignKeyId = TinkKeyId.of(foreign).orElseThrow();
        db.insertLogin("m-foreign-key", foreign, null);
        String good = keys.ip("172.16.0.10");
        db.insertLogin(
                "m-damaged", good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11), null);
        db.insertRejected("r-1", keys.body(BODY));
        // orders (nested customer, items array) and a dataset of the tests' own sharing the email domain
        db.applyDataset(RevealTestDb.ticketsDataset(dir));
        PiiColumn holder = db.column("orders", "items");
        db.insert(
                "orders",
                Map.of(
                        "message_id",
                        "o-1",
                        "masked_customer_email",
                        keys.encrypt(db.column("orders", "masked_customer_email"), EMAIL),
                        "masked_customer_phone",
                        keys.encrypt(db.column("orders", "masked_customer_phone"), PHONE),
                        "items",
                        new RevealTestDb.Json("[{\"sku\": \"a\"}, {\"sku\": \"b\", \"holder_name\": \""
                                + keys.encrypt(holder, HOLDER) + "\"}]")));
        PiiColumn watcher = db.column("tickets", "watchers");
        db.insert(
                "tickets",
                Map.of(
                        "ticket_id",
                        41L,
                        "masked_reporter_email",
                        keys.encrypt(db.column("tickets", "masked_reporter_email"), EMAIL),
                        "watchers",
                        new RevealTestDb.Json("[{\"email\": \"" + keys.encrypt(watcher, WATCHER) + "\"}]")));
        Properties p = keys.serviceConfig(db);
        p.setProperty("rate.limit.cells.per.minute", "1000");
        p.setProperty("max.cells.per.request", "5");
        server = RevealServer.start(RevealConfig.from(p));
        client = new RevealClient(server.uri());
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (server != null) {
            server.close();
        }
        db.close();
    }

    private static String pw(String login) {
        return RevealTestDb.password(login);
    }

    @Test
    void aReaderRevealsAndEveryCellIsAuditedAndCommittedBeforeTheAnswer() throws SQLException {
        int before = db.auditOf(reader).size();
        Answer a = client.reveal(
                reader,
                pw(reader),
                "ticket 4711",
                List.of(
                        cell("user_logins", "m-1", "masked_ip"),
                        cell("user_logins", "m-1", "masked_device_id"),
                        cell("user_logins_rejected", "r-1", "encrypted_body")));
        // read at once, from another connection: the rows are there, committed, settled
        List<Map<String, Object>> audit = db.auditOf(reader);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.raw().headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode cells = a.body().get("cells");
        assertThat(cells).hasSize(3);
        assertThat(cells.get(0).get("plaintext").asText()).isEqualTo(IP);
        assertThat(cells.get(1).get("plaintext").asText()).isEqualTo(DEVICE);
        assertThat(cells.get(2).get("plaintext").asText()).isEqualTo(BODY);
        assertThat(cells.get(0).get("rowKey").asText()).isEqualTo("m-1");
        assertThat(audit).hasSize(before + 3);
        List<Map<String, Object>> mine = audit.subList(before, before + 3);
        for (int i = 0; i < 3; i++) {
            assertThat(mine.get(i).get("id"))
                    .isEqualTo(cells.get(i).get("auditId").asLong());
            assertThat(mine.get(i))
                    .containsEntry("analyst", reader)
                    .containsEntry("reason", "ticket 4711")
                    .containsEntry("outcome", "revealed")
                    .containsEntry("failure", null);
        }
        assertThat(mine.get(0))
                .containsEntry("column_name", "masked_ip")
                .containsEntry("key_id", keys.deterministicKeyId());
        assertThat(mine.get(2))
                .containsEntry("table_name", "user_logins_rejected")
                .containsEntry("key_id", keys.randomizedKeyId());
    }

    @Test
    void aLoginWithoutPiiReaderGets403AndNothingIsAudited() throws SQLException {
        long before = db.auditCount();
        Answer a = client.reveal(analyst, pw(analyst), "curious", List.of(cell("user_logins", "m-1", "masked_ip")));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.code()).isEqualTo("not_a_reader");
        assertThat(a.error()).contains("pii_reader");
        assertThat(a.raw().body()).doesNotContain(IP).doesNotContain("plaintext");
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void noOrUnknownCredentialsGet401() throws SQLException {
        long before = db.auditCount();
        Answer none = client.reveal(null, null, "t", List.of(cell("user_logins", "m-1", "masked_ip")));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("not_authenticated");
        assertThat(none.raw().headers().firstValue("WWW-Authenticate"))
                .as("no browser prompt (U4)")
                .isEmpty();
        Answer unknown =
                client.reveal("rv_no_such_login_x", "pw", "t", List.of(cell("user_logins", "m-1", "masked_ip")));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.error()).contains("login failed");
        assertThat(unknown.code()).isEqualTo("not_authenticated");
        assertThat(AccessLog.printable("forged\nPOST /v1/reveal login=admin status=200"))
                .doesNotContain("\n");
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void aCiphertextSentByTheClientIsRefusedAndOnlyTheStoredValueIsDecrypted() throws SQLException {
        long before = db.auditCount();
        String planted = keys.ip("6.6.6.6");
        Map<String, Object> withCiphertext = new LinkedHashMap<>(cell("user_logins", "m-1", "masked_ip"));
        withCiphertext.put("ciphertext", planted);
        Answer inCell = client.post(reader, pw(reader), Map.of("reason", "t", "cells", List.of(withCiphertext)));
        Answer topLevel = client.post(
                reader,
                pw(reader),
                Map.of(
                        "reason",
                        "t",
                        "ciphertext",
                        planted,
                        "cells",
                        List.of(cell("user_logins", "m-1", "masked_ip"))));
        for (Answer a : List.of(inCell, topLevel)) {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.error()).contains("unknown field 'ciphertext'");
            assertThat(a.code()).isEqualTo("bad_request");
            assertThat(a.raw().body()).doesNotContain("6.6.6.6");
        }
        assertThat(db.auditCount()).isEqualTo(before);

        Answer ok = client.reveal(reader, pw(reader), "t", List.of(cell("user_logins", "m-1", "masked_ip")));
        assertThat(ok.body().get("cells").get(0).get("plaintext").asText()).isEqualTo(IP);
    }

    @Test
    void clearErrorsForMissingRowsWrongColumnsAndBadRequests() throws SQLException {
        long before = db.auditCount();
        Answer missing =
                client.reveal(reader, pw(reader), "t", List.of(cell("user_logins", "no-such-row", "masked_ip")));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("no row with key no-such-row in user_logins");
        assertThat(missing.code()).isEqualTo("no_such_row");
        db.insert("orders", Map.of("message_id", "o-no-phone")); // customer.phone is nullable
        Answer empty =
                client.reveal(reader, pw(reader), "t", List.of(cell("orders", "o-no-phone", "masked_customer_phone")));
        assertThat(empty.status()).isEqualTo(404);
        assertThat(empty.code()).isEqualTo("no_value");
        // a missing cell among good ones: nothing of the request is revealed or audited
        Answer mixed = client.reveal(
                reader,
                pw(reader),
                "t",
                List.of(cell("user_logins", "m-1", "masked_ip"), cell("user_logins", "no-such-row", "masked_ip")));
        assertThat(mixed.status()).isEqualTo(404);
        assertThat(mixed.raw().body()).doesNotContain(IP);

        Answer column = client.reveal(reader, pw(reader), "t", List.of(cell("user_logins", "m-1", "user_id")));
        assertThat(column.status()).isEqualTo(400);
        assertThat(column.error())
                .isEqualTo("cannot reveal user_logins.user_id: the PII catalog (pii_columns) lists no " + "such value");
        assertThat(column.code()).isEqualTo("unknown_column");
        Answer table = client.reveal(reader, pw(reader), "t", List.of(cell("pii_access_log", "1", "reason")));
        assertThat(table.status()).isEqualTo(400);
        assertThat(table.error()).contains("cannot reveal pii_access_log.reason");
        Answer emptyPath = client.reveal(reader, pw(reader), "t", List.of(cell("orders", "o-1", "items", "")));
        assertThat(emptyPath.status()).isEqualTo(400);
        assertThat(emptyPath.error()).contains("a path must have 1 to 256 characters");
        assertThat(emptyPath.code()).isEqualTo("bad_request");
        Answer badPath = client.reveal(reader, pw(reader), "t", List.of(cell("orders", "o-1", "items", "holder_name")));
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(badPath.code()).isEqualTo("bad_request");
        Answer noSuchPurpose = client.post(
                reader,
                pw(reader),
                Map.of(
                        "purpose",
                        "no-such-purpose",
                        "reason",
                        "t",
                        "cells",
                        List.of(cell("user_logins", "m-1", "masked_ip"))));
        assertThat(noSuchPurpose.status()).isEqualTo(400);
        assertThat(noSuchPurpose.code()).isEqualTo("unknown_purpose");

        List<Map<String, String>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(cell("user_logins", "m-1", "masked_ip"));
        }
        Answer tooMany = client.reveal(reader, pw(reader), "t", six);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.error()).contains("6 cells").contains("limit is 5");
        assertThat(tooMany.code()).isEqualTo("too_many_cells");
        assertThat(client.reveal(reader, pw(reader), " ", List.of(cell("user_logins", "m-1", "masked_ip")))
                        .error())
                .contains("reason is required");
        Answer noPurpose = client.post(
                reader, pw(reader), Map.of("reason", "t", "cells", List.of(cell("user_logins", "m-1", "masked_ip"))));
        assertThat(noPurpose.status()).isEqualTo(400);
        assertThat(noPurpose.error()).contains("purpose is required");
        assertThat(noPurpose.code()).isEqualTo("bad_request");
        assertThat(client.reveal(reader, pw(reader), "r".repeat(501), List.of(cell("user_logins", "m-1", "masked_ip")))
                        .status())
                .isEqualTo(400);
        assertThat(client.reveal(reader, pw(reader), "t", List.of()).error()).contains("no cells");
        Answer malformed = client.post(reader, pw(reader), "{\"reason\": \"secret reason\", \"cells\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).doesNotContain("secret reason");
        assertThat(malformed.code()).isEqualTo("bad_request");
        Answer large =
                client.post(reader, pw(reader), "{\"reason\": \"" + "r".repeat(Exchanges.MAX_BODY_BYTES) + "\"}");
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.code()).isEqualTo("too_large");
        Answer noSuchPath = client.post("/v1/revealed", reader, pw(reader), "{}");
        assertThat(noSuchPath.status()).isEqualTo(404);
        assertThat(noSuchPath.code()).isEqualTo("no_such_resource");
        RawHttp.Response get = RawHttp.send(server.uri(), null, "GET", "/v1/reveal", Map.of(), new byte[0]);
        assertThat(get.status()).isEqualTo(405);
        assertThat(code(get)).isEqualTo("method_not_allowed");
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void aValueThatDoesNotDecryptIsAuditedAsFailedWithItsCause() throws SQLException {
        Answer a = client.reveal(
                reader,
                pw(reader),
                "rotation check",
                List.of(
                        cell("user_logins", "m-foreign-key", "masked_ip"),
                        cell("user_logins", "m-damaged", "masked_ip"),
                        cell("user_logins", "m-2", "masked_ip")));
        assertThat(a.status()).isEqualTo(200);
        JsonNode cells = a.body().get("cells");
        String noKey = "no key with id " + foreignKeyId + " in keyset deterministic";
        assertThat(cells.get(0).get("error").asText()).isEqualTo(noKey);
        assertThat(cells.get(0).has("plaintext")).isFalse();
        assertThat(cells.get(1).get("error").asText())
                .contains("does not decrypt")
                .contains("damaged");
        assertThat(cells.get(2).get("plaintext").asText()).isEqualTo("192.168.7.1");

        Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
        db.auditOf(reader).forEach(r -> byId.put((Long) r.get("id"), r));
        assertThat(byId.get(cells.get(0).get("auditId").asLong()))
                .containsEntry("outcome", "failed")
                .containsEntry("failure", noKey)
                .containsEntry("key_id", foreignKeyId);
        assertThat(byId.get(cells.get(1).get("auditId").asLong()))
                .containsEntry("outcome", "failed")
                .containsEntry("failure", cells.get(1).get("error").asText());
        assertThat(byId.get(cells.get(2).get("auditId").asLong())).containsEntry("outcome", "revealed");
    }

    @Test
    void aNestedColumnAndAValueInsideAnArrayAreRevealedWithTheCatalogsKeysetAndAssociatedData() throws SQLException {
        Answer a = client.reveal(
                reader,
                pw(reader),
                "order 17",
                List.of(
                        cell("orders", "o-1", "masked_customer_phone"),
                        cell(
                                "orders",
                                "o-1",
                                "items",
                                db.column("orders", "items").pathOf(1))));
        assertThat(a.status()).isEqualTo(200);
        JsonNode cells = a.body().get("cells");
        assertThat(cells.get(0).get("plaintext").asText()).isEqualTo(PHONE);
        assertThat(cells.get(0).has("path")).isFalse();
        assertThat(cells.get(1).get("plaintext").asText()).isEqualTo(HOLDER);
        assertThat(cells.get(1).get("path").asText()).isEqualTo("/1/holder_name");
        Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
        db.auditOf(reader).forEach(r -> byId.put((Long) r.get("id"), r));
        assertThat(byId.get(cells.get(0).get("auditId").asLong()))
                .containsEntry("table_name", "orders")
                .containsEntry("column_name", "masked_customer_phone")
                .containsEntry("path", null)
                .containsEntry("outcome", "revealed");
        assertThat(byId.get(cells.get(1).get("auditId").asLong()))
                .containsEntry("column_name", "items")
                .containsEntry("path", "/1/holder_name")
                .containsEntry("outcome", "revealed")
                .containsEntry("key_id", keys.randomizedKeyId());
    }

    @Test
    void aValueOfTheSharedEmailDomainRevealsInEveryDatasetOfThatDomain() throws SQLException {
        PiiColumn orders = db.column("orders", "masked_customer_email");
        PiiColumn tickets = db.column("tickets", "masked_reporter_email");
        assertThat(orders.associatedData()).isEqualTo("email").isEqualTo(tickets.associatedData());
        // one value, one ciphertext in both datasets: SQL equality joins them
        assertThat(keys.encrypt(orders, EMAIL)).isEqualTo(keys.encrypt(tickets, EMAIL));
        Answer a = client.reveal(
                reader,
                pw(reader),
                "same customer?",
                List.of(
                        cell("orders", "o-1", "masked_customer_email"),
                        cell("tickets", "41", "masked_reporter_email"),
                        cell("tickets", "41", "watchers", "/0/email")));
        assertThat(a.status()).isEqualTo(200);
        JsonNode cells = a.body().get("cells");
        assertThat(cells.get(0).get("plaintext").asText()).isEqualTo(EMAIL);
        assertThat(cells.get(1).get("plaintext").asText()).isEqualTo(EMAIL);
        assertThat(cells.get(2).get("plaintext").asText()).isEqualTo(WATCHER);
    }

    @Test
    void whatTheCatalogDoesNotListIsRefusedAndNothingIsAudited() throws SQLException {
        long before = db.auditCount();
        for (Map<String, String> c : List.of(
                cell("orders", "o-1", "status"),
                cell("orders", "o-1", "order_id"),
                cell("orders", "o-1", "items"),
                cell("orders", "o-1", "items", "/1/sku"),
                cell("orders", "o-1", "masked_customer_phone", "/0"),
                cell("orders", "o-1", "items", "/1/holder_name'--"),
                cell("orders\"; DROP TABLE orders; --", "o-1", "masked_customer_phone"),
                cell("no_such_table", "1", "x"))) {
            Answer a =
                    client.reveal(reader, pw(reader), "t", List.of(cell("orders", "o-1", "masked_customer_phone"), c));
            assertThat(a.status()).as(c.toString()).isEqualTo(400);
            assertThat(a.error()).as(c.toString()).startsWith("cannot reveal ");
            assertThat(a.code()).as(c.toString()).isEqualTo("unknown_column");
            assertThat(a.raw().body()).doesNotContain(PHONE);
        }
        assertThat(db.auditCount()).isEqualTo(before);
    }

    @Test
    void aDatabaseErrorWithoutARefusalCodeIsAnsweredByItsSqlstate() {
        // the refusals of roles.sql name their code as HINT; PostgreSQL's own errors have only a SQLSTATE
        assertThat(RevealDatabase.failure(new SQLException("x", "28P01"), ErrorCode.NOT_A_READER)
                        .code())
                .isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(RevealDatabase.failure(new SQLException("x", "42501"), ErrorCode.NOT_AN_ERASER)
                        .code())
                .isEqualTo(ErrorCode.NOT_AN_ERASER);
        assertThat(RevealDatabase.failure(new SQLException("x", "08001"), ErrorCode.NOT_A_READER)
                        .code())
                .isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
        ApiException other = RevealDatabase.failure(new SQLException("x", "XX000"), ErrorCode.NOT_A_READER);
        assertThat(other.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(other.status()).isEqualTo(500);
    }

    /** The code of a raw answer's JSON body. */
    static String code(RawHttp.Response r) {
        try {
            return RevealClient.JSON.readTree(r.body()).path("code").asText(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void healthListsTheCatalogsDatasetsAndTheKeyIdsOfEachKeysetWithoutAuthentication() {
        Answer h = client.health();
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.body().get("status").asText()).isEqualTo("UP");
        JsonNode keysets = h.body().get("keysets");
        assertThat(keysets).hasSize(2);
        assertThat(keysets.get(0).get("keyset").asText()).isEqualTo("deterministic");
        assertThat(keysets.get(0).get("mode").asText()).isEqualTo("deterministic");
        assertThat(keysets.get(0).get("keyIds").get(0).asLong()).isEqualTo(keys.deterministicKeyId());
        assertThat(keysets.get(1).get("keyset").asText()).isEqualTo("randomized");
        assertThat(keysets.get(1).get("keyIds").get(0).asLong()).isEqualTo(keys.randomizedKeyId());
        JsonNode datasets = h.body().get("datasets");
        assertThat(datasets)
                .extracting(d -> d.get("dataset").asText())
                .containsExactly("orders", "tickets", "user_logins");
        assertThat(datasets.get(0).get("tables"))
                .extracting(JsonNode::asText)
                .containsExactly("orders", "orders_rejected");
        assertThat(datasets.get(0).get("keysets"))
                .extracting(JsonNode::asText)
                .containsExactly("deterministic", "randomized");
        assertThat(h.raw().body()).doesNotContain("value").doesNotContain("AES");
    }
}
