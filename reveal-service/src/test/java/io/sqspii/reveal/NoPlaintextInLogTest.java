package io.sqspii.reveal;

import static io.sqspii.reveal.RevealClient.cell;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Across a run of reveals (good, refused, failed), the service's log holds no plaintext, reason, ciphertext or password. */
class NoPlaintextInLogTest {
    static final String IP = "203.0.113.77";
    static final String DEVICE = "771-55-3412";
    static final String BODY = "body-secret-9f3a";
    static final String REASON = "reason-text-4c1e";

    @TempDir
    Path dir;

    @Test
    void theLogHoldsOnlyWhatAnOperatorNeeds() throws SQLException {
        CapturedLog captured = new CapturedLog();

        TestKeys keys = TestKeys.generate(dir);
        List<String> secrets = new ArrayList<>(List.of(IP, DEVICE, BODY, REASON));
        try (RevealTestDb db = RevealTestDb.create()) {
            String reader = db.createLogin("pii_reader");
            String analyst = db.createLogin("analyst");
            db.insertLogin("m-1", keys.ip(IP), keys.deviceId(DEVICE));
            db.insertLogin("m-bad", TestKeys.foreignLoginsCipher().encrypt("ip", IP), null);
            db.insertRejected("r-1", keys.body(BODY));
            secrets.addAll(List.of(
                    keys.ip(IP), keys.deviceId(DEVICE), RevealTestDb.password(reader), RevealTestDb.password(analyst)));
            try (RevealServer server = RevealServer.start(RevealConfig.from(keys.serviceConfig(db)))) {
                RevealClient client = new RevealClient(server.uri());
                String pw = RevealTestDb.password(reader);
                List<Map<String, String>> all = List.of(
                        cell("user_logins", "m-1", "masked_ip"),
                        cell("user_logins", "m-1", "masked_device_id"),
                        cell("user_logins_rejected", "r-1", "encrypted_body"),
                        cell("user_logins", "m-bad", "masked_ip"));
                RevealClient.Answer ok = client.reveal(reader, pw, REASON, all);
                assertThat(ok.raw().body()).contains(IP, DEVICE, BODY);
                assertThat(client.reveal(analyst, RevealTestDb.password(analyst), REASON, all)
                                .status())
                        .isEqualTo(403);
                assertThat(client.reveal(reader, pw, REASON, List.of(cell("user_logins", "nope", "masked_ip")))
                                .status())
                        .isEqualTo(404);
                assertThat(client.post(
                                        reader,
                                        pw,
                                        "{\"reason\":\"" + REASON + "\",\"cells\":[{\"ciphertext\":\"" + keys.ip(IP)
                                                + "\"}]}")
                                .status())
                        .isEqualTo(400);
                assertThat(client.post(reader, pw, "{\"reason\":\"" + REASON + "\", " + IP)
                                .status())
                        .isEqualTo(400);
            }
        } finally {
            captured.close();
        }

        List<String> lines = captured.text().lines().toList();
        assertThat(lines)
                .as("the capture works")
                .anyMatch(l -> l.contains("status=200"))
                .anyMatch(l -> l.contains("status=403"))
                .anyMatch(l -> l.contains("key ids"));
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }
}
