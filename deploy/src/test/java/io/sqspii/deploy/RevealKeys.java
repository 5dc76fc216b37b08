package io.sqspii.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reveal service's config keys, as io.sqspii.reveal.RevealConfig declares them; a key with a placeholder
 * ({@code keyset.<name>.file}) stands for every key of that shape.
 */
final class RevealKeys {

    private RevealKeys() {}

    static Set<String> known() {
        Set<String> keys = new LinkedHashSet<>();
        try {
            Class<?> config = Class.forName("io.sqspii.reveal.RevealConfig");
            for (Field f : config.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && f.getType() == String.class
                        && Modifier.isFinal(f.getModifiers())) {
                    f.setAccessible(true);
                    String value = (String) f.get(null);
                    if (value != null && value.matches("[a-z]+(\\.([a-z]+|<name>))+")) {
                        keys.add(value);
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("io.sqspii.reveal.RevealConfig is not on the class path", e);
        }
        return keys;
    }

    /** Keys of a reveal.properties text that the service does not know (it would ignore or refuse them). */
    static List<String> unknownKeys(String propertiesText) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(propertiesText));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Pattern> known = known().stream()
                .map(k -> Pattern.compile(Pattern.quote(k).replace("<name>", "\\E[a-z][a-z0-9_]*\\Q")))
                .toList();
        return p.stringPropertyNames().stream()
                .filter(k -> known.stream().noneMatch(m -> m.matcher(k).matches()))
                .sorted()
                .toList();
    }
}
