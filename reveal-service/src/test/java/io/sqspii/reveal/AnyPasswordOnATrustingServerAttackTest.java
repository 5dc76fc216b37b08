package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * U3: the service leaves authentication to PostgreSQL, so a pg_hba "trust" line for its address would let
 * anyone reveal as postgres with any password. The service probes with a random password at start-up and
 * refuses to run when the server lets it in; against a server that checks passwords, the attack is a 401.
 */
class AnyPasswordOnATrustingServerAttackTest {
    static final String ONE_CELL =
            "{\"purpose\":\"tests\",\"reason\":\"t\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"m-1\","
                    + "\"column\":\"masked_ip\"}]}";

    @TempDir
    Path dir;

    @Test
    void theServiceRefusesToRunOnAServerThatTrustsLogins() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.onTrustingServer()) {
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            assertThatThrownBy(() -> {
                        try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db.url)))) {
                            // unfixed: it runs, and the attack reveals
                            RawHttp.Response r = RawHttp.post(
                                    server.uri(),
                                    null,
                                    Map.of(
                                            "Authorization",
                                            RawHttp.basic("postgres", "definitely-wrong"),
                                            "Content-Type",
                                            "application/json"),
                                    ONE_CELL);
                            throw new AssertionError(
                                    "the service ran on a trusting server; postgres:definitely-wrong got "
                                            + r.status());
                        }
                    })
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("db.auth.probe.users")
                    .hasMessageContaining("trust");
            assertThat(db.auditCount()).isZero();
        }
    }

    @Test
    void postgresWithAWrongPasswordIs401OnAServerThatChecksPasswords() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db.url)))) {
                RawHttp.Response r = RawHttp.post(
                        server.uri(),
                        null,
                        Map.of(
                                "Authorization",
                                RawHttp.basic("postgres", "definitely-wrong"),
                                "Content-Type",
                                "application/json"),
                        ONE_CELL);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.body()).doesNotContain("10.1.2.3");
                assertThat(db.auditCount()).isZero();
            }
        }
    }
}
