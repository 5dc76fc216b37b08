package io.sqspii.reveal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.Health;
import io.sqspii.reveal.api.RevealApi;
import java.io.IOException;
import java.util.List;

/**
 * GET /health (no authentication): UP, the datasets of the PII catalog as last read, and the key ids of each loaded
 * keyset, never key material.
 */
final class HealthHandler implements HttpHandler {
    private final List<Health.Keyset> keysets;
    private final CatalogWatch catalog;

    HealthHandler(KeyRing keys, CatalogWatch catalog) {
        this.keysets = keys.loaded().stream()
                .map(k -> new Health.Keyset(k.name(), k.mode().configName(), k.keyIds()))
                .toList();
        this.catalog = catalog;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status = 200;
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(RevealApi.HEALTH_PATH)) {
                status = 404;
                Exchanges.error(exchange, new ApiException(ErrorCode.NO_SUCH_RESOURCE, "no such resource"));
            } else if (!exchange.getRequestMethod().equals("GET")) {
                status = 405;
                Exchanges.error(exchange, new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use GET"));
            } else {
                List<Health.Dataset> datasets = catalog.catalog().datasets().stream()
                        .map(d -> new Health.Dataset(d.name(), d.tables(), d.keysets()))
                        .toList();
                Exchanges.json(exchange, 200, new Health("UP", datasets, keysets));
            }
        } finally {
            AccessLog.line(exchange, null, 0, status, start);
        }
    }
}
