package io.sqspii.dataset;

import java.util.List;
import java.util.Map;

/**
 * What apply would do to one database, in order: every SQL statement (DDL, grants, catalog rows), notes, and the
 * refusals that stop it (each names the property by JSON Pointer and says what to do). A plan with refusals is
 * never applied, not even in part.
 */
record Plan(
        String dataset,
        List<String> statements,
        List<String> notes,
        List<String> refusals,
        Map<String, Map<String, String>> connectors) {

    boolean refused() {
        return !refusals.isEmpty();
    }

    boolean empty() {
        return statements.isEmpty();
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("dataset ").append(dataset).append('\n');
        for (String n : notes) {
            b.append("note: ").append(n).append('\n');
        }
        if (refused()) {
            b.append("REFUSED: nothing is applied\n");
            for (String r : refusals) {
                b.append("  - ").append(r).append('\n');
            }
            return b.toString();
        }
        if (empty()) {
            b.append("nothing to change\n");
        } else {
            b.append("-- SQL, in one transaction:\n");
            for (String s : statements) {
                b.append(s).append(";\n");
            }
        }
        b.append("-- connector configs (--connect-url registers them; --out writes them as files):\n");
        for (Map.Entry<String, Map<String, String>> e : connectors.entrySet()) {
            b.append("-- ")
                    .append(e.getKey())
                    .append('\n')
                    .append(Json.pretty(e.getValue()))
                    .append('\n');
        }
        return b.toString();
    }
}
