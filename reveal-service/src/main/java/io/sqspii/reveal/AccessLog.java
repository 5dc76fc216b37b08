package io.sqspii.reveal;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: method, path, login, number of cells, status, duration, client address. Never
 * plaintext, reason text, ciphertext, row keys or passwords: only what an operator needs to see load and
 * refusals.
 */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("io.sqspii.reveal.access");

    private AccessLog() {}

    /** The client chose these strings (the login before authentication): one line, no control characters, bounded. */
    static String printable(String s) {
        if (s == null) {
            return "-";
        }
        String clean = s.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    static void line(HttpExchange exchange, String login, int cells, int status, long startNanos) {
        log.info(String.format(
                Locale.ROOT,
                "%s %s login=%s cells=%d status=%d ms=%d from=%s",
                printable(exchange.getRequestMethod()),
                printable(exchange.getRequestURI().getPath()),
                printable(login),
                cells,
                status,
                (System.nanoTime() - startNanos) / 1_000_000,
                exchange.getRemoteAddress().getAddress().getHostAddress()));
    }
}
