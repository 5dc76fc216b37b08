package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pii.crypto.CipherMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (review B3): a Connect REST user puts a resolved secret ({@code ${env:JDBC_PASSWORD}}) into a key of
 * the PII transform, hoping that the validation error (REST validate) or the failure of configure (the task's
 * trace in REST status) quotes it. No message does; each names the key and what is wrong.
 */
class ValidationEchoAttackTest {
    @TempDir
    Path dir;

    static final List<String> SECRETS = List.of(
            "hunter2-JDBC-password", "jdbc:postgresql://db/x?password=hunter2", "..hunter2..", "hunter2 with spaces");

    private Map<String, String> valid(Path keyset) {
        Map<String, String> p = new HashMap<>(Map.of(
                "fields",
                "ip,device_id",
                "keyset.file",
                keyset.toString(),
                "keyset.allow.cleartext",
                "true",
                "associated.data",
                "user_logins"));
        return p;
    }

    @Test
    void aSecretResolvedIntoAnyKeyOfTheTransformIsNeverEchoed() {
        Path keyset = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        List<String> keys = new ArrayList<>(PiiTransformConfig.configDef(true).names());
        keys.add("canonicalize.ip");
        keys.add("canonicalize.not_a_field");
        int refused = 0;
        for (String key : keys) {
            for (String secret : SECRETS) {
                Map<String, String> props = valid(keyset);
                props.put(key, secret);
                if (key.equals(PiiTransformConfig.KEYSET_KMS_ENDPOINT)) {
                    props.put(PiiTransformConfig.KEYSET_KMS_URI, "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/k");
                }
                for (ConfigValue v : PiiTransformConfig.configDef(true).validate(props)) {
                    for (String m : v.errorMessages()) {
                        refused++;
                        assertThat(m).as(key).doesNotContain("hunter2");
                    }
                }
                try {
                    new EncryptFields.Value<>().configure(props);
                } catch (RuntimeException e) {
                    refused++;
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage()))
                                .as(key + " on configure")
                                .doesNotContain("hunter2");
                    }
                }
            }
        }
        assertThat(refused)
                .as("the secrets were refused, or the test proves nothing")
                .isGreaterThan(15);
    }
}
