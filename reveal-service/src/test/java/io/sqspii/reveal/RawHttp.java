package io.sqspii.reveal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not do: any Host or Content-Type header,
 * control characters in the Basic login, and a chosen source address (127.0.0.2 is another client).
 */
final class RawHttp {
    /** Status, headers (lower-case names) and body text. */
    record Response(int status, Map<String, String> headers, String body) {}

    private RawHttp() {}

    static String basic(String login, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Response post(URI base, InetAddress from, Map<String, String> headers, String body) {
        return send(base, from, "POST", "/v1/reveal", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Response send(
            URI base, InetAddress from, String method, String path, Map<String, String> headers, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", base.getHost() + ":" + base.getPort());
        h.putAll(headers);
        h.put("Content-Length", Integer.toString(body.length));
        h.put("Connection", "close");
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (Socket s = new Socket()) {
            if (from != null) {
                s.bind(new InetSocketAddress(from, 0));
            }
            s.setSoTimeout(60_000);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            s.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            return parse(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
