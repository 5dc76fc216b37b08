package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.testsupport.sqs.EmbeddedElasticMq;
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
            List<String> jars = names.stream()
                    .filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(n.lastIndexOf('/') + 1))
                    .toList();
            assertThat(jars)
                    .noneMatch(j -> j.startsWith("kafka")
                            || j.startsWith("connect-")
                            || j.startsWith("slf4j")
                            || j.startsWith("netty")
                            || j.startsWith("apache-client")
                            || j.startsWith("httpclient-4")
                            || j.startsWith("url-connection-client")
                            || j.startsWith("log4j"));
            assertThat(jars)
                    .anyMatch(j -> j.startsWith("sqs-source-connector-"))
                    .anyMatch(j -> j.startsWith("sqs-2."))
                    .anyMatch(j -> j.startsWith("apache5-client-"))
                    .anyMatch(j -> j.startsWith("jackson-databind-"));
            // the event-schema compiler comes from dataset-model alone: not the dataset CLI's JDBC driver or picocli
            assertThat(jars)
                    .anyMatch(j -> j.startsWith("dataset-model-"))
                    .noneMatch(j -> j.startsWith("dataset-0") || j.startsWith("postgresql") || j.startsWith("picocli"));
            assertThat(names).allSatisfy(n -> assertThat(n).matches(".*/(manifest\\.json|lib/.*|doc/.*|)"));

            String manifest = new String(
                    z.getInputStream(z.getEntry(root + "manifest.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(manifest).contains("\"component_types\": [\"source\"]").doesNotContain("${");

            ZipEntry ours = names.stream()
                    .filter(n -> n.contains("lib/sqs-source-connector-"))
                    .map(z::getEntry)
                    .findFirst()
                    .orElseThrow();
            try (InputStream in = z.getInputStream(ours);
                    ZipInputStream jar = new ZipInputStream(in)) {
                boolean service = false;
                for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
                    if (e.getName().equals("META-INF/services/org.apache.kafka.connect.source.SourceConnector")) {
                        service = new String(jar.readAllBytes(), StandardCharsets.UTF_8)
                                .trim()
                                .equals(SqsSourceConnector.class.getName());
                    }
                }
                assertThat(service)
                        .as("service-loader entry for plugin.discovery=service_load")
                        .isTrue();
            }
        }
        assertThat(Files.size(zip)).isLessThan(30L * 1024 * 1024);
    }

    /**
     * Runs a task from the archive alone: a class loader over the zip's lib/*.jar whose parent gives out only Kafka,
     * SLF4J and JDK classes (as a worker's plugin class loader does), against ElasticMQ. A dependency missing from
     * the archive fails here, though the test class path would have hidden it.
     */
    @Test
    void aTaskRunsFromTheArchiveAlone(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<java.net.URL> jars = new java.util.ArrayList<>();
        try (ZipFile z =
                new ZipFile(Path.of(System.getProperty("plugin.archive")).toFile())) {
            for (ZipEntry e :
                    z.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                Path jar = dir.resolve(e.getName().substring(e.getName().lastIndexOf('/') + 1));
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, jar);
                }
                jars.add(jar.toUri().toURL());
            }
        }
        ClassLoader app = getClass().getClassLoader();
        ClassLoader workerSide = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("org.apache.kafka.") || name.startsWith("org.slf4j.")) {
                    return app.loadClass(name);
                }
                throw new ClassNotFoundException(name);
            }
        };
        try (java.net.URLClassLoader plugin =
                new java.net.URLClassLoader(jars.toArray(java.net.URL[]::new), workerSide)) {
            Class<?> taskClass = plugin.loadClass(SqsSourceTask.class.getName());
            assertThat(taskClass.getClassLoader()).isSameAs(plugin);
            assertThat(plugin.loadClass("software.amazon.awssdk.services.sqs.SqsClient")
                            .getClassLoader())
                    .isSameAs(plugin);

            EmbeddedElasticMq sqs = EmbeddedElasticMq.shared();
            String queue = sqs.createQueue(30);
            List<String> ids = sqs.send(queue, List.of(SqsSourceTaskTest.login(1), "not json"));
            java.util.Map<String, String> props = SourceProps.of(queue);
            org.apache.kafka.connect.source.SourceTask task = (org.apache.kafka.connect.source.SourceTask)
                    taskClass.getDeclaredConstructor().newInstance();
            task.initialize(new org.apache.kafka.connect.source.SourceTaskContext() {
                @Override
                public java.util.Map<String, String> configs() {
                    return props;
                }

                @Override
                public org.apache.kafka.connect.storage.OffsetStorageReader offsetStorageReader() {
                    return null;
                }

                @Override
                public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                    return null;
                }
            });
            task.start(props);
            try {
                List<org.apache.kafka.connect.source.SourceRecord> records = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
                while (records.size() < 2 && System.nanoTime() < deadline) {
                    List<org.apache.kafka.connect.source.SourceRecord> batch = task.poll();
                    if (batch != null) {
                        records.addAll(batch);
                    }
                }
                assertThat(records).extracting(r -> r.key()).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(records)
                        .extracting(r -> r.topic())
                        .containsExactlyInAnyOrder("user-logins", "user-logins.dlq");
                for (org.apache.kafka.connect.source.SourceRecord r : records) {
                    task.commitRecord(
                            r,
                            new org.apache.kafka.clients.producer.RecordMetadata(
                                    new org.apache.kafka.common.TopicPartition(r.topic(), 0),
                                    0,
                                    0,
                                    0,
                                    36,
                                    100)); // what Kafka's ack carries
                }
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> sqs.remaining(queue) == 0);
            } finally {
                task.stop();
            }
        }
    }
}
