package io.sqspii.dataset;

import java.util.List;

/**
 * A definition that cannot be used, with every problem found: each names its file and the JSON Pointer of the
 * offending node, never a data value (schemas may carry example values, events always carry PII).
 */
public final class DefinitionException extends Exception {

    private final List<String> problems;

    DefinitionException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
