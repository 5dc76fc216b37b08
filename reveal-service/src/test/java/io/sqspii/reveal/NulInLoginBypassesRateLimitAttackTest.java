package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B1: pgjdbc writes the login into the startup packet unchecked, so {@code reader\0application_name\0rN}
 * logs in as {@code reader} while the limiter saw a new name each time. The service must refuse such logins
 * before it connects, count cells by the database's session_user, and slow guessing per client address.
 */
class NulInLoginBypassesRateLimitAttackTest {
    static final String TWO_CELLS =
            "{\"purpose\":\"tests\",\"reason\":\"t\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"m-1\","
                    + "\"column\":\"masked_ip\"},{\"table\":\"user_logins\",\"rowKey\":\"m-1\",\"column\":\"masked_device_id\"}]}";

    @TempDir
    Path dir;

    @Test
    void nulVariantsOfAReadersLoginAreRefusedAndTheCellBudgetHolds() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            String pw = RevealTestDb.password(reader);
            db.insertLogin("m-1", keys.ip("10.1.2.3"), keys.deviceId("593-47-5928"));
            Properties p = keys.serviceConfig(db);
            p.setProperty("rate.limit.cells.per.minute", "3");
            p.setProperty("max.cells.per.request", "2");
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                assertThat(post(server, reader, pw).status()).isEqualTo(200);
                long audited = db.auditCount();
                for (int i = 0; i < 20; i++) {
                    RawHttp.Response r = post(server, reader + "\0application_name\0r" + i, pw);
                    assertThat(r.status()).as("variant %d", i).isIn(400, 401);
                    assertThat(r.body()).doesNotContain("10.1.2.3");
                }
                for (String control : new String[] {"\t", "\n", "\u007f", "\u0001"}) {
                    assertThat(post(server, reader + control + "x", pw).status())
                            .isIn(400, 401);
                }
                assertThat(post(server, "r".repeat(64), pw).status())
                        .as("64 bytes")
                        .isIn(400, 401);
                assertThat(db.auditCount()).as("no variant reached pii_reveal").isEqualTo(audited);
                assertThat(post(server, reader, pw).status())
                        .as("the budget of 3 cells is spent")
                        .isEqualTo(429);
                assertThat(db.auditCount()).isEqualTo(audited);
            }
        }
    }

    @Test
    void guessingUnderEverNewLoginNamesIsSlowedPerClientAddress() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), keys.deviceId("593-47-5928"));
            Properties p = keys.serviceConfig(db);
            p.setProperty("auth.failures.per.minute", "2");
            p.setProperty("auth.failures.per.minute.per.address", "5");
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                int refused = 0;
                for (int i = 0; i < 12; i++) {
                    RawHttp.Response r = post(server, "postgres\0application_name\0g" + i, "guess" + i);
                    assertThat(r.status()).isIn(400, 401, 429);
                }
                for (int i = 0; i < 12; i++) {
                    RawHttp.Response r = post(server, "guess_" + i, "guess" + i);
                    if (r.status() == 429) {
                        refused++;
                        assertThat(r.headers()).containsKey("retry-after");
                    } else {
                        assertThat(r.status()).isEqualTo(401);
                    }
                }
                assertThat(refused)
                        .as("at most 5 failures per minute from one address reach PostgreSQL")
                        .isGreaterThanOrEqualTo(7);
            }
        }
    }

    private static RawHttp.Response post(RevealServer server, String login, String password) throws Exception {
        return RawHttp.post(
                server.uri(),
                InetAddress.getByName("127.0.0.1"),
                Map.of("Authorization", RawHttp.basic(login, password), "Content-Type", "application/json"),
                TWO_CELLS);
    }
}
