package io.sqspii.reveal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sqspii.reveal.api.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * GET /metrics (no authentication, Prometheus text format): cells revealed and failed, cells revealed under a
 * break-glass grant (alert on any increase), and the audit chain's head as last published. Counts only, of this
 * replica since it started; never a login, a value or a reason.
 */
final class MetricsHandler implements HttpHandler {
    static final String PATH = "/metrics";

    /** What the reveal path counts. */
    static final class Counters {
        final LongAdder revealed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder breakGlass = new LongAdder();
    }

    private final Counters counters;
    private final AuditHeadWatch head;

    MetricsHandler(Counters counters, AuditHeadWatch head) {
        this.counters = counters;
        this.head = head;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status = 200;
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                status = 404;
                Exchanges.error(exchange, new ApiException(ErrorCode.NO_SUCH_RESOURCE, "no such resource"));
            } else if (!exchange.getRequestMethod().equals("GET")) {
                status = 405;
                Exchanges.error(exchange, new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use GET"));
            } else {
                byte[] body = text().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } finally {
            AccessLog.line(exchange, null, 0, status, start);
        }
    }

    String text() {
        RevealDatabase.AuditHead h = head.head();
        return "# HELP sqspii_reveal_cells_total Cells the reveal service answered, by outcome.\n"
                + "# TYPE sqspii_reveal_cells_total counter\n"
                + "sqspii_reveal_cells_total{outcome=\"revealed\"} " + counters.revealed.sum() + "\n"
                + "sqspii_reveal_cells_total{outcome=\"failed\"} " + counters.failed.sum() + "\n"
                + "# HELP sqspii_reveal_break_glass_cells_total Cells revealed under a break-glass grant.\n"
                + "# TYPE sqspii_reveal_break_glass_cells_total counter\n"
                + "sqspii_reveal_break_glass_cells_total " + counters.breakGlass.sum() + "\n"
                + "# HELP sqspii_audit_chain_head_seq Number of the audit chain's last row, as last published.\n"
                + "# TYPE sqspii_audit_chain_head_seq gauge\n"
                + "sqspii_audit_chain_head_seq " + (h == null ? 0 : h.seq()) + "\n";
    }
}
