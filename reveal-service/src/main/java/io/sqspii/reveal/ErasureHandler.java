package io.sqspii.reveal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sqspii.reveal.RevealDatabase.Erased;
import io.sqspii.reveal.api.ErasureRequest;
import io.sqspii.reveal.api.ErasureResponse;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.reveal.api.RevealApi;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/erasure: a data subject's rows found, and with {@code confirm} deleted, across every dataset of one key
 * domain. The service holds the keys, so it turns the subject's identifying value into the ciphertext each
 * deterministic column of the domain stores (canonical form, primary key, the column's associated data); the
 * database, as the eraser's own login (pii_eraser), finds the rows by equality, deletes them and chains the erasure
 * into the audit. The value is never logged, stored or answered; the audit names the subject by a token.
 */
final class ErasureHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ErasureHandler.class);
    private static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final RevealDatabase database;
    private final KeyRing keys;
    private final LoginGate gate;

    ErasureHandler(RevealDatabase database, KeyRing keys, LoginGate gate) {
        this.database = database;
        this.keys = keys;
        this.gate = gate;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String login = null;
        int status = 500;
        try (exchange) {
            try {
                if (!exchange.getRequestURI().getPath().equals(RevealApi.ERASURE_PATH)) {
                    throw new ApiException(ErrorCode.NO_SUCH_RESOURCE, "no such resource");
                }
                if (!exchange.getRequestMethod().equals("POST")) {
                    throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use POST");
                }
                Exchanges.requireJson(exchange);
                Credentials credentials =
                        Credentials.fromHeader(exchange.getRequestHeaders().getFirst("Authorization"));
                login = credentials.login();
                ErasureRequest request = parse(Exchanges.body(exchange));
                Connection c =
                        gate.open(credentials, exchange.getRemoteAddress().getAddress());
                ErasureResponse answer;
                try (c) {
                    answer = erase(c, request);
                } catch (SQLException e) {
                    throw RevealDatabase.failure(e, ErrorCode.NOT_AN_ERASER);
                } finally {
                    gate.release();
                }
                status = 200;
                Exchanges.json(exchange, 200, answer);
            } catch (ApiException e) {
                status = e.status();
                Exchanges.error(exchange, e);
            } catch (RuntimeException e) {
                log.error("erasure failed ({})", e.getClass().getName()); // no message: it could quote the value
                Exchanges.error(exchange, new ApiException(ErrorCode.INTERNAL_ERROR, "internal error"));
            }
        } finally {
            AccessLog.line(exchange, login, 0, status, start);
        }
    }

    private ErasureResponse erase(Connection c, ErasureRequest request) throws SQLException {
        // the catalog as this login may read it (pii_eraser may call pii_catalog(); a login that may not is no eraser)
        PiiCatalog catalog;
        try {
            catalog = PiiCatalog.read(c);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new ApiException(
                        ErrorCode.NOT_AN_ERASER,
                        "this login may not erase data subjects (it needs the pii_eraser role)");
            }
            throw e;
        }
        List<PiiColumn> columns = catalog.columns().stream()
                .filter(col -> col.keyDomain().equals(request.domain()))
                .filter(col -> RevealApi.ERASURE_MODES.contains(col.mode()))
                .toList();
        if (columns.isEmpty()) {
            throw ApiException.badRequest(
                    "no deterministic PII column of the catalog is in key domain " + request.domain());
        }
        ArrayNode values = Requests.STRICT_JSON.createArrayNode();
        for (PiiColumn col : columns) {
            Optional<String> ciphertext = keys.ciphertextOf(col, request.value());
            if (ciphertext.isEmpty()) {
                throw new ApiException(
                        ErrorCode.KEYSET_MISSING,
                        "this service does not hold keyset " + col.keyset() + " of " + col.table() + "." + col.column()
                                + " (keyset." + col.keyset() + ".file)");
            }
            values.addObject()
                    .put("table", col.table())
                    .put("column", col.column())
                    .put("item_pointer", col.inArray() ? col.arrayItemPointer() : null)
                    .put("ciphertext", ciphertext.get());
        }
        List<Erased> found = database.erase(c, values.toString(), request.reason(), request.confirm());
        return new ErasureResponse(
                found.isEmpty() ? null : found.get(0).subjectToken(),
                found.stream()
                        .map(e -> new ErasureResponse.Rows(e.dataset(), e.table(), e.rows()))
                        .toList(),
                request.confirm(),
                found.isEmpty() ? null : found.get(0).auditSeq());
    }

    /** Strict, as for reveals; messages never quote the body (it holds the subject's value). */
    static ErasureRequest parse(byte[] body) {
        ErasureRequest r;
        try {
            r = Requests.STRICT_JSON.readValue(body, ErasureRequest.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not an erasure request in JSON: {\"domain\": \"email\", "
                    + "\"value\": \"...\", \"reason\": \"...\", \"confirm\": false}");
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
        if (r == null || r.domain() == null || !DOMAIN.matcher(r.domain()).matches()) {
            throw ApiException.badRequest("a key domain of the PII catalog is required (e.g. email)");
        }
        if (r.value() == null || r.value().isBlank() || r.value().length() > RevealApi.MAX_ERASURE_VALUE) {
            throw ApiException.badRequest(
                    "the subject's value is required, at most " + RevealApi.MAX_ERASURE_VALUE + " characters");
        }
        if (r.reason() == null
                || r.reason().isBlank()
                || r.reason().codePointCount(0, r.reason().length()) > RevealApi.MAX_REASON
                || !AuditText.ok(r.reason())) {
            throw ApiException.badRequest("a reason is required: at most " + RevealApi.MAX_REASON + " characters, "
                    + "without control characters or bidirectional text controls");
        }
        return r;
    }
}
