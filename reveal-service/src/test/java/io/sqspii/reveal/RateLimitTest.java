package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.reveal.RevealClient.Answer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-login limits: cells per minute, and failed logins per minute; other logins are not affected. */
class RateLimitTest {
    @TempDir
    Path dir;

    @Test
    void aLoginOverItsCellBudgetGets429WithRetryAfterAndOthersDoNot() throws SQLException {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            String other = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), keys.deviceId("593-47-5928"));
            Properties p = keys.serviceConfig(db);
            p.setProperty("rate.limit.cells.per.minute", "3");
            p.setProperty("max.cells.per.request", "2");
            p.setProperty("auth.failures.per.minute", "2");
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                RevealClient client = new RevealClient(server.uri());
                List<Map<String, String>> two = List.of(
                        cell("user_logins", "m-1", "masked_ip"), cell("user_logins", "m-1", "masked_device_id"));
                assertThat(client.reveal(reader, RevealTestDb.password(reader), "t", two)
                                .status())
                        .isEqualTo(200);
                long audited = db.auditCount();

                Answer limited = client.reveal(reader, RevealTestDb.password(reader), "t", two);
                assertThat(limited.status()).isEqualTo(429);
                assertThat(limited.error()).contains("3 cells per minute");
                assertThat(limited.code()).isEqualTo("rate_limited");
                long retryAfter = Long.parseLong(
                        limited.raw().headers().firstValue("Retry-After").orElseThrow());
                assertThat(retryAfter).isBetween(1L, 60L);
                assertThat(db.auditCount())
                        .as("a refused request writes no audit row")
                        .isEqualTo(audited);

                assertThat(client.reveal(other, RevealTestDb.password(other), "t", two)
                                .status())
                        .isEqualTo(200);

                String guessed = reader + "_guess";
                for (int i = 0; i < 2; i++) {
                    assertThat(client.reveal(guessed, "guess" + i, "t", two).status())
                            .isEqualTo(401);
                }
                Answer slowed = client.reveal(guessed, "guess3", "t", two);
                assertThat(slowed.status()).isEqualTo(429);
                assertThat(slowed.error()).contains("too many failed logins");
                assertThat(slowed.code()).isEqualTo("too_many_failed_logins");
                assertThat(slowed.raw().headers().firstValue("Retry-After")).isPresent();
            }
        }
    }
}
