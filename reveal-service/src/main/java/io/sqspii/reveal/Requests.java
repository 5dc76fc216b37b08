package io.sqspii.reveal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.RevealApi;
import io.sqspii.reveal.api.RevealRequest;
import io.sqspii.reveal.api.RevealRequest.Cell;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a reveal request (reveal-api's {@link RevealRequest}). Parsing is strict: an unknown field (a client-sent
 * "ciphertext", say) is refused, not ignored, because the service only ever decrypts what pii_reveal() returns.
 * Which cells are revealable is not checked here: the database refuses what the PII catalog does not list.
 * Error messages never quote the body (the reason may hold anything).
 */
final class Requests {

    /** Strict reading of request bodies: unknown fields, trailing tokens and duplicate keys are refused. */
    static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern PURPOSE = Pattern.compile(RevealApi.PURPOSE_PATTERN);

    private Requests() {}

    /** Parses and checks a body. */
    static RevealRequest parse(byte[] body, int maxCells) {
        RevealRequest b;
        try {
            b = STRICT_JSON.readValue(body, RevealRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName()
                    + "': a reveal names only purpose, reason and cells of {table, rowKey, column, path}; "
                    + "the service decrypts only what the database returns");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not a reveal request in JSON: {\"purpose\": \"...\", "
                    + "\"reason\": \"...\", "
                    + "\"cells\": [{\"table\": \"...\", \"rowKey\": \"...\", \"column\": \"...\"}]}");
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
        if (b == null) {
            throw ApiException.badRequest("the body is empty");
        }
        if (b.purpose() == null || !PURPOSE.matcher(b.purpose()).matches()) {
            throw ApiException.badRequest(
                    "a purpose is required: the code of one of the purposes (pii_purposes), e.g. " + "support-case");
        }
        if (b.reason() == null || b.reason().isBlank()) {
            throw ApiException.badRequest("a reason is required to reveal PII");
        }
        if (b.reason().codePointCount(0, b.reason().length()) > RevealApi.MAX_REASON) {
            throw ApiException.badRequest("the reason is longer than " + RevealApi.MAX_REASON + " characters");
        }
        if (!AuditText.ok(b.reason())) {
            throw ApiException.badRequest("the reason may not hold control characters or bidirectional text controls "
                    + "(the audit shows it as written)");
        }
        if (b.cells() == null || b.cells().isEmpty()) {
            throw ApiException.badRequest("no cells to reveal");
        }
        if (b.cells().size() > maxCells) {
            throw new ApiException(
                    ErrorCode.TOO_MANY_CELLS,
                    b.cells().size() + " cells in one request; the limit is " + maxCells + " (max.cells.per.request)");
        }
        for (Cell c : b.cells()) {
            if (c == null || c.table() == null || c.rowKey() == null || c.column() == null) {
                throw ApiException.badRequest("every cell needs table, rowKey and column");
            }
            if (c.rowKey().isEmpty() || c.rowKey().length() > RevealApi.MAX_ROW_KEY) {
                throw ApiException.badRequest("a rowKey must have 1 to " + RevealApi.MAX_ROW_KEY + " characters");
            }
            if (c.path() != null && (c.path().isEmpty() || c.path().length() > RevealApi.MAX_PATH)) {
                throw ApiException.badRequest("a path must have 1 to " + RevealApi.MAX_PATH + " characters, e.g. "
                        + "/2/holder_name (or be left out for a whole cell)");
            }
        }
        return new RevealRequest(b.purpose(), b.reason(), List.copyOf(b.cells()));
    }
}
