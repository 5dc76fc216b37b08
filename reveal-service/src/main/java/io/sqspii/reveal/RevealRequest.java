package io.sqspii.reveal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reveal request: a reason and the cells (table, row key, column) to reveal. Parsing is strict: an unknown
 * field (a client-sent "ciphertext", say) is refused, not ignored, because the service only ever decrypts
 * what pii_reveal() returns. Error messages never quote the body (the reason may hold anything).
 */
record RevealRequest(String reason, List<Cell> cells) {

    static final int MAX_REASON = AuditText.MAX;
    static final int MAX_ROW_KEY = 256;

    /** One cell to reveal. */
    record Cell(String table, String rowKey, String column) {
    }

    /** The JSON body as sent. */
    private record Body(String reason, List<Cell> cells) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Parses and checks a body; the resolved columns are in the same order as the cells. */
    static RevealRequest parse(byte[] body, int maxCells) {
        Body b;
        try {
            b = JSON.readValue(body, Body.class);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName()
                    + "': a reveal names only reason and cells of {table, rowKey, column}; "
                    + "the service decrypts only what the database returns");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not a reveal request in JSON: {\"reason\": \"...\", "
                    + "\"cells\": [{\"table\": \"...\", \"rowKey\": \"...\", \"column\": \"...\"}]}");
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
        if (b == null) {
            throw ApiException.badRequest("the body is empty");
        }
        if (b.reason() == null || b.reason().isBlank()) {
            throw ApiException.badRequest("a reason is required to reveal PII");
        }
        if (b.reason().codePointCount(0, b.reason().length()) > MAX_REASON) {
            throw ApiException.badRequest("the reason is longer than " + MAX_REASON + " characters");
        }
        if (!AuditText.ok(b.reason())) {
            throw ApiException.badRequest("the reason may not hold control characters or bidirectional text controls "
                    + "(the audit shows it as written)");
        }
        if (b.cells() == null || b.cells().isEmpty()) {
            throw ApiException.badRequest("no cells to reveal");
        }
        if (b.cells().size() > maxCells) {
            throw ApiException.badRequest(b.cells().size() + " cells in one request; the limit is " + maxCells
                    + " (max.cells.per.request)");
        }
        List<Cell> cells = new ArrayList<>();
        for (Cell c : b.cells()) {
            if (c == null || c.table() == null || c.rowKey() == null || c.column() == null) {
                throw ApiException.badRequest("every cell needs table, rowKey and column");
            }
            if (c.rowKey().isEmpty() || c.rowKey().length() > MAX_ROW_KEY) {
                throw ApiException.badRequest("a rowKey must have 1 to " + MAX_ROW_KEY + " characters");
            }
            column(c);
            cells.add(c);
        }
        return new RevealRequest(b.reason(), List.copyOf(cells));
    }

    /** The revealable column a cell names, or 400 naming what is allowed. */
    static RevealableColumn column(Cell c) {
        return RevealableColumn.of(c.table(), c.column()).orElseThrow(() -> ApiException.badRequest(
                (RevealableColumn.isTable(c.table()) ? "column " + c.column() + " of " + c.table() + " is not revealable"
                        : "table " + c.table() + " has no revealable column")
                        + "; revealable: " + List.of(RevealableColumn.values())));
    }
}
