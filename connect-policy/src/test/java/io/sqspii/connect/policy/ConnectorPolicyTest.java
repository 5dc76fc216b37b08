package io.sqspii.connect.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The shipped policy (connect-config/worker.properties) against the shipped connector configs and the
 * review's ways around the encryption. The attacks against a real worker are local-pipeline's
 * ConnectorPolicyIT; this covers each rule's edge cases without starting one.
 */
class ConnectorPolicyTest {

  private static final Path CONNECT_CONFIG = Path.of("..", "connect-config");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectorPolicy policy = shippedPolicy();

  @Test
  void theShippedConnectorConfigsAreAccepted() throws IOException {
    for (String name : new String[] {"sqs-source", "postgres-sink", "rejected-sink"}) {
      assertThat(policy.check(shipped(name))).as(name).isEmpty();
    }
  }

  @Test
  void dropTheEncryptionTransformsIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms", "rename,created");
    assertRefused(source, 403, "must encrypt ip, device_id, body (dead letters)");
  }

  @Test
  void encryptOnlyOneOfTheFieldsIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms.encryptPii.fields", "device_id");
    assertRefused(source, 403, "must encrypt ip with");
  }

  @Test
  void flipTheDeadLetterPredicateIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms.encryptPii.negate", "false"); // would encrypt ip only where there is none
    assertRefused(source, 403, "must encrypt ip, device_id with");
  }

  @Test
  void aPredicateThatNeverMatchesIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("predicates.isDeadLetter.name", "no-such-header");
    assertRefused(source, 403, "must encrypt");
  }

  @Test
  void renameTheFieldsBeforeEncryptionIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms", "rename,encryptPii,encryptBody,created");
    assertRefused(source, 403, "must encrypt");
  }

  @Test
  void passUnsupportedTypesInClearIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms.encryptPii.on.unsupported.type", "skip");
    assertRefused(source, 403, "must encrypt ip, device_id with");
  }

  @Test
  void rerouteRecordsWithRegexRouterIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("transforms", source.get("transforms") + ",route");
    source.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    assertRefused(source, 403, "transforms.route.type is not one of sqspii.policy.allowed.transform.types");
  }

  @Test
  void aSinkToAnotherDatabaseIsRefused() throws IOException {
    Map<String, String> sink = shipped("postgres-sink");
    sink.put("connection.url", "jdbc:postgresql://attacker.example:5432/loot");
    assertRefused(sink, 403, "connection.url is not one of sqspii.policy.jdbc.allowed.urls");
    sink.put("connection.url", "jdbc:mysql://attacker.example:3306/x?allowLoadLocalInfile=true");
    assertRefused(sink, 403, "connection.url is not one of");
  }

  @Test
  void pointTheSourceAtALookAlikeQueueForAnEncryptionOracleIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("sqs.queue.url", "http://attacker.example:9324/000000000000/codebook");
    assertRefused(source, 403, "sqs.queue.url is not one of sqspii.policy.source.allowed.endpoints");
    source = shipped("sqs-source");
    source.put("sqs.endpoint.override", "http://attacker.example:9324");
    assertRefused(source, 403, "sqs.endpoint.override is not one of sqspii.policy.source.allowed.endpoints");
  }

  @Test
  void aHarnessHostAllowsItsOwnPortsButNotAHostHiddenBehindUserInfo() throws IOException {
    Map<String, Object> keys = new HashMap<>(shippedPolicyKeys());
    keys.put(PolicyConfig.SOURCE_ALLOWED_ENDPOINT_HOSTS, "127.0.0.1");
    ConnectorPolicy harness = new ConnectorPolicy(new PolicyConfig(keys), new EnvReferences(Map.of()));
    Map<String, String> source = shipped("sqs-source");
    source.put("sqs.endpoint.override", "http://127.0.0.1:40123");
    assertThat(harness.check(source)).isEmpty();
    source.put("sqs.endpoint.override", "http://127.0.0.1:80@attacker.example:9324");
    assertThat(harness.check(source)).get().extracting(Refusal::status).isEqualTo(403);
    source.put("sqs.endpoint.override", "not a url");
    assertThat(harness.check(source)).get().extracting(Refusal::status).isEqualTo(403);
  }

  @Test
  void mirrorMakerIsRefused() {
    Map<String, String> mirror = new HashMap<>();
    mirror.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
    mirror.put("source.cluster.bootstrap.servers", "attacker.example:9092");
    assertRefused(mirror, 403, "connector.class is not one of sqspii.policy.allowed.connector.classes");
  }

  @Test
  void logRecordsInClearIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("errors.log.enable", "true");
    source.put("errors.log.include.messages", " TRUE ");
    assertRefused(source, 403, "errors.log.include.messages=true");
  }

  @Test
  void readTheDatabasePasswordThroughAnotherKeyIsRefused() throws IOException {
    Map<String, String> source = shipped("sqs-source");
    source.put("sqs.assume.role.arn", "${file:/opt/connect/secrets/jdbc.properties:password}");
    assertRefused(source, 403, "sqs.assume.role.arn may not reference a secret provider");
    Map<String, String> sink = shipped("postgres-sink");
    sink.put("connection.password", "x${file:/opt/connect/secrets/jdbc.properties:password}");
    assertRefused(sink, 403, "connection.password may not reference");
  }

  @Test
  void aConfigWithoutAClassIsABadRequest() {
    assertRefused(Map.of("topic", "user-logins"), 400, "connector.class is missing");
  }

  @Test
  void refusalsNeverQuoteTheSubmittedValue() throws IOException {
    Map<String, String> sink = shipped("postgres-sink");
    sink.put("connection.url", "jdbc:postgresql://secret-host-name:5432/loot");
    assertThat(policy.check(sink)).get().extracting(Refusal::reason).asString().doesNotContain("secret-host-name");
  }

  @Test
  void anEmptyPolicyAllowsNothing() throws IOException {
    ConnectorPolicy empty = new ConnectorPolicy(new PolicyConfig(Map.of()), new EnvReferences(Map.of()));
    assertThat(empty.check(shipped("sqs-source"))).get().extracting(Refusal::status).isEqualTo(403);
  }

  private void assertRefused(Map<String, String> config, int status, String reason) {
    Optional<Refusal> refusal = policy.check(config);
    assertThat(refusal).isPresent();
    assertThat(refusal.get().status()).isEqualTo(status);
    assertThat(refusal.get().reason()).contains(reason);
  }

  private static Map<String, String> shipped(String name) throws IOException {
    return JSON.readValue(CONNECT_CONFIG.resolve(name + ".json").toFile(),
        new TypeReference<LinkedHashMap<String, String>>() { });
  }

  /** The policy keys of the shipped worker.properties, without its config providers (nothing resolves). */
  private static ConnectorPolicy shippedPolicy() {
    return new ConnectorPolicy(new PolicyConfig(shippedPolicyKeys()), new EnvReferences(Map.of()));
  }

  private static Map<String, Object> shippedPolicyKeys() {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(CONNECT_CONFIG.resolve("worker.properties"))) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> policyKeys = new HashMap<>();
    props.stringPropertyNames().stream().filter(k -> k.startsWith(PolicyConfig.PREFIX))
        .forEach(k -> policyKeys.put(k, props.getProperty(k)));
    return policyKeys;
  }
}
