package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.reveal.RevealClient.Answer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication is PostgreSQL's: against a server that checks passwords ({@link io.sqspii.testsupport.PasswordCheckingPostgres}),
 * a wrong password is 401 (with no Basic prompt a browser would cache) and the right one reveals.
 */
class WrongPasswordTest {
    @TempDir
    Path dir;

    @Test
    void aWrongPasswordIs401AndTheRightOneReveals() throws Exception {
        try (RevealTestDb db = RevealTestDb.create()) {
            TestKeys keys = TestKeys.generate(dir);
            String reader = db.createLogin("pii_reader");
            db.insertLogin("m-1", keys.ip("10.1.2.3"), null);
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                RevealClient client = new RevealClient(server.uri());
                Answer wrong = client.reveal(
                        reader,
                        "not-" + RevealTestDb.password(reader),
                        "t",
                        List.of(cell("user_logins", "m-1", "masked_ip")));
                assertThat(wrong.status()).isEqualTo(401);
                assertThat(wrong.raw().headers().firstValue("WWW-Authenticate")).isEmpty();
                assertThat(db.auditCount()).isZero();
                Answer right = client.reveal(
                        reader, RevealTestDb.password(reader), "t", List.of(cell("user_logins", "m-1", "masked_ip")));
                assertThat(right.status()).isEqualTo(200);
                assertThat(right.body().get("cells").get(0).get("plaintext").asText())
                        .isEqualTo("10.1.2.3");
            }
        }
    }
}
