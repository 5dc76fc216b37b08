package io.sqspii.reveal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.sqspii.reveal.api.ErrorCode;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Answers 421 to a request whose Host header is not an IP address, localhost or a configured name. A
 * DNS-rebinding page reaches us under its own domain name, which it pointed at our address; the browser
 * sends that name as Host. An IP literal cannot be rebound, so probes and clients by address still work.
 */
final class HostCheck extends Filter {
    private final Set<String> allowedNames;

    HostCheck(Set<String> allowedNames) {
        this.allowedNames = allowedNames;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (allowed(exchange.getRequestHeaders().getFirst("Host"))) {
            chain.doFilter(exchange);
            return;
        }
        long start = System.nanoTime();
        try (exchange) {
            Exchanges.error(
                    exchange,
                    new ApiException(
                            ErrorCode.HOST_NOT_ALLOWED,
                            "this service does not answer under that host name; "
                                    + "call it by its address, localhost or a name in "
                                    + RevealConfig.HTTP_ALLOWED_HOSTS));
        } finally {
            AccessLog.line(exchange, null, 0, 421, start);
        }
    }

    boolean allowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.trim();
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon && (host.startsWith("[") || host.indexOf(':') == colon)) {
            host = host.substring(0, colon); // name:port, [v6]:port
        }
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || allowedNames.contains(name) || Hosts.literal(host) != null;
    }

    @Override
    public String description() {
        return "Host header allow-list";
    }
}
