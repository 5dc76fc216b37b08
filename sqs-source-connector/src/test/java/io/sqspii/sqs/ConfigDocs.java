package io.sqspii.sqs;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Prints the configuration reference as a Markdown table (for README.md) or, with argument {@code rst}, Kafka's
 * own reStructuredText rendering. Run: {@code ./mvnw -q -pl sqs-source-connector test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.sqspii.sqs.ConfigDocs}.
 */
public final class ConfigDocs {

    private ConfigDocs() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("rst")) {
            System.out.println(SqsSourceConfig.CONFIG_DEF.toEnrichedRst());
            return;
        }
        System.out.print(markdown());
    }

    static String markdown() {
        StringBuilder sb = new StringBuilder(
                "| key | type | default | valid values | importance | description |\n" + "|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : SqsSourceConfig.CONFIG_DEF.configKeys().values()) {
            String def = !k.hasDefault()
                    ? "*required*"
                    : k.defaultValue == null
                            ? "*none*"
                            : k.defaultValue.toString().isEmpty() ? "\"\"" : "`" + k.defaultValue + "`";
            sb.append("| `")
                    .append(k.name)
                    .append("` | ")
                    .append(k.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(def)
                    .append(" | ")
                    .append(k.validator == null ? "" : escape(k.validator.toString()))
                    .append(" | ")
                    .append(k.importance.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(escape(k.documentation))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }
}
