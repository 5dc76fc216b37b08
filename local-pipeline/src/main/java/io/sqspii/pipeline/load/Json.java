package io.sqspii.pipeline.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Compact single-line JSON through Jackson (which escapes control characters, so no body spans lines). */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Writes with a raw generator: lets junk bodies do what a tree cannot, such as repeating a key. */
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {}

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Writer writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
