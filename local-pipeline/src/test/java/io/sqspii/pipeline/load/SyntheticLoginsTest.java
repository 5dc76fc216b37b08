package io.sqspii.pipeline.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pipeline.load.SyntheticLogins.Generated;
import io.sqspii.pipeline.load.SyntheticLogins.Kind;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticLoginsTest {

    private static final List<Generated> LOGINS = SyntheticLogins.generateLabelled(1234, 4000, 0.05);

    @Test
    void theSameSeedGivesTheSameBodiesAndAnotherSeedOthers() {
        assertThat(SyntheticLogins.generate(1234, 4000, 0.05))
                .isEqualTo(LOGINS.stream().map(Generated::body).toList());
        assertThat(SyntheticLogins.generateLabelled(1234, 4000, 0.05)).isEqualTo(LOGINS);
        List<String> other = SyntheticLogins.generate(1235, 4000, 0.05);
        assertThat(other)
                .hasSize(4000)
                .doesNotContainAnyElementsOf(valid(LOGINS).stream().limit(50).toList());
    }

    @Test
    void validBodiesSatisfyTheDeclaredSchemaAndMalformedOnesDoNot() {
        assertThat(LoginRules.required())
                .containsExactlyInAnyOrder("user_id", "app_version", "device_type", "ip", "device_id");
        for (Generated g : LOGINS) {
            String reason = LoginRules.rejection(g.body());
            if (g.valid()) {
                assertThat(reason).as(g.body()).isNull();
                JsonNode login = LoginRules.parse(g.body());
                assertThat(login.get("user_id").asText())
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(login.get("device_id").asText()).matches("\\d{3}-\\d{2}-\\d{4}");
                assertThat(login.get("app_version").asText()).isIn("2.3.0", "2.4.1", "3.0.0", "3.1.2");
                assertThat(login.get("device_type").asText()).isIn("android", "ios", "web");
            } else {
                assertThat(reason).as("%s: %s", g.kind(), g.body()).isNotNull();
            }
        }
    }

    @Test
    void everyMalformedKindFailsForItsOwnReason() {
        Map<Kind, String> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.WRONG_FORMAT, "missing:user_id");
        expected.put(Kind.TRUNCATED, "unparseable");
        expected.put(Kind.NOT_JSON, "unparseable");
        expected.put(Kind.ARRAY, "not-object");
        expected.put(Kind.WRONG_TYPE, "type:app_version");
        expected.put(Kind.MISSING_USER_ID, "missing:user_id");
        expected.put(Kind.DUPLICATE_KEY, "duplicate-key");
        expected.put(Kind.NUL_CHARACTER, "nul:device_id");
        expected.put(Kind.TOO_DEEP, "too-deep");
        expected.put(Kind.IP_AS_NUMBER, "type:ip");
        for (Generated g : LOGINS) {
            if (!g.valid()) {
                assertThat(LoginRules.rejection(g.body()))
                        .as("%s: %s", g.kind(), g.body())
                        .isEqualTo(expected.get(g.kind()));
            }
        }
        // What makes them junk is that one thing: a lenient parser reads the duplicate-key and deep ones.
        JsonMapper lenient = JsonMapper.builder().build();
        for (Generated g : LOGINS) {
            if (g.kind() == Kind.DUPLICATE_KEY || g.kind() == Kind.TOO_DEEP) {
                assertThat(parses(lenient, g.body())).as(g.body()).isTrue();
            }
        }
    }

    @Test
    void theMalformedShareIsAsAskedAndEveryKindAppears() {
        Map<Kind, Long> kinds = LOGINS.stream().collect(Collectors.groupingBy(Generated::kind, Collectors.counting()));
        assertThat(kinds.keySet()).containsExactlyInAnyOrder(Kind.values());
        assertThat(LOGINS.size() - kinds.get(Kind.VALID)).isEqualTo(200);
        // Spread over the whole run, not bunched at one end.
        assertThat(LOGINS.subList(0, 2000).stream().filter(g -> !g.valid()).count())
                .isBetween(60L, 140L);

        assertThat(SyntheticLogins.generateLabelled(1, 300, 0.0)).allMatch(Generated::valid);
        assertThat(SyntheticLogins.generateLabelled(1, 300, 1.0)).noneMatch(Generated::valid);
        assertThat(SyntheticLogins.generateLabelled(1, 10, 0.07))
                .filteredOn(g -> !g.valid())
                .hasSize(1);
        assertThat(SyntheticLogins.generate(1, 0, 0.5)).isEmpty();
        assertThatThrownBy(() -> SyntheticLogins.generate(1, -1, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticLogins.generate(1, 10, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticLogins.generate(1, 10, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void devicesAndAddressesRepeatAcrossLoginsAndUsers() {
        List<JsonNode> logins = valid(LOGINS).stream().map(LoginRules::parse).toList();
        Map<String, Set<String>> usersByDevice = new HashMap<>();
        Map<String, Set<String>> usersByIp = new HashMap<>();
        for (JsonNode l : logins) {
            usersByDevice
                    .computeIfAbsent(l.get("device_id").asText(), k -> new HashSet<>())
                    .add(l.get("user_id").asText());
            usersByIp
                    .computeIfAbsent(l.get("ip").asText(), k -> new HashSet<>())
                    .add(l.get("user_id").asText());
        }
        Set<String> users = logins.stream().map(l -> l.get("user_id").asText()).collect(Collectors.toSet());
        assertThat(users).hasSizeBetween(150, 200); // about one user per 20 logins
        assertThat(usersByDevice.size()).isLessThan(logins.size() / 4);
        assertThat(usersByDevice.values()).as("a device shared by users").anyMatch(u -> u.size() > 1);
        assertThat(usersByIp.size()).isLessThan(logins.size() / 10);
        assertThat(usersByIp.values()).as("an address shared by users").anyMatch(u -> u.size() > 1);
        assertThat(count(logins, l -> l.get("device_type").asText())).containsOnlyKeys("android", "ios", "web");
    }

    @Test
    void localeIsSometimesNullAndSometimesMissing() {
        List<JsonNode> logins = valid(LOGINS).stream().map(LoginRules::parse).toList();
        long nulls = logins.stream()
                .filter(l -> l.has("locale") && l.get("locale").isNull())
                .count();
        long missing = logins.stream().filter(l -> !l.has("locale")).count();
        assertThat((double) nulls / logins.size()).isBetween(0.07, 0.13);
        assertThat((double) missing / logins.size()).isBetween(0.01, 0.05);
        assertThat(logins)
                .filteredOn(l -> l.path("locale").isTextual())
                .allMatch(l -> l.get("locale").asText().matches("[A-Z]{2}"));
    }

    @Test
    void addressesAreMostlyIpv4AndAlwaysCanonical() throws Exception {
        Set<String> ips = valid(LOGINS).stream()
                .map(b -> LoginRules.parse(b).get("ip").asText())
                .collect(Collectors.toSet());
        long v6 = ips.stream().filter(ip -> ip.contains(":")).count();
        assertThat(v6).isPositive().isLessThan(ips.size() / 3);
        assertThat(ips).anyMatch(ip -> ip.contains("::"));
        for (String ip : ips) {
            // The PII transform canonicalizes before encrypting: an input already canonical decrypts to itself.
            assertThat(Canonicalizer.IP.apply(ip)).isEqualTo(ip);
            assertThat(InetAddress.getByName(ip).getAddress()).hasSize(ip.contains(":") ? 16 : 4);
        }
    }

    @Test
    void ipv6IsPrintedInRfc5952Form() {
        assertThat(Ips.canonicalIpv6(new int[] {0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}))
                .isEqualTo("2001:db8::1");
        assertThat(Ips.canonicalIpv6(new int[] {0x2001, 0xdb8, 0, 1, 0, 0, 0, 1}))
                .isEqualTo("2001:db8:0:1::1");
        assertThat(Ips.canonicalIpv6(new int[] {0x2001, 0, 0, 1, 0, 0, 0xab, 1}))
                .isEqualTo("2001::1:0:0:ab:1");
        assertThat(Ips.canonicalIpv6(new int[] {0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}))
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Ips.canonicalIpv6(new int[] {0, 0, 0, 0, 0, 0, 0, 0})).isEqualTo("::");
        assertThat(Ips.canonicalIpv6(new int[] {0, 0, 1, 0, 0, 0, 0, 0})).isEqualTo("0:0:1::");
        assertThat(Ips.canonicalIpv6(new int[] {0, 0, 0xABCD, 0, 0, 0, 0, 0x0a}))
                .isEqualTo("0:0:abcd::a");
    }

    @Test
    void everyBodyIsOneNonEmptyLineOfValidUtf8() {
        for (Generated g : LOGINS) {
            String b = g.body();
            assertThat(b).as(g.kind().name()).isNotBlank().doesNotContain("\n", "\r");
            assertThat(b.chars().allMatch(c -> c >= 0x20 && !Character.isSurrogate((char) c)))
                    .as(g.kind().name())
                    .isTrue();
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(b)).isTrue();
        }
        assertThat(LOGINS)
                .filteredOn(g -> g.kind() == Kind.NUL_CHARACTER)
                .allMatch(g -> g.body().contains("\\u0000"));
    }

    private static List<String> valid(List<Generated> logins) {
        return logins.stream().filter(Generated::valid).map(Generated::body).toList();
    }

    private static Map<String, Long> count(List<JsonNode> logins, Function<JsonNode, String> key) {
        return logins.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private static boolean parses(JsonMapper mapper, String body) {
        try {
            return mapper.readTree(body).isObject();
        } catch (Exception e) {
            return false;
        }
    }
}
