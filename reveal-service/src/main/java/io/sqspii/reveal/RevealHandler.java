package io.sqspii.reveal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sqspii.reveal.RevealDatabase.Fetched;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.RevealApi;
import io.sqspii.reveal.api.RevealRequest;
import io.sqspii.reveal.api.RevealResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/reveal. Order matters: check the request (an application/json body: a cross-site form cannot
 * send one without a CORS preflight, which gets 405), take a failed-login allowance, authenticate as the
 * analyst's login, apply the rate limit of the role PostgreSQL logged in (session_user), let pii_reveal()
 * write and COMMIT the audit rows, decrypt only the ciphertexts it returned, record each outcome, and only
 * then answer. A cell whose outcome cannot be recorded is answered without its plaintext.
 */
final class RevealHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(RevealHandler.class);

    private final RevealDatabase database;
    private final KeyRing keys;
    private final int maxCells;
    private final TokenBuckets cellLimit;
    private final LoginGate gate;
    private final MetricsHandler.Counters counters;

    RevealHandler(
            RevealDatabase database,
            KeyRing keys,
            RevealConfig config,
            LoginGate gate,
            MetricsHandler.Counters counters) {
        this.database = database;
        this.counters = counters;
        this.keys = keys;
        this.gate = gate;
        this.maxCells = config.maxCellsPerRequest();
        this.cellLimit = new TokenBuckets(config.rateLimitCellsPerMinute());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String login = null;
        int cells = 0;
        int status = 500;
        try (exchange) {
            try {
                if (!exchange.getRequestURI().getPath().equals(RevealApi.REVEAL_PATH)) {
                    throw new ApiException(ErrorCode.NO_SUCH_RESOURCE, "no such resource");
                }
                if (!exchange.getRequestMethod().equals("POST")) {
                    throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use POST");
                }
                Exchanges.requireJson(exchange);
                Credentials credentials =
                        Credentials.fromHeader(exchange.getRequestHeaders().getFirst("Authorization"));
                login = credentials.login();
                RevealRequest request = Requests.parse(Exchanges.body(exchange), maxCells);
                cells = request.cells().size();
                RevealResponse result =
                        reveal(credentials, exchange.getRemoteAddress().getAddress(), request);
                status = 200;
                Exchanges.json(exchange, 200, result);
            } catch (ApiException e) {
                status = e.status();
                Exchanges.error(exchange, e);
            } catch (RuntimeException e) {
                status = 500;
                log.error("reveal failed ({})", e.getClass().getName()); // no message: it could quote a value
                Exchanges.error(exchange, new ApiException(ErrorCode.INTERNAL_ERROR, "internal error"));
            }
        } finally {
            AccessLog.line(exchange, login, cells, status, start);
        }
    }

    private RevealResponse reveal(Credentials credentials, InetAddress client, RevealRequest request) {
        Connection c = gate.open(credentials, client);
        try {
            return revealAs(c, request);
        } finally {
            gate.release();
        }
    }

    private RevealResponse revealAs(Connection c, RevealRequest request) {
        try (c) {
            String analyst = sessionUser(c); // the role the audit rows name, whatever login string was sent
            long retry = cellLimit.take(analyst, request.cells().size());
            if (retry > 0) {
                throw tooMany(
                        retry,
                        "rate limit: " + cellLimit.perMinute() + " cells per minute per login "
                                + "(rate.limit.cells.per.minute)");
            }
            List<Fetched> fetched = database.fetchAndAudit(c, request); // committed: the audit rows exist
            List<KeyRing.Decrypted> decrypted = new ArrayList<>();
            for (Fetched f : fetched) {
                decrypted.add(keys.decrypt(f.binding(), f.ciphertext()));
            }
            boolean settled = settle(analyst, fetched, decrypted);
            List<RevealResponse.Result> out = new ArrayList<>();
            for (int i = 0; i < fetched.size(); i++) {
                Fetched f = fetched.get(i);
                KeyRing.Decrypted d = decrypted.get(i);
                String error =
                        !settled ? "the outcome of this reveal could not be recorded; nothing revealed" : d.failure();
                (error == null ? counters.revealed : counters.failed).increment();
                if (error == null && f.breakGlass()) {
                    counters.breakGlass.increment();
                    log.warn("break-glass reveal: audit row {} by {}", f.auditId(), AccessLog.printable(analyst));
                }
                out.add(new RevealResponse.Result(
                        f.cell().table(),
                        f.cell().rowKey(),
                        f.cell().column(),
                        f.cell().path(),
                        f.auditId(),
                        error == null ? d.plaintext() : null,
                        error));
            }
            return new RevealResponse(out);
        } catch (SQLException e) {
            throw RevealDatabase.failure(e, ErrorCode.NOT_A_READER); // from closing the connection
        }
    }

    private boolean settle(String analyst, List<Fetched> fetched, List<KeyRing.Decrypted> decrypted) {
        try {
            database.recordOutcomes(
                    analyst,
                    fetched.stream().map(Fetched::auditId).toList(),
                    decrypted.stream().map(KeyRing.Decrypted::failure).toList());
            return true;
        } catch (SQLException e) {
            log.warn(
                    "cannot record the outcome of {} reveal(s) (SQLSTATE {}); answered without plaintext",
                    fetched.size(),
                    e.getSQLState());
            return false;
        }
    }

    /**
     * The role PostgreSQL logged in, which the audit rows name: the cells budget belongs to it, whatever
     * string the client sent as its login.
     */
    private static String sessionUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT session_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static ApiException tooMany(long retryAfterSeconds, String message) {
        return new ApiException(
                ErrorCode.RATE_LIMITED,
                message + "; retry in " + retryAfterSeconds + " s",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
