package io.sqspii.reveal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /health (no authentication): UP and the key ids of each loaded keyset, never key material. */
final class HealthHandler implements HttpHandler {
    private final Map<String, Object> body;

    HealthHandler(KeyRing keys) {
        List<Map<String, Object>> keysets = keys.loaded().stream().map(k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", k.table());
            m.put("mode", k.mode().configName());
            m.put("keyIds", k.keyIds());
            return m;
        }).toList();
        body = Map.of("status", "UP", "keysets", keysets);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status = 200;
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/health")) {
                status = 404;
                Exchanges.error(exchange, new ApiException(404, "no such resource"));
            } else if (!exchange.getRequestMethod().equals("GET")) {
                status = 405;
                Exchanges.error(exchange, new ApiException(405, "use GET"));
            } else {
                Exchanges.json(exchange, 200, body);
            }
        } finally {
            AccessLog.line(exchange, null, 0, status, start);
        }
    }
}
