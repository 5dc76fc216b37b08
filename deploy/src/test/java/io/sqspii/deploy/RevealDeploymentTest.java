package io.sqspii.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reveal service as the deployments start it: every setting they write is one that
 * io.sqspii.reveal.RevealConfig knows, they listen off loopback only with TLS, and the keys are read-only.
 */
class RevealDeploymentTest {

    @Test
    void composeWritesOnlySettingsTheServiceKnowsAndTurnsOnTls() {
        String entrypoint = Recipes.text("connect-config/docker/reveal-entrypoint.sh");
        Matcher heredoc = Pattern.compile("cat > \"\\$config\" <<EOF\\n(.*?)\\nEOF", Pattern.DOTALL)
                .matcher(entrypoint);
        assertThat(heredoc.find()).as("the entrypoint writes reveal.properties").isTrue();
        String properties = heredoc.group(1);
        assertThat(RevealKeys.unknownKeys(properties)).isEmpty();
        assertThat(properties)
                .contains(
                        "listen.host=0.0.0.0",
                        "tls.keystore.file=",
                        "tls.keystore.password=",
                        "db.service.user=",
                        "db.service.password.file=");
        assertThat(entrypoint).contains("-jar /opt/reveal/reveal-service.jar --config");
        String compose = Recipes.text("docker-compose.yml");
        assertThat(compose).contains("- pii-keys:/opt/reveal/keys:ro", "\"127.0.0.1:8089:8089\"");
    }

    @Test
    void theKubernetesSettingsAreSettingsTheServiceKnows() {
        String example = Recipes.text("deploy/strimzi/reveal.properties.example");
        assertThat(RevealKeys.unknownKeys(example)).isEmpty();
        assertThat(example).contains("listen.host=0.0.0.0", "tls.keystore.file=", "keyset.kms.key.uri=");
        assertThat(example).doesNotContain("keyset.allow.cleartext=true");
    }

    @Test
    void anUnknownSettingIsCaught() {
        assertThat(RevealKeys.unknownKeys("listen.host=127.0.0.1\nlisten.prot=8089\n"))
                .containsExactly("listen.prot");
        assertThat(RevealKeys.unknownKeys("keyset.email.file=/k\nkeyset.Email-2.file=/k\nkeyset.file=/k\n"))
                .containsExactly("keyset.Email-2.file", "keyset.file");
    }
}
