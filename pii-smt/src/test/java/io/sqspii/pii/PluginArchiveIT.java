package io.sqspii.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.testsupport.kms.LocalKms;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin archive is "unzip into plugin.path": the transforms run from it alone, KMS path included. */
class PluginArchiveIT {
    @TempDir
    Path dir;

    @Test
    void archiveLayout() throws Exception {
        Path zip = Path.of(System.getProperty("plugin.archive"));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            String root = names.get(0).substring(0, names.get(0).indexOf('/') + 1);
            assertThat(root).startsWith("sqspii-pii-smt-");
            List<String> jars = names.stream()
                    .filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(n.lastIndexOf('/') + 1))
                    .toList();
            assertThat(jars)
                    .noneMatch(j -> j.startsWith("kafka")
                            || j.startsWith("connect-")
                            || j.startsWith("slf4j")
                            || j.startsWith("log4j")
                            || j.startsWith("netty")
                            || j.startsWith("apache-client")
                            || j.startsWith("apache5-client")
                            || j.startsWith("aws-crt"));
            assertThat(jars)
                    .noneMatch(j -> j.startsWith("pii-decrypt-smt")
                            || j.startsWith("pii-keys")
                            || j.startsWith("picocli")
                            || j.startsWith("postgresql"));
            assertThat(jars)
                    .anyMatch(j -> j.startsWith("pii-smt-"))
                    .anyMatch(j -> j.startsWith("pii-crypto-"))
                    .anyMatch(j -> j.startsWith("tink-"))
                    .anyMatch(j -> j.startsWith("kms-"))
                    .anyMatch(j -> j.startsWith("url-connection-client-"))
                    .anyMatch(j -> j.startsWith("libphonenumber-"));
            String manifest = new String(
                    z.getInputStream(z.getEntry(root + "manifest.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(manifest)
                    .contains("\"component_types\": [\"transform\"]")
                    .doesNotContain("${");
        }
    }

    @Test
    void transformsRunFromTheArchiveAlone() throws Exception {
        List<URL> jars =
                PluginArchives.unpackJars(Path.of(System.getProperty("plugin.archive")), dir.resolve("worker"));
        ClassLoader workerSide = PluginArchives.workerSide();
        Path det = LoginRecords.keyset(dir, CipherMode.DETERMINISTIC);
        String arn = "arn:aws:kms:eu-west-1:111122223333:key/archive-test";
        Path enc = dir.resolve("det.enc.json");
        try (LocalKms kms = LocalKms.start(arn);
                URLClassLoader plugin = new URLClassLoader(jars.toArray(URL[]::new), workerSide)) {
            Keysets.writeKmsEncrypted(KeysetSource.cleartextFile(det).load(), "aws-kms://" + arn, kms.endpoint(), enc);
            Class<?> cls = plugin.loadClass(EncryptFields.Value.class.getName());
            assertThat(cls.getClassLoader()).isSameAs(plugin);
            PiiCipher check =
                    PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "user_logins");
            for (Map<String, String> props : List.of(
                    Map.of(
                            "fields",
                            "ip,device_id",
                            "keyset.file",
                            det.toString(),
                            "associated.data",
                            "user_logins",
                            "keyset.allow.cleartext",
                            "true"),
                    Map.of(
                            "fields",
                            "ip,device_id",
                            "keyset.file",
                            enc.toString(),
                            "associated.data",
                            "user_logins",
                            "keyset.kms.uri",
                            "aws-kms://" + arn,
                            "keyset.kms.endpoint",
                            kms.endpoint().toString()))) {
                @SuppressWarnings("unchecked")
                Transformation<SourceRecord> t = (Transformation<SourceRecord>)
                        cls.getDeclaredConstructor().newInstance();
                Thread th = Thread.currentThread();
                ClassLoader before = th.getContextClassLoader();
                th.setContextClassLoader(plugin); // as the worker does around plugin calls
                try {
                    t.configure(props);
                    Struct out = (Struct) t.apply(LoginRecords.record(LoginRecords.login("10.1.2.3", "593-47-5928")))
                            .value();
                    assertThat(check.decrypt("ip", out.getString("ip"))).isEqualTo("10.1.2.3");
                    assertThat(check.decrypt("device_id", out.getString("device_id")))
                            .isEqualTo("593-47-5928");
                } finally {
                    t.close();
                    th.setContextClassLoader(before);
                }
            }
            assertThat(kms.calls).extracting(LocalKms.Call::target).contains("TrentService.Decrypt");
            // nested paths and the phone form (libphonenumber and its metadata) from the archive's jars alone
            @SuppressWarnings("unchecked")
            Transformation<SourceRecord> t =
                    (Transformation<SourceRecord>) cls.getDeclaredConstructor().newInstance();
            Thread th = Thread.currentThread();
            ClassLoader before = th.getContextClassLoader();
            th.setContextClassLoader(plugin);
            try {
                t.configure(Map.of(
                        "fields",
                        OrderRecords.FIELDS,
                        "keyset.file",
                        det.toString(),
                        "associated.data",
                        "orders",
                        "keyset.allow.cleartext",
                        "true",
                        "canonicalize.customer.phone",
                        "phone",
                        "phone.default.region",
                        "CH",
                        "canonicalize.customer.email",
                        "email"));
                Struct out = (Struct) t.apply(OrderRecords.record(OrderRecords.order(
                                "Ann@Example.org",
                                "044 668 18 00",
                                "street",
                                List.of(OrderRecords.item("Ann", "s")),
                                List.of("t"))))
                        .value();
                PiiCipher orders =
                        PiiCipher.forKeyset(KeysetSource.cleartextFile(det), CipherMode.DETERMINISTIC, "orders");
                assertThat(orders.decrypt(
                                "customer.phone", out.getStruct("customer").getString("phone")))
                        .isEqualTo("+41446681800");
                assertThat(orders.decrypt(
                                "customer.email", out.getStruct("customer").getString("email")))
                        .isEqualTo("ann@example.org");
                assertThat(orders.decrypt(
                                "items[].holder_name",
                                out.<Struct>getArray("items").get(0).getString("holder_name")))
                        .isEqualTo("Ann");
            } finally {
                t.close();
                th.setContextClassLoader(before);
            }
        }
    }

    /**
     * The archive the pipeline's worker loads cannot decrypt: no DecryptFields class, no services entry for it (the
     * module does not depend on pii-decrypt-smt, so nothing can bring it in).
     */
    @Test
    void theWorkersArchiveHoldsNoDecryptFields() throws Exception {
        List<String> names = PluginArchives.classesAndServices(Path.of(System.getProperty("plugin.archive")), dir);
        assertThat(names)
                .as("the scan sees the archive")
                .contains(
                        "io.sqspii.pii.EncryptFields$Value.class",
                        "io.sqspii.pii.crypto.PiiCipher.class",
                        "service io.sqspii.pii.EncryptFields$Value");
        assertThat(names).noneMatch(n -> n.contains("DecryptFields"));
    }
}
