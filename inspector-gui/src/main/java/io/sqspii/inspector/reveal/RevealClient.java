package io.sqspii.inspector.reveal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.reveal.api.ErasureRequest;
import io.sqspii.reveal.api.ErasureResponse;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.ErrorResponse;
import io.sqspii.reveal.api.Health;
import io.sqspii.reveal.api.RevealApi;
import io.sqspii.reveal.api.RevealRequest;
import io.sqspii.reveal.api.RevealResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The inspector's side of the reveal service (reveal-service/README.md): it sends which cells to
 * reveal and why, with the analyst's own PostgreSQL login; the service has the database write the
 * audit rows, commits, and only then decrypts the stored values. The inspector holds no key and never
 * sends a ciphertext.
 *
 * <p>Plaintext comes back only in {@link Revealed#plaintext()}; it is never part of an exception
 * message, a {@code toString()} or a log line. The password is kept in memory for the session (every
 * request authenticates) and wiped by {@link #close()}.
 *
 * <p>An eraser's login (pii_eraser) sends a data subject's identifying value to {@link #erase}: the service turns it
 * into ciphertexts and the database counts or deletes the matching rows. The value is in the request body only.
 */
public final class RevealClient implements AutoCloseable {

    public static final String DEFAULT_URL = "http://127.0.0.1:8089";
    public static final int MAX_REASON_LENGTH = RevealApi.MAX_REASON;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A PII cell: table, row key, column; or, with {@code path}, one value inside a jsonb array cell
     * ({@code /2/holder_name}: element 2's holder_name, see the PII catalog's array_item_pointer).
     */
    public record Cell(TableSpec table, Object key, String column, String path) {
        /** A whole cell. */
        public Cell(TableSpec table, Object key, String column) {
            this(table, key, column, null);
        }

        RevealRequest.Cell wire() {
            return new RevealRequest.Cell(table.name(), String.valueOf(key), column, path);
        }
    }

    /**
     * A cell's answer: the plaintext, or the service's reason why this cell could not be decrypted
     * (its audit row says so too). {@link #toString()} leaves the plaintext out.
     */
    public record Revealed(Cell cell, long auditId, String plaintext, String error) {
        public boolean ok() {
            return plaintext != null;
        }

        @Override
        public String toString() {
            return "Revealed[" + cell + ", audit " + auditId + (ok() ? "" : ", failed") + "]";
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            // a parse error must not quote the response (it may hold plaintext)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final URI base;
    private final String login;
    private final char[] password;
    private final HttpClient http;

    /**
     * @param baseUrl  the service's base URL, e.g. {@value #DEFAULT_URL}; https unless loopback ({@link #parseBase})
     * @param login    the analyst's PostgreSQL login
     * @param password its password; copied, the caller may wipe its array
     */
    public RevealClient(String baseUrl, String login, char[] password) {
        this.base = parseBase(baseUrl);
        this.login = login;
        this.password = password.clone();
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Checks the URL before connecting: http(s)://host[:port], nothing that could carry credentials,
     * and plain http only to a loopback address. Every reveal sends the analyst's password (Basic, on the
     * first request), so over http it would cross the network in clear before any server could refuse.
     */
    public static URI parseBase(String baseUrl) {
        String s = baseUrl == null ? "" : baseUrl.strip();
        URI uri;
        try {
            uri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (IllegalArgumentException e) {
            throw new InspectorException("The reveal service URL is not a URL: expected e.g. " + DEFAULT_URL + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InspectorException(
                    "The reveal service URL must be http(s)://host:port, e.g. " + DEFAULT_URL + ".");
        }
        if (uri.getUserInfo() != null) {
            throw new InspectorException(
                    "Put no user name or password in the reveal service URL: the login above is used.");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new InspectorException("Use https:// for a reveal service on another machine: plain http:// is only"
                    + " for loopback (127.0.0.1, ::1, localhost), since every reveal sends your password.");
        }
        return uri;
    }

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * Whether the URL's host is a loopback address by its spelling alone: localhost, 127.0.0.0/8 or ::1.
     * No name is resolved (a resolver could answer anything, and asking is already traffic); a bracketed
     * IPv6 literal is parsed by {@link InetAddress#getByName}, which does no lookup for one.
     */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost") || LOOPBACK_IPV4.matcher(host).matches()) {
            return true;
        }
        if (!(host.startsWith("[") && host.endsWith("]"))) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public URI baseUri() {
        return base;
    }

    /** GET /health: a short description of what the service holds, or an {@link InspectorException}. */
    public String health() {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(RevealApi.HEALTH_PATH))
                .timeout(CONNECT_TIMEOUT)
                .GET()
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new InspectorException(
                    "The reveal service at " + base + " is not healthy (HTTP " + response.statusCode() + ").");
        }
        Health h = parse(response.body(), Health.class);
        List<String> datasets = h.datasets() == null
                ? List.of()
                : h.datasets().stream().map(Health.Dataset::dataset).toList();
        List<String> keysets = new ArrayList<>();
        for (Health.Keyset k : h.keysets() == null ? List.<Health.Keyset>of() : h.keysets()) {
            int n = k.keyIds() == null ? 0 : k.keyIds().size();
            keysets.add(k.keyset() + " (" + n + " key" + (n == 1 ? "" : "s") + ")");
        }
        return (h.status() == null ? "?" : h.status())
                + (datasets.isEmpty() ? "" : ", datasets " + String.join(", ", datasets))
                + (keysets.isEmpty() ? "" : ", keys " + String.join(", ", keysets));
    }

    /**
     * Reveals the cells for the stated purpose (a code of pii_purposes) and reason (its free-text detail) in one
     * request (the service audits them in one transaction). Throws {@link GrantNeededException} when no active
     * grant of this login covers them for that purpose, {@link InspectorException} with the service's reason when it
     * refuses otherwise: then nothing was revealed.
     */
    public List<Revealed> reveal(List<Cell> cells, String purpose, String reason) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new InspectorException("Choose the purpose of this reveal.");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new InspectorException("A reason is required to reveal PII.");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw new InspectorException("The reason is longer than " + MAX_REASON_LENGTH + " characters.");
        }
        if (cells.isEmpty()) {
            throw new InspectorException("Select the cell(s) to reveal.");
        }
        RevealRequest body =
                new RevealRequest(purpose, why, cells.stream().map(Cell::wire).toList());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(base.resolve(RevealApi.REVEAL_PATH))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", basicAuth())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new InspectorException("Could not build the reveal request.");
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw refused(
                    response.statusCode(), error(response), response.headers().firstValue("Retry-After"));
        }
        return answers(cells, parse(response.body(), RevealResponse.class));
    }

    /**
     * POST {@value RevealApi#ERASURE_PATH}: counts ({@code confirm} false) or deletes ({@code confirm} true) the rows
     * of every dataset holding {@code value} in a deterministic column of key domain {@code domain}, as this login
     * (the pii_eraser role); the audit chain records it under the subject's token. The value is sent as typed (the
     * service puts it in the domain's canonical form) and appears in no message; the request's bytes are wiped once
     * sent. Throws {@link InspectorException} with the service's reason when it refuses: then nothing was deleted.
     */
    public ErasureResponse erase(String domain, String value, String reason, boolean confirm) {
        if (domain == null || domain.isBlank()) {
            throw new InspectorException("Choose the key domain of the identifying value.");
        }
        if (value == null || value.isBlank()) {
            throw new InspectorException("Type the data subject's identifying value.");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new InspectorException(
                    "A reason is required to erase a data subject (the request, e.g. its ticket).");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw new InspectorException("The reason is longer than " + MAX_REASON_LENGTH + " characters.");
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new ErasureRequest(domain, value, why, confirm));
        } catch (JsonProcessingException e) {
            throw new InspectorException("Could not build the erasure request.");
        }
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(base.resolve(RevealApi.ERASURE_PATH))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", basicAuth())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        if (response.statusCode() != 200) {
            throw new InspectorException(erasureRefusal(
                    response.statusCode(), error(response), response.headers().firstValue("Retry-After")));
        }
        ErasureResponse answer = parse(response.body(), ErasureResponse.class);
        if (answer == null || answer.erased() != confirm) {
            throw new InspectorException("The reveal service sent an erasure answer that does not fit the request.");
        }
        return answer;
    }

    /** The eraser-facing sentence for a refused erasure (the service's error texts never hold the value). */
    String erasureRefusal(int status, ErrorResponse error, Optional<String> retryAfter) {
        if (error.errorCode() == ErrorCode.NOT_AN_ERASER) {
            return "Login " + login + " may not erase data subjects (it needs the pii_eraser role).";
        }
        String prefix = switch (status) {
            case 400, 403 -> "Erasure refused";
            case 401 -> "The reveal service did not accept login " + login + " (wrong password, or the login expired)";
            case 429 ->
                "Too many requests for now"
                        + retryAfter.map(s -> " (try again in " + s + " s)").orElse("");
            case 503 -> "The reveal service cannot erase now";
            default -> "The reveal service answered HTTP " + status;
        };
        return sentence(prefix, error);
    }

    private static List<Revealed> answers(List<Cell> cells, RevealResponse body) {
        List<RevealResponse.Result> answered = body.cells() == null ? List.of() : body.cells();
        if (answered.size() != cells.size()) {
            throw new InspectorException(
                    "The reveal service answered for " + answered.size() + " of " + cells.size() + " cells.");
        }
        List<Revealed> out = new ArrayList<>(cells.size());
        for (Cell cell : cells) {
            RevealRequest.Cell asked = cell.wire();
            RevealResponse.Result a = answered.stream()
                    .filter(r -> asked.equals(r.cell()))
                    .findFirst()
                    .orElseThrow(() -> new InspectorException(
                            "The reveal service did not answer for " + cell.column() + " of " + cell.key() + "."));
            out.add(
                    a.plaintext() != null
                            ? new Revealed(cell, a.auditId(), a.plaintext(), null)
                            : new Revealed(cell, a.auditId(), null, a.error() == null ? "not revealed" : a.error()));
        }
        return out;
    }

    private static final Pattern PURPOSE = Pattern.compile(RevealApi.PURPOSE_PATTERN);
    /**
     * pii_reveal()'s refusals that a grant request cures: none for the column under the purpose (or one that waits,
     * was rejected, expired or was revoked), or its budget spent or too small for a shared value.
     */
    static final Set<ErrorCode> GRANT_NEEDED = EnumSet.of(
            ErrorCode.NO_GRANT,
            ErrorCode.GRANT_PENDING,
            ErrorCode.GRANT_REJECTED,
            ErrorCode.GRANT_EXPIRED,
            ErrorCode.GRANT_REVOKED,
            ErrorCode.BUDGET_EXHAUSTED);

    /** The service's error (message "" and code null if it sent none): never PII. */
    private static ErrorResponse error(HttpResponse<String> response) {
        try {
            ErrorResponse e = parse(response.body(), ErrorResponse.class);
            return e == null ? new ErrorResponse(null, null) : e;
        } catch (InspectorException e) {
            return new ErrorResponse(null, null);
        }
    }

    /**
     * The exception for a refused reveal, by the service's {@link ErrorCode} (by the status for a service that sends
     * none): {@link GrantNeededException} where a grant request helps, else the analyst-facing sentence (the
     * service's error texts never hold PII).
     */
    InspectorException refused(int status, ErrorResponse error, Optional<String> retryAfter) {
        ErrorCode code = error.errorCode();
        if (GRANT_NEEDED.contains(code)) {
            return new GrantNeededException(code, "No grant for this reveal: " + text(error) + ".");
        }
        if (code == ErrorCode.NOT_A_READER) {
            return new InspectorException(
                    "Login " + login + " may not reveal (the database refused: it needs the " + "pii_reader role).");
        }
        String prefix = switch (status) {
            case 400, 403 -> "Reveal refused";
            case 401 -> "The reveal service did not accept login " + login + " (wrong password, or the login expired)";
            case 404 -> "Nothing to reveal";
            case 429 ->
                "Too many reveals for now"
                        + retryAfter.map(s -> " (try again in " + s + " s)").orElse("");
            case 503 -> "The reveal service cannot reach the database";
            default -> "The reveal service answered HTTP " + status;
        };
        return new InspectorException(sentence(prefix, error));
    }

    private static String sentence(String prefix, ErrorResponse error) {
        return text(error).isBlank() ? prefix + "." : prefix + ": " + text(error);
    }

    private static String text(ErrorResponse error) {
        return error.error() == null ? "" : error.error();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new InspectorException("The reveal service at " + base + " did not answer in time.");
        } catch (ConnectException e) {
            throw new InspectorException(
                    "Cannot reach the reveal service at " + base + ": is it running, and is the URL right?");
        } catch (IOException e) {
            throw new InspectorException("The connection to the reveal service at " + base + " failed ("
                    + e.getClass().getSimpleName() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectorException("Reveal interrupted.");
        }
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            // deliberately without e's message: it could quote the body
            throw new InspectorException("The reveal service sent an answer that is not JSON.");
        }
    }

    private String basicAuth() {
        CharBuffer chars = CharBuffer.allocate(login.length() + 1 + password.length);
        chars.put(login).put(':').put(password).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        Arrays.fill(chars.array(), '\0');
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        try {
            return "Basic " + Base64.getEncoder().encodeToString(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Wipes the password; the client cannot authenticate afterwards. */
    @Override
    public void close() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "RevealClient[" + base + " as " + login + "]";
    }
}
