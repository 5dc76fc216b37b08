package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DecryptFields is its own plugin archive, with its own services entries, and runs from it alone. */
class PluginArchiveIT {
    @TempDir
    Path dir;

    @Test
    void decryptFieldsRunsFromItsOwnArchive() throws Exception {
        Path zip = Path.of(System.getProperty("plugin.archive"));
        assertThat(PluginArchives.classesAndServices(zip, dir))
                .contains(
                        "io.sqspii.pii.DecryptFields$Value.class",
                        "service io.sqspii.pii.DecryptFields$Key",
                        "service io.sqspii.pii.DecryptFields$Value");
        assertThat(PluginArchives.root(zip)).startsWith("sqspii-pii-decrypt-smt-");
        assertThat(PluginArchives.manifest(zip))
                .contains("\"name\": \"pii-decrypt-smt\"")
                .contains("never on the pipeline worker")
                .doesNotContain("${");

        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        PiiCipher cipher =
                PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
        try (URLClassLoader plugin = new URLClassLoader(
                PluginArchives.unpackJars(zip, dir.resolve("decrypt")).toArray(URL[]::new),
                PluginArchives.workerSide())) {
            Class<?> cls = plugin.loadClass(DecryptFields.Value.class.getName());
            assertThat(cls.getClassLoader()).isSameAs(plugin);
            @SuppressWarnings("unchecked")
            Transformation<SourceRecord> t =
                    (Transformation<SourceRecord>) cls.getDeclaredConstructor().newInstance();
            Thread th = Thread.currentThread();
            ClassLoader before = th.getContextClassLoader();
            th.setContextClassLoader(plugin); // as the worker does around plugin calls
            try {
                t.configure(Map.of(
                        "fields",
                        "ip,device_id",
                        "keyset.file",
                        det.toString(),
                        "associated.data",
                        "user_logins",
                        "keyset.allow.cleartext",
                        "true"));
                SourceRecord encrypted = LoginRecords.record(LoginRecords.login(
                        cipher.encrypt("ip", "10.1.2.3"), cipher.encrypt("device_id", "593-47-5928")));
                Struct out = (Struct) t.apply(encrypted).value();
                assertThat(out.getString("ip")).isEqualTo("10.1.2.3");
                assertThat(out.getString("device_id")).isEqualTo("593-47-5928");
            } finally {
                t.close();
                th.setContextClassLoader(before);
            }
        }
    }
}
