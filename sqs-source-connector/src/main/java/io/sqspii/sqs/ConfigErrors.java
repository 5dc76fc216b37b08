package io.sqspii.sqs;

import org.apache.kafka.common.config.ConfigException;

/**
 * Config errors that name the key and what is wrong, never the value: a value may be a secret resolved by a
 * config provider ({@code ${env:JDBC_PASSWORD}}), and errors reach every Connect REST user.
 */
final class ConfigErrors {

    private static final String KAFKA_PREFIX = "Invalid value ";

    private ConfigErrors() {}

    static ConfigException invalid(String key, String what) {
        return new ConfigException(KAFKA_PREFIX + "for configuration " + key + ": " + what);
    }

    /**
     * Kafka's own checks (type parsing, {@code Range}, {@code ValidString}) word their errors as
     * {@code Invalid value <value> for configuration <key>: <what>}; this keeps the key and the what. The last
     * occurrence of the key is taken, so a value that itself contains the phrase is cut away whole.
     */
    static String withoutValue(String key, String message) {
        if (message == null || !message.startsWith(KAFKA_PREFIX)) {
            return message;
        }
        String marker = " for configuration " + key;
        int at = message.lastIndexOf(marker);
        if (at < 0) {
            return KAFKA_PREFIX + "for configuration " + key; // not Kafka's wording: keep nothing of it
        }
        return KAFKA_PREFIX + message.substring(at + 1);
    }
}
