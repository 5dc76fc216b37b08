package io.sqspii.deploy;

import java.util.List;
import java.util.Map;

/**
 * JSON text as the recipes are committed: two-space indent, one member or element a line, {@code ": "} between
 * name and value, every character outside printable ASCII escaped.
 */
final class Json {

    private Json() {}

    /** Maps, lists, strings, integers and booleans; the text ends with a newline. */
    static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, "");
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, String indent) {
        String inner = indent + "  ";
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String separator = "\n";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(separator).append(inner);
                string(out, (String) e.getKey());
                out.append(": ");
                write(out, e.getValue(), inner);
                separator = ",\n";
            }
            out.append('\n').append(indent).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            String separator = "\n";
            for (Object item : list) {
                out.append(separator).append(inner);
                write(out, item, inner);
                separator = ",\n";
            }
            out.append('\n').append(indent).append(']');
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Integer || value instanceof Boolean) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value of a recipe: " + value);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < ' ' || c > '~') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
