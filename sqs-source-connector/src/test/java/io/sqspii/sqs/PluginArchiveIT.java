package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The plugin archive is "unzip into plugin.path": our jar, its runtime deps, a manifest, no Kafka jars. */
class PluginArchiveIT {

  @Test
  void archiveHoldsTheConnectorAndNoKafkaJars() throws IOException {
    Path zip = Path.of(System.getProperty("plugin.archive"));
    assertThat(zip).exists();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      List<String> names = z.stream().map(ZipEntry::getName).toList();
      String root = names.get(0).substring(0, names.get(0).indexOf('/') + 1);
      assertThat(root).startsWith("sqspii-sqs-source-connector-");
      assertThat(names).allSatisfy(n -> assertThat(n).startsWith(root));
      List<String> jars = names.stream().filter(n -> n.endsWith(".jar"))
          .map(n -> n.substring(n.lastIndexOf('/') + 1)).toList();
      assertThat(jars).noneMatch(j -> j.startsWith("kafka") || j.startsWith("connect-") || j.startsWith("slf4j")
          || j.startsWith("netty") || j.startsWith("apache-client") || j.startsWith("httpclient-4")
          || j.startsWith("url-connection-client") || j.startsWith("log4j"));
      assertThat(jars).anyMatch(j -> j.startsWith("sqs-source-connector-"))
          .anyMatch(j -> j.startsWith("sqs-2.")).anyMatch(j -> j.startsWith("apache5-client-"))
          .anyMatch(j -> j.startsWith("jackson-databind-"));
      assertThat(names).allSatisfy(n -> assertThat(n).matches(".*/(manifest\\.json|lib/.*|doc/.*|)"));

      String manifest = new String(z.getInputStream(z.getEntry(root + "manifest.json")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(manifest).contains("\"component_types\": [\"source\"]").doesNotContain("${");

      ZipEntry ours = names.stream().filter(n -> n.contains("lib/sqs-source-connector-")).map(z::getEntry)
          .findFirst().orElseThrow();
      try (InputStream in = z.getInputStream(ours); ZipInputStream jar = new ZipInputStream(in)) {
        boolean service = false;
        for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
          if (e.getName().equals("META-INF/services/org.apache.kafka.connect.source.SourceConnector")) {
            service = new String(jar.readAllBytes(), StandardCharsets.UTF_8).trim()
                .equals(SqsSourceConnector.class.getName());
          }
        }
        assertThat(service).as("service-loader entry for plugin.discovery=service_load").isTrue();
      }
    }
    assertThat(Files.size(zip)).isLessThan(30L * 1024 * 1024);
  }
}
