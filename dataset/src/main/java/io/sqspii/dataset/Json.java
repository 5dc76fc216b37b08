package io.sqspii.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;

final class Json {

    private Json() {
    }

    static String pretty(Object value) {
        try {
            return Definition.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
