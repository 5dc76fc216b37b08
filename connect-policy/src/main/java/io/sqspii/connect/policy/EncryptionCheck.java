package io.sqspii.connect.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Proves that a source connector's transform chain encrypts its dataset's PII fields, each with the catalog's mode,
 * and the policy's dead-letter fields. A source emits two kinds of
 * record, told apart by the dead-letter header: valid ones and dead letters. The check follows the leading
 * encryption transforms for each kind and collects the fields they encrypt. A transform whose predicate it
 * cannot evaluate (any predicate but HasHeaderKey on the dead-letter header) counts for neither kind, so a
 * predicate that never matches cannot switch encryption off.
 */
final class EncryptionCheck {

    static final String HAS_HEADER_KEY = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";

    private final List<String> encryptionTypes;
    private final List<String> deadLetterFields;
    private final String deadLetterHeader;

    EncryptionCheck(PolicyConfig config) {
        this.encryptionTypes = config.list(PolicyConfig.ENCRYPTION_TRANSFORM_TYPES);
        this.deadLetterFields = config.list(PolicyConfig.DEAD_LETTER_ENCRYPTED_FIELDS);
        this.deadLetterHeader = config.getString(PolicyConfig.DEAD_LETTER_HEADER);
    }

    Optional<Refusal> check(Map<String, String> config, DatasetCatalog.Dataset dataset) {
        Set<String> predicates = new HashSet<>(ConnectorConfig.list(config.get("predicates")));
        // valid records: "<path> <mode>", the mode as the transform states it (one that states none covers nothing)
        Set<String> coveredValid = new HashSet<>();
        Set<String> coveredDeadLetter = new HashSet<>();
        for (String alias : ConnectorConfig.list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            if (!encryptionTypes.contains(trimmed(config.get(prefix + "type")))) {
                break; // only the leading run counts: a later transform may rename or drop fields first
            }
            String onUnsupported = config.get(prefix + "on.unsupported.type");
            if (onUnsupported != null && !onUnsupported.trim().equals("fail")) {
                continue; // a field of another type would pass in clear
            }
            List<String> fields = ConnectorConfig.list(config.get(prefix + "fields"));
            String mode = trimmed(config.get(prefix + "mode"));
            List<String> withMode = fields.stream().map(f -> f + " " + mode).toList();
            String predicate = config.get(prefix + "predicate");
            if (predicate == null || predicate.isBlank()) {
                coveredValid.addAll(withMode);
                coveredDeadLetter.addAll(fields);
                continue;
            }
            if (!isDeadLetterPredicate(config, predicates, predicate.trim())) {
                continue;
            }
            boolean negate = Boolean.parseBoolean(
                    String.valueOf(config.get(prefix + "negate")).trim());
            // HasHeaderKey is true on dead letters: the transform runs there unless negated, on valid records if
            // negated
            if (negate) {
                coveredValid.addAll(withMode);
            } else {
                coveredDeadLetter.addAll(fields);
            }
        }
        List<String> missing = new ArrayList<>();
        dataset.fields().stream()
                .filter(f -> !coveredValid.contains(f.path() + " " + f.mode()))
                .map(f -> f.path() + " (" + f.mode() + ")")
                .forEach(missing::add);
        deadLetterFields.stream()
                .filter(f -> !coveredDeadLetter.contains(f))
                .map(f -> f + " (dead letters)")
                .forEach(missing::add);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Refusal.forbidden("a source connector that writes dataset " + dataset.name()
                + " must encrypt " + String.join(", ", missing) + " with leading " + String.join("|", encryptionTypes)
                + " transforms stating that mode (the PII catalog, " + PolicyConfig.DEAD_LETTER_ENCRYPTED_FIELDS
                + ")"));
    }

    private boolean isDeadLetterPredicate(Map<String, String> config, Set<String> declared, String alias) {
        String prefix = "predicates." + alias + ".";
        return declared.contains(alias)
                && HAS_HEADER_KEY.equals(trimmed(config.get(prefix + "type")))
                && deadLetterHeader.equals(trimmed(config.get(prefix + "name")));
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
