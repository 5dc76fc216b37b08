package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B11: bad passwords for a victim's login must not lock the victim out (the limit is per login and client
 * address, plus per address), and parallel guesses must not get more database attempts than the budget
 * (the check and the take are one step).
 */
class FailedLoginLockoutAttackTest {
    static final String ONE_CELL =
            "{\"purpose\":\"tests\",\"reason\":\"t\",\"cells\":[{\"table\":\"user_logins\",\"rowKey\":\"m-1\","
                    + "\"column\":\"masked_ip\"}]}";

    @TempDir
    Path dir;

    @Test
    void anAttackersBadPasswordsDoNotLockTheVictimOut() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String victim = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                InetAddress attacker = InetAddress.getByName("127.0.0.2");
                int limited = 0;
                for (int i = 0; i < 15; i++) {
                    int status = post(server, attacker, victim, "guess-" + i).status();
                    assertThat(status).isIn(401, 429);
                    limited += status == 429 ? 1 : 0;
                }
                assertThat(limited).as("the attacker is slowed").isPositive();
                RawHttp.Response own =
                        post(server, InetAddress.getByName("127.0.0.1"), victim, RevealTestDb.password(victim));
                assertThat(own.status())
                        .as("the victim, from their own address")
                        .isEqualTo(200);
                assertThat(own.body()).contains("10.1.2.3");
            }
        }
    }

    @Test
    void parallelGuessesGetNoMoreDatabaseAttemptsThanTheBudget() throws Exception {
        TestKeys keys = TestKeys.generate(dir);
        try (RevealTestDb db = RevealTestDb.create()) {
            String victim = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            Properties p = keys.serviceConfig(db);
            p.setProperty("auth.failures.per.minute", "3");
            try (RevealServer server = RevealServer.start(RevealConfig.from(p))) {
                InetAddress attacker = InetAddress.getByName("127.0.0.3");
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    List<Callable<Integer>> guesses = new ArrayList<>();
                    for (int i = 0; i < 32; i++) {
                        String guess = "guess-" + i;
                        guesses.add(() -> post(server, attacker, victim, guess).status());
                    }
                    int reachedTheDatabase = 0;
                    for (Future<Integer> f : pool.invokeAll(guesses)) {
                        assertThat(f.get()).isIn(401, 429);
                        reachedTheDatabase += f.get() == 401 ? 1 : 0;
                    }
                    assertThat(reachedTheDatabase)
                            .as("401s = guesses PostgreSQL checked")
                            .isLessThanOrEqualTo(3);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    private static RawHttp.Response post(RevealServer server, InetAddress from, String login, String password) {
        return RawHttp.post(
                server.uri(),
                from,
                Map.of("Authorization", RawHttp.basic(login, password), "Content-Type", "application/json"),
                ONE_CELL);
    }
}
