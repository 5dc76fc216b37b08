package io.sqspii.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strimzi's (and fabric8's) model classes keep fields they do not know in additionalProperties instead of
 * failing, as the operator's CRD validation would: this walk lists every such field of a parsed resource,
 * so a misspelt key in a recipe is a finding.
 */
final class StrimziModel {

    private StrimziModel() {}

    static List<String> unknownFields(Object resource) {
        List<String> found = new ArrayList<>();
        walk(resource, resource.getClass().getSimpleName(), found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object node, String path, List<String> found, Set<Object> seen) {
        if (node == null
                || node instanceof String
                || node instanceof Number
                || node instanceof Boolean
                || node instanceof Enum<?>
                || !seen.add(node)) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        String type = node.getClass().getName();
        if (!type.startsWith("io.strimzi.") && !type.startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !(name.startsWith("get") || name.startsWith("is"))
                    || name.equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
                continue;
            }
            String property = name.startsWith("is") ? name.substring(2) : name.substring(3);
            walk(value, path + "." + Character.toLowerCase(property.charAt(0)) + property.substring(1), found, seen);
        }
    }
}
