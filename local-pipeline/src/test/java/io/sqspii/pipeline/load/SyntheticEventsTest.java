package io.sqspii.pipeline.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqspii.dataset.Canonical;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.PiiMode;
import io.sqspii.dataset.SchemaNode;
import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pipeline.load.SyntheticEvents.Generated;
import io.sqspii.pipeline.load.SyntheticEvents.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Generated load of every shipped definition, each body held to the input contract (see {@link ContractCheck}). */
class SyntheticEventsTest {

    @TempDir
    Path temp;

    private static Definition shipped(String name) throws Exception {
        return Definition.load(LoginRules.PROJECT.resolve("datasets").resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_logins", "orders"})
    void validBodiesBecomeRecordsAndEveryMalformedOneIsRejected(String dataset) throws Exception {
        Definition d = shipped(dataset);
        ContractCheck connector = new ContractCheck(d);
        List<Generated> generated = SyntheticEvents.generateLabelled(d, 1234, 4000, 0.05);
        assertThat(generated).hasSize(4000).filteredOn(g -> !g.valid()).hasSize(200);
        for (Generated g : generated) {
            String rejection = connector.rejection(g.body());
            if (g.valid()) {
                assertThat(rejection).as(g.body()).isNull();
            } else {
                assertThat(rejection).as("%s: %s", g.kind(), g.body()).isNotNull();
            }
        }
        // Spread over the whole run, not bunched at one end.
        assertThat(generated.subList(0, 2000).stream().filter(g -> !g.valid()).count())
                .isBetween(60L, 140L);
    }

    @Test
    void eachMalformedKindTheSchemaAllowsAppearsAndFailsForItsOwnReason() throws Exception {
        Map<Kind, String> reasons = Map.ofEntries(
                Map.entry(Kind.TRUNCATED, "truncated_json"),
                Map.entry(Kind.NOT_JSON, "invalid_json"),
                Map.entry(Kind.NOT_OBJECT, "not_an_object"),
                Map.entry(Kind.OTHER_SHAPE, "schema_mismatch"),
                Map.entry(Kind.WRONG_TYPE, "schema_mismatch"),
                Map.entry(Kind.MISSING_REQUIRED, "schema_mismatch"),
                Map.entry(Kind.NOT_ALLOWED, "schema_mismatch"),
                Map.entry(Kind.TOO_LONG, "schema_mismatch"),
                Map.entry(Kind.OUT_OF_BOUNDS, "schema_mismatch"),
                Map.entry(Kind.NUL_CHARACTER, "nul_character"),
                Map.entry(Kind.DUPLICATE_KEY, "duplicate_key"),
                Map.entry(Kind.TOO_DEEP, "json_limit_exceeded"));
        // orders has formats, an enum, maxLength and maxItems but no lower bound; user_logins has none of them.
        Map<String, Set<Kind>> kinds = Map.of(
                "orders",
                EnumSet.complementOf(EnumSet.of(Kind.VALID, Kind.OUT_OF_BOUNDS)),
                "user_logins",
                EnumSet.complementOf(EnumSet.of(Kind.VALID, Kind.NOT_ALLOWED, Kind.TOO_LONG, Kind.OUT_OF_BOUNDS)));
        for (Map.Entry<String, Set<Kind>> expected : kinds.entrySet()) {
            Definition d = shipped(expected.getKey());
            ContractCheck connector = new ContractCheck(d);
            List<Generated> malformed = SyntheticEvents.generateLabelled(d, 5, 600, 0.5).stream()
                    .filter(g -> !g.valid())
                    .toList();
            assertThat(malformed)
                    .extracting(Generated::kind)
                    .containsOnlyElementsOf(expected.getValue())
                    .containsAll(expected.getValue());
            for (Generated g : malformed) {
                String reason = connector.rejection(g.body());
                if (g.kind() == Kind.TRUNCATED) {
                    // Cut inside a literal ("tr" of true) reads as a bad token rather than an early end.
                    assertThat(reason).as(g.body()).isIn("truncated_json", "invalid_json");
                } else {
                    assertThat(reason).as("%s: %s", g.kind(), g.body()).isEqualTo(reasons.get(g.kind()));
                }
            }
        }
    }

    @Test
    void aSchemaWithNothingRequiredAndNoStringsStillGetsOnlyRejectedJunk() throws Exception {
        Files.writeString(temp.resolve("dataset.json"), "{\"name\":\"counts\",\"queue\":\"q\",\"topic\":\"t\"}");
        Files.writeString(
                temp.resolve("event.schema.json"),
                "{\"type\":\"object\",\"properties\":{"
                        + "\"n\":{\"type\":\"integer\"},\"flags\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}}}}");
        Definition d = Definition.load(temp);
        ContractCheck connector = new ContractCheck(d);
        List<Generated> generated = SyntheticEvents.generateLabelled(d, 3, 300, 0.3);
        assertThat(generated)
                .filteredOn(g -> !g.valid())
                .hasSize(90)
                .extracting(Generated::kind)
                .doesNotContain(
                        Kind.OTHER_SHAPE,
                        Kind.MISSING_REQUIRED,
                        Kind.NUL_CHARACTER,
                        Kind.NOT_ALLOWED,
                        Kind.TOO_LONG,
                        Kind.OUT_OF_BOUNDS)
                .contains(Kind.TRUNCATED, Kind.NOT_JSON, Kind.NOT_OBJECT, Kind.WRONG_TYPE, Kind.TOO_DEEP);
        for (Generated g : generated) {
            assertThat(connector.rejection(g.body()) == null)
                    .as("%s: %s", g.kind(), g.body())
                    .isEqualTo(g.valid());
        }
    }

    @Test
    void validValuesKeepTheirBoundsAndOutOfBoundsOnesAreRejected() throws Exception {
        Files.writeString(temp.resolve("dataset.json"), "{\"name\":\"bounded\",\"queue\":\"q\",\"topic\":\"t\"}");
        Files.writeString(temp.resolve("event.schema.json"), """
        {"type": "object", "required": ["age", "score", "email"], "properties": {
          "age": {"type": "integer", "minimum": 18, "maximum": 20},
          "score": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.05},
          "debt": {"type": ["integer", "null"], "exclusiveMaximum": -5000},
          "big": {"type": "integer", "minimum": 9007199254740993},
          "huge": {"type": "number", "minimum": 1e6, "maximum": 1e6},
          "code": {"type": "string", "minLength": 12, "maxLength": 12},
          "email": {"type": "string", "format": "email", "minLength": 30,
                    "x-pii": {"mode": "deterministic", "canonical": "email"}},
          "lines": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "object",
            "properties": {"qty": {"type": "integer", "exclusiveMinimum": 0}}, "required": ["qty"]}}}}
        """);
        Definition d = Definition.load(temp);
        ContractCheck connector = new ContractCheck(d);
        List<Generated> generated = SyntheticEvents.generateLabelled(d, 11, 2000, 0.3);
        List<JsonNode> valid = new ArrayList<>();
        for (Generated g : generated) {
            String reason = connector.rejection(g.body());
            if (g.valid()) {
                assertThat(reason).as(g.body()).isNull();
                valid.add(LoginRules.parse(g.body()));
            } else if (g.kind() == Kind.OUT_OF_BOUNDS) {
                assertThat(reason).as(g.body()).isEqualTo("schema_mismatch");
            }
        }
        assertThat(generated).extracting(Generated::kind).contains(Kind.OUT_OF_BOUNDS);
        // Every bound reached by the valid values, its edges included.
        assertThat(valid).extracting(e -> e.get("age").asInt()).contains(18, 19, 20);
        assertThat(valid)
                .allMatch(
                        e -> e.get("score").doubleValue() > 0 && e.get("score").doubleValue() < 0.05);
        assertThat(valid)
                .filteredOn(e -> e.hasNonNull("debt"))
                .isNotEmpty()
                .allMatch(e -> e.get("debt").asLong() < -5000);
        assertThat(valid)
                .filteredOn(e -> e.has("big"))
                .isNotEmpty()
                .allMatch(e ->
                        e.get("big").bigIntegerValue().compareTo(new java.math.BigInteger("9007199254740993")) >= 0);
        assertThat(valid)
                .filteredOn(e -> e.has("huge"))
                .allMatch(e -> e.get("huge").doubleValue() == 1e6);
        assertThat(valid)
                .filteredOn(e -> e.has("code"))
                .allMatch(e -> e.get("code").asText().length() == 12);
        assertThat(valid).allMatch(e -> e.get("email").asText().length() >= 30);
        assertThat(valid)
                .filteredOn(e -> e.has("lines"))
                .isNotEmpty()
                .allMatch(e -> e.get("lines").size() >= 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_logins", "orders"})
    void deterministicPiiValuesRecurAndOthersAreFresh(String dataset) throws Exception {
        Definition d = shipped(dataset);
        List<JsonNode> events = SyntheticEvents.generateLabelled(d, 77, 4000, 0).stream()
                .map(g -> LoginRules.parse(g.body()))
                .toList();
        Map<SchemaNode, List<String>> values = new IdentityHashMap<>();
        events.forEach(e -> collect(d.event(), e, values));
        int deterministic = 0;
        for (Map.Entry<SchemaNode, List<String>> leaf : values.entrySet()) {
            SchemaNode n = leaf.getKey();
            List<String> seen = leaf.getValue();
            // Equal once canonical is what makes equal ciphertext ("User1@x" and "user1@x").
            Canonicalizer canonical = n.pii() == null
                    ? Canonicalizer.NONE
                    : Canonicalizer.valueOf(n.pii().canonical().name());
            Map<String, Long> counts =
                    seen.stream().collect(Collectors.groupingBy(canonical::apply, Collectors.counting()));
            if (n.pii() != null && n.pii().mode() == PiiMode.DETERMINISTIC) {
                deterministic++;
                // About one value per 20 events, a few of them far more common than the rest.
                assertThat(counts.size()).as(n.schemaPointer()).isLessThan(seen.size() / 10);
                assertThat(counts.values().stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(0))
                        .as(n.schemaPointer())
                        .isGreaterThan(seen.size() / 50);
            } else if (n.pii() != null || n.format() != null && n.format().equals("uuid")) {
                assertThat(counts.size()).as(n.schemaPointer()).isGreaterThan(seen.size() * 9 / 10);
            }
            if (n.pii() != null && n.pii().canonical() == Canonical.IP) {
                // The transform canonicalizes before encrypting: a value already canonical decrypts to itself.
                assertThat(seen)
                        .allMatch(ip -> Canonicalizer.IP.apply(ip).equals(ip))
                        .anyMatch(ip -> ip.contains("::"))
                        .anyMatch(ip -> ip.contains("."));
            }
        }
        assertThat(deterministic).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameBodiesAndAnotherSeedOthers() throws Exception {
        Definition d = shipped("orders");
        List<String> bodies = SyntheticEvents.generate(d, 9, 500, 0.1);
        assertThat(SyntheticEvents.generate(d, 9, 500, 0.1)).isEqualTo(bodies);
        assertThat(SyntheticEvents.generateLabelled(d, 9, 500, 0.1))
                .extracting(Generated::body)
                .isEqualTo(bodies);
        List<String> valid = SyntheticEvents.generateLabelled(d, 9, 50, 0).stream()
                .map(Generated::body)
                .toList();
        assertThat(SyntheticEvents.generate(d, 10, 50, 0)).hasSize(50).doesNotContainAnyElementsOf(valid);

        assertThat(SyntheticEvents.generateLabelled(d, 1, 300, 0.0)).allMatch(Generated::valid);
        assertThat(SyntheticEvents.generateLabelled(d, 1, 300, 1.0)).noneMatch(Generated::valid);
        assertThat(SyntheticEvents.generateLabelled(d, 1, 10, 0.07))
                .filteredOn(g -> !g.valid())
                .hasSize(1);
        assertThat(SyntheticEvents.generate(d, 1, 0, 0.5)).isEmpty();
        assertThatThrownBy(() -> SyntheticEvents.generate(d, 1, -1, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticEvents.generate(d, 1, 10, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticEvents.generate(d, 1, 10, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_logins", "orders"})
    void everyBodyIsOneNonEmptyLineOfValidUtf8(String dataset) throws Exception {
        for (Generated g : SyntheticEvents.generateLabelled(shipped(dataset), 8, 2000, 0.5)) {
            String b = g.body();
            assertThat(b).as(g.kind().name()).isNotBlank().doesNotContain("\n", "\r");
            assertThat(b.chars().allMatch(c -> c >= 0x20 && !Character.isSurrogate((char) c)))
                    .as(b)
                    .isTrue();
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(b)).isTrue();
            if (g.kind() == Kind.NUL_CHARACTER) {
                assertThat(b).contains("\\u0000");
            }
        }
    }

    /** Each string leaf's values, by its schema node (inside arrays, every element's). */
    private static void collect(SchemaNode n, JsonNode v, Map<SchemaNode, List<String>> out) {
        if (v == null || v.isNull()) {
            return;
        }
        switch (n.kind()) {
            case OBJECT -> n.properties().forEach(p -> collect(p.node(), v.get(p.name()), out));
            case ARRAY -> v.forEach(e -> collect(n.items(), e, out));
            case STRING -> out.computeIfAbsent(n, k -> new ArrayList<>()).add(v.asText());
            default -> {}
        }
    }
}
