package io.sqspii.dataset;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The public entry to the event-schema subset, for readers of events (the source connector): the same compiler
 * dataset definitions use, so the subset and its rules are declared once.
 */
public final class EventSchema {

    /** The keywords of the subset (plus $schema and $id at the root); anything else is refused. */
    public static final java.util.List<String> SUPPORTED_KEYWORDS = SchemaCompiler.KEYWORDS;

    private EventSchema() {}

    /**
     * The compiled root (an object node) of {@code root}, or every problem, each naming {@code file} and the
     * JSON Pointer of the schema node, never a value.
     */
    public static SchemaNode compile(String file, JsonNode root) throws DefinitionException {
        return SchemaCompiler.compile(file, root);
    }
}
