package io.sqspii.connect.policy;

import java.util.Arrays;
import java.util.List;

/** Connect's reading of a LIST value: comma-separated, each item trimmed, empty items dropped. */
final class ConnectorConfig {

    private ConnectorConfig() {}

    static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
