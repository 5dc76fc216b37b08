package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * U4: a web page the analyst visits can POST a text/plain form whose body is valid JSON (no preflight),
 * riding on Basic credentials the browser cached, or rebind its own domain name to 127.0.0.1 and read the
 * answers. The service answers only application/json POSTs, only under an allowed Host, and never asks the
 * browser to cache Basic credentials.
 */
class BrowserBorneRequestAttackTest {
    static final String ONE_CELL =
            "{\"purpose\":\"tests\",\"reason\":\"a\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"m-1\","
                    + "\"column\":\"masked_ip\"}]}";

    @TempDir
    Path dir;

    @Test
    void aTextPlainFormPostIsRefusedAndWritesNoAuditRow() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                // <form enctype="text/plain"> with name {"reason":"a and value ","cells":[...]} sends exactly this
                String form =
                        "{\"purpose\":\"tests\",\"reason\":\"a=\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"m-1\",\"column\":\"masked_ip\"}]}";
                for (String type : new String[] {
                    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"
                }) {
                    RawHttp.Response r = RawHttp.post(
                            server.uri(),
                            null,
                            Map.of(
                                    "Authorization",
                                    RawHttp.basic(reader, RevealTestDb.password(reader)),
                                    "Content-Type",
                                    type),
                            form);
                    assertThat(r.status()).as(type).isEqualTo(415);
                    assertThat(RevealServiceTest.code(r)).as(type).isEqualTo("not_json");
                    assertThat(r.body()).doesNotContain("10.1.2.3");
                }
                RawHttp.Response none = RawHttp.send(
                        server.uri(),
                        null,
                        "POST",
                        "/v1/reveal",
                        Map.of("Authorization", RawHttp.basic(reader, RevealTestDb.password(reader))),
                        form.getBytes(StandardCharsets.UTF_8));
                assertThat(none.status()).as("no Content-Type").isEqualTo(415);
                assertThat(db.auditCount())
                        .as("nothing was audited, so nothing was revealed")
                        .isZero();

                RawHttp.Response wrong = RawHttp.post(
                        server.uri(),
                        null,
                        Map.of(
                                "Authorization",
                                RawHttp.basic(reader, "not-the-password"),
                                "Content-Type",
                                "application/json"),
                        ONE_CELL);
                assertThat(wrong.status()).isEqualTo(401);
                assertThat(wrong.headers())
                        .as("no prompt: browsers must not cache Basic credentials")
                        .doesNotContainKey("www-authenticate");

                RawHttp.Response json = RawHttp.post(
                        server.uri(),
                        null,
                        Map.of(
                                "Authorization",
                                RawHttp.basic(reader, RevealTestDb.password(reader)),
                                "Content-Type",
                                "application/json; charset=utf-8"),
                        ONE_CELL);
                assertThat(json.status()).isEqualTo(200);
                assertThat(json.body()).contains("10.1.2.3");
            }
        }
    }

    @Test
    void aRebindingDomainNameInTheHostHeaderIsRefused() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            Properties p = keys.serviceConfig(db);
            p.setProperty("http.allowed.hosts", "reveal.example.test, Other.Example.Test");
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                String foreign = "rebind.attacker.example:" + server.port();
                RawHttp.Response health =
                        RawHttp.send(server.uri(), null, "GET", "/health", Map.of("Host", foreign), new byte[0]);
                assertThat(health.status()).isIn(403, 421);
                assertThat(health.body()).doesNotContain("keyIds");
                RawHttp.Response reveal = RawHttp.post(
                        server.uri(),
                        null,
                        Map.of(
                                "Host",
                                foreign,
                                "Authorization",
                                RawHttp.basic(reader, RevealTestDb.password(reader)),
                                "Content-Type",
                                "application/json"),
                        ONE_CELL);
                assertThat(reveal.status()).isIn(403, 421);
                assertThat(RevealServiceTest.code(reveal)).isEqualTo("host_not_allowed");
                assertThat(reveal.body()).doesNotContain("10.1.2.3");
                assertThat(db.auditCount()).isZero();

                for (String host : new String[] {
                    "localhost:" + server.port(),
                    "127.0.0.1:" + server.port(),
                    "LOCALHOST",
                    "[::1]:" + server.port(),
                    "10.20.30.40",
                    "reveal.example.test:443",
                    "other.example.test"
                }) {
                    assertThat(RawHttp.send(server.uri(), null, "GET", "/health", Map.of("Host", host), new byte[0])
                                    .status())
                            .as(host)
                            .isEqualTo(200);
                }
                for (String host : new String[] {
                    "reveal.example.test.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", ""
                }) {
                    assertThat(RawHttp.send(server.uri(), null, "GET", "/health", Map.of("Host", host), new byte[0])
                                    .status())
                            .as(host)
                            .isEqualTo(421);
                }
            }
        }
    }
}
