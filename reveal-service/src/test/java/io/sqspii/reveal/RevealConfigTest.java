package io.sqspii.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings are checked before anything listens, and the README documents every one. */
class RevealConfigTest {
    @TempDir
    Path dir;

    private Properties valid() {
        return TestKeys.generate(dir).serviceConfig("jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    @Test
    void defaultsFollowTheContract() {
        Properties p = valid();
        p.remove("listen.host");
        p.remove("listen.port");
        RevealConfig c = RevealConfig.from(p);
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(8089);
        assertThat(c.rateLimitCellsPerMinute()).isEqualTo(60);
        assertThat(c.maxCellsPerRequest()).isEqualTo(20);
        assertThat(c.authFailuresPerMinute()).isEqualTo(10);
        assertThat(c.authFailuresPerMinutePerAddress()).isEqualTo(30);
        assertThat(c.authFailuresPerMinuteGlobal()).isEqualTo(300);
        assertThat(c.probeUsers()).containsExactly("postgres");
        assertThat(c.allowedHosts()).isEmpty();
    }

    @Test
    void refusesWhatWouldWeakenIt() {
        Properties creds = valid();
        creds.setProperty("db.url", "jdbc:postgresql://127.0.0.1:5432/postgres?ssl=true&user=postgres");
        assertThatThrownBy(() -> RevealConfig.from(creds)).hasMessageContaining("must not carry 'user'");

        Properties clear = valid();
        clear.remove("keyset.allow.cleartext");
        assertThatThrownBy(() -> RevealConfig.from(clear)).hasMessageContaining("keyset.allow.cleartext=true");

        Properties typo = valid();
        typo.setProperty("rate.limit.cells.per.minut", "1000000");
        assertThatThrownBy(() -> RevealConfig.from(typo))
                .hasMessageContaining("unknown setting(s) [rate.limit.cells.per.minut]");

        Properties cap = valid();
        cap.setProperty("max.cells.per.request", "61");
        assertThatThrownBy(() -> RevealConfig.from(cap)).hasMessageContaining("exceeds rate.limit.cells.per.minute");

        Properties noPassword = valid();
        noPassword.setProperty("tls.keystore.file", "server.p12");
        assertThatThrownBy(() -> RevealConfig.from(noPassword))
                .hasMessageContaining("tls.keystore.password is required");

        Properties noProbe = valid();
        noProbe.setProperty("db.auth.probe.users", " , ");
        assertThatThrownBy(() -> RevealConfig.from(noProbe))
                .hasMessageContaining("db.auth.probe.users needs at least one login");

        Properties noKeys = valid();
        noKeys.remove("keyset.deterministic.file");
        noKeys.remove("keyset.randomized.file");
        assertThatThrownBy(() -> RevealConfig.from(noKeys)).hasMessageContaining("no keyset");
    }

    @Test
    void mainExplainsAndExitsOnABadConfig() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(RevealServer.run(new String[0], new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config");
        Path file = dir.resolve("reveal.properties");
        Files.writeString(file, "db.url=jdbc:postgresql://127.0.0.1:5432/postgres\nkeyset.deterministic.file=x.json\n");
        err.reset();
        assertThat(RevealServer.run(
                        new String[] {"--config", file.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("keyset.allow.cleartext");
    }

    @Test
    void theServiceLoginIsRequiredAndItsPasswordIsReadFromAFileWithoutQuotingIt() throws IOException {
        Properties none = valid();
        none.remove("db.service.user");
        assertThatThrownBy(() -> RevealConfig.from(none)).hasMessageContaining("db.service.user is required");

        Path secret = dir.resolve("service-password");
        Files.writeString(secret, "s3cret-from-a-file\n");
        Properties fromFile = valid();
        fromFile.setProperty("db.service.password.file", secret.toString());
        assertThat(RevealConfig.from(fromFile).dbServicePassword()).isEqualTo("s3cret-from-a-file");

        Properties both = valid();
        both.setProperty("db.service.password.file", secret.toString());
        both.setProperty("db.service.password", "inline");
        assertThatThrownBy(() -> RevealConfig.from(both)).hasMessageContaining("not both");

        Properties missing = valid();
        missing.setProperty(
                "db.service.password.file", dir.resolve("no-such-file").toString());
        assertThatThrownBy(() -> RevealConfig.from(missing))
                .hasMessageContaining("cannot read db.service.password.file");
    }

    @Test
    void theReadmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String key : RevealConfig.DOCS.keySet()) {
            assertThat(readme).as(key).contains("| `" + key + "` |");
        }
    }
}
