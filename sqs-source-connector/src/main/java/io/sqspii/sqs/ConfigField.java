package io.sqspii.sqs;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * One config key, declared once with everything Connect shows of it (in the spirit of Debezium's {@code Field}).
 * Keys are declared inside their {@link #group}, whose order numbers them; the {@link ConfigDef} is derived from
 * the list, and the README's table from that ConfigDef.
 */
record ConfigField(
        String name,
        String displayName,
        Type type,
        Object defaultValue,
        Importance importance,
        Width width,
        Validator validator,
        String doc,
        String group,
        int orderInGroup) {

    /** The default of a key that must be set. */
    static final Object REQUIRED = ConfigDef.NO_DEFAULT_VALUE;

    /** A key of the group it is declared in. */
    static ConfigField key(
            String name,
            String displayName,
            Type type,
            Object defaultValue,
            Importance importance,
            Width width,
            Validator validator,
            String doc) {
        return new ConfigField(name, displayName, type, defaultValue, importance, width, validator, doc, null, 0);
    }

    /** {@code fields} in group {@code group}, numbered in the order given. */
    static List<ConfigField> group(String group, ConfigField... fields) {
        return IntStream.range(0, fields.length)
                .mapToObj(i -> {
                    ConfigField f = fields[i];
                    return new ConfigField(
                            f.name,
                            f.displayName,
                            f.type,
                            f.defaultValue,
                            f.importance,
                            f.width,
                            f.validator,
                            f.doc,
                            group,
                            i + 1);
                })
                .toList();
    }

    @SafeVarargs
    static List<ConfigField> all(List<ConfigField>... groups) {
        return Arrays.stream(groups).flatMap(List::stream).toList();
    }

    static ConfigDef configDef(List<ConfigField> fields) {
        ConfigDef def = new ConfigDef();
        for (ConfigField f : fields) {
            def.define(
                    f.name,
                    f.type,
                    f.defaultValue,
                    f.validator,
                    f.importance,
                    f.doc,
                    f.group,
                    f.orderInGroup,
                    f.width,
                    f.displayName);
        }
        return def;
    }
}
