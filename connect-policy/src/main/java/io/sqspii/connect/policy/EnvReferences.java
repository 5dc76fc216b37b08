package io.sqspii.connect.policy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} references as the worker's env config provider does, so that a sink's
 * {@code connection.url} is judged by the URL it will connect to. Connect resolves the worker's own
 * properties (the policy's allowed URLs) before the extension sees them, but hands it no config provider,
 * so the extension reads the same environment itself. Values are only compared, never returned to a client.
 */
final class EnvReferences {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}:]*)\\}");

    private final Map<String, String> environment;

    EnvReferences(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    String resolve(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = environment.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(resolved == null ? m.group() : resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
