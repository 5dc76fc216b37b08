package io.sqspii.reveal;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reveal service's settings, read from a properties file. Every key is in {@link #DOCS} (the module
 * README documents exactly these); unknown keys are refused so that a typo does not silently weaken a
 * setting. Values are checked here, before anything listens or connects.
 */
public final class RevealConfig {

    static final String LISTEN_HOST = "listen.host";
    static final String LISTEN_PORT = "listen.port";
    static final String TLS_KEYSTORE_FILE = "tls.keystore.file";
    static final String TLS_KEYSTORE_PASSWORD = "tls.keystore.password";
    static final String DB_URL = "db.url";
    static final String DB_SERVICE_USER = "db.service.user";
    static final String DB_SERVICE_PASSWORD = "db.service.password";
    static final String DB_SERVICE_PASSWORD_FILE = "db.service.password.file";
    /** One key per keyset: keyset.NAME.file, NAME as the PII catalog names it (pii_columns.keyset). */
    static final String KEYSET_FILE = "keyset.<name>.file";

    private static final Pattern KEYSET_FILE_KEY = Pattern.compile("keyset\\.([a-z][a-z0-9_]{0,62})\\.file");
    static final String KEYSET_KMS_KEY_URI = "keyset.kms.key.uri";
    static final String KEYSET_KMS_ENDPOINT = "keyset.kms.endpoint";
    static final String KEYSET_ALLOW_CLEARTEXT = "keyset.allow.cleartext";
    static final String RATE_LIMIT = "rate.limit.cells.per.minute";
    static final String MAX_CELLS = "max.cells.per.request";
    static final String AUTH_FAILURES = "auth.failures.per.minute";
    static final String AUTH_FAILURES_PER_ADDRESS = "auth.failures.per.minute.per.address";
    static final String AUTH_FAILURES_GLOBAL = "auth.failures.per.minute.global";
    static final String HTTP_ALLOWED_HOSTS = "http.allowed.hosts";
    static final String DB_AUTH_PROBE_USERS = "db.auth.probe.users";

    /** Every key with its documentation (default, meaning). */
    static final Map<String, String> DOCS = docs();

    private static Map<String, String> docs() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(
                LISTEN_HOST,
                "Address to listen on (default 127.0.0.1). Anything but a loopback address needs TLS: "
                        + "the service refuses to start without tls.keystore.file.");
        d.put(LISTEN_PORT, "TCP port (default 8089); 0 picks a free port (printed at start).");
        d.put(
                TLS_KEYSTORE_FILE,
                "PKCS12 keystore with the server's key and certificate chain. When set, the service "
                        + "speaks HTTPS only (TLS 1.3 and 1.2).");
        d.put(TLS_KEYSTORE_PASSWORD, "Password of the PKCS12 keystore (required with tls.keystore.file).");
        d.put(
                DB_URL,
                "JDBC URL of the PostgreSQL database holding the datasets' tables, the PII catalog and pii_access_log, without user or "
                        + "password: every request connects as the analyst's own login. A host other than localhost or a "
                        + "loopback address needs sslmode=verify-full (analysts' passwords go to whatever answers there). "
                        + "Logged without its parameters.");
        d.put(
                DB_AUTH_PROBE_USERS,
                "Comma-separated logins (default postgres) the service tries at start-up with a "
                        + "random password: unless PostgreSQL refuses each with 28P01 (password authentication failed), the "
                        + "service does not start (a pg_hba trust line would let anyone in). Name logins that exist.");
        d.put(
                DB_SERVICE_USER,
                "The service's own PostgreSQL login (member of pii_reveal_service only), required. Only it "
                        + "records whether a reveal was decrypted (pii_reveal_outcome): readers cannot settle their own audit rows.");
        d.put(
                DB_SERVICE_PASSWORD,
                "Password of db.service.user. Prefer db.service.password.file; exactly one of the two "
                        + "(or neither, where pg_hba.conf authenticates the login otherwise).");
        d.put(
                DB_SERVICE_PASSWORD_FILE,
                "File holding the password of db.service.user (a mounted secret; one trailing "
                        + "newline is ignored).");
        d.put(
                KEYSET_FILE,
                "Tink keyset file of the keyset the PII catalog names NAME (pii_columns.keyset; by default "
                        + "deterministic, randomized, hmac), e.g. keyset.deterministic.file. At least one; each keyset's mode is "
                        + "its key type (AES256_SIV, AES256_GCM, HMAC), which must be the mode the catalog records for it.");
        d.put(
                KEYSET_KMS_KEY_URI,
                "aws-kms://arn:aws:kms:... key that encrypts every keyset file (envelope), each "
                        + "wrapped for the purpose of its key type (encryption context purpose=pii-deterministic / pii-randomized "
                        + "/ pii-hmac). When unset the files are clear-text keysets, allowed only with keyset.allow.cleartext=true.");
        d.put(KEYSET_KMS_ENDPOINT, "KMS endpoint URL instead of the region's default (a VPC endpoint). Optional.");
        d.put(KEYSET_ALLOW_CLEARTEXT, "true to load clear-text keysets (development and tests only; default false).");
        d.put(
                RATE_LIMIT,
                "Cells one login may reveal per minute (default 60; a token bucket, so a burst of this size "
                        + "is allowed); beyond it 429 with Retry-After.");
        d.put(MAX_CELLS, "Most cells in one request (default 20; at most rate.limit.cells.per.minute); beyond it 400.");
        d.put(
                AUTH_FAILURES,
                "Failed logins per minute for one login from one client address before the service "
                        + "answers 429 without asking the database (default 10): slows password guessing, and cannot lock the "
                        + "login out from other addresses.");
        d.put(
                AUTH_FAILURES_PER_ADDRESS,
                "Failed logins per minute from one client address, whatever the login " + "(default 30).");
        d.put(
                AUTH_FAILURES_GLOBAL,
                "Failed logins per minute from all client addresses that failed lately, together "
                        + "(default 300); an address without a recent failure is never refused by it.");
        d.put(
                HTTP_ALLOWED_HOSTS,
                "Comma-separated host names the Host header may name, besides localhost and any IP "
                        + "address (default none): other names are refused with 421, so a DNS-rebinding web page cannot "
                        + "reach the service. Add the name clients use (reveal.example.com).");
        return Map.copyOf(d);
    }

    private final String listenHost;
    private final int listenPort;
    private final Path tlsKeystoreFile;
    private final char[] tlsKeystorePassword;
    private final String dbUrl;
    private final String dbServiceUser;
    private final String dbServicePassword;
    private final Map<String, Path> keysets;
    private final String kmsKeyUri;
    private final URI kmsEndpoint;
    private final boolean allowCleartext;
    private final int rateLimitCellsPerMinute;
    private final int maxCellsPerRequest;
    private final int authFailuresPerMinute;
    private final int authFailuresPerMinutePerAddress;
    private final int authFailuresPerMinuteGlobal;
    private final Set<String> allowedHosts;
    private final List<String> probeUsers;

    private RevealConfig(Properties p) {
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(DOCS.keySet());
        unknown.removeIf(k -> KEYSET_FILE_KEY.matcher(k).matches());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown setting(s) " + unknown + "; known: " + new TreeSet<>(DOCS.keySet()));
        }
        listenHost = text(p, LISTEN_HOST, "127.0.0.1");
        listenPort = integer(p, LISTEN_PORT, 8089, 0, 65535);
        String keystore = text(p, TLS_KEYSTORE_FILE, null);
        tlsKeystoreFile = keystore == null ? null : Path.of(keystore);
        String ksPassword = p.getProperty(TLS_KEYSTORE_PASSWORD);
        if (tlsKeystoreFile != null && ksPassword == null) {
            throw new IllegalArgumentException(TLS_KEYSTORE_PASSWORD + " is required with " + TLS_KEYSTORE_FILE);
        }
        tlsKeystorePassword = ksPassword == null ? null : ksPassword.toCharArray();
        dbUrl = text(p, DB_URL, null);
        checkDbUrl(dbUrl);
        Map<String, Path> k = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            Matcher m = KEYSET_FILE_KEY.matcher(key);
            Path file = m.matches() ? path(p, key) : null;
            if (file != null) {
                k.put(m.group(1), file);
            }
        }
        if (k.isEmpty()) {
            throw new IllegalArgumentException("no keyset: set " + KEYSET_FILE
                    + " for the keysets the PII catalog names, " + "e.g. keyset.deterministic.file");
        }
        keysets = Collections.unmodifiableMap(k);
        kmsKeyUri = text(p, KEYSET_KMS_KEY_URI, null);
        String endpoint = text(p, KEYSET_KMS_ENDPOINT, null);
        try {
            kmsEndpoint = endpoint == null ? null : new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(KEYSET_KMS_ENDPOINT + " is not a URL");
        }
        allowCleartext = bool(p, KEYSET_ALLOW_CLEARTEXT);
        if (kmsKeyUri == null && !allowCleartext) {
            throw new IllegalArgumentException("the keysets are clear-text files (no " + KEYSET_KMS_KEY_URI + "): set "
                    + KEYSET_KMS_KEY_URI + ", or " + KEYSET_ALLOW_CLEARTEXT + "=true for development only");
        }
        dbServiceUser = text(p, DB_SERVICE_USER, null);
        if (dbServiceUser == null) {
            throw new IllegalArgumentException(DB_SERVICE_USER + " is required: the service's own login (member of "
                    + "pii_reveal_service), which records the outcome of each reveal");
        }
        dbServicePassword = servicePassword(p);
        rateLimitCellsPerMinute = integer(p, RATE_LIMIT, 60, 1, 1_000_000);
        maxCellsPerRequest = integer(p, MAX_CELLS, 20, 1, 1000);
        if (maxCellsPerRequest > rateLimitCellsPerMinute) {
            throw new IllegalArgumentException(MAX_CELLS + " (" + maxCellsPerRequest + ") exceeds " + RATE_LIMIT + " ("
                    + rateLimitCellsPerMinute + "): such a request could never pass");
        }
        authFailuresPerMinute = integer(p, AUTH_FAILURES, 10, 1, 1_000_000);
        authFailuresPerMinutePerAddress = integer(p, AUTH_FAILURES_PER_ADDRESS, 30, 1, 1_000_000);
        authFailuresPerMinuteGlobal = integer(p, AUTH_FAILURES_GLOBAL, 300, 1, 1_000_000);
        allowedHosts = Set.copyOf(list(p, HTTP_ALLOWED_HOSTS, "").stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .toList());
        probeUsers = list(p, DB_AUTH_PROBE_USERS, "postgres");
        if (probeUsers.isEmpty()) {
            throw new IllegalArgumentException(DB_AUTH_PROBE_USERS + " needs at least one login");
        }
    }

    /** Settings from properties (see {@link #DOCS}); IllegalArgumentException names the wrong key. */
    public static RevealConfig from(Properties properties) {
        return new RevealConfig(properties);
    }

    /** Settings from a properties file (UTF-8). */
    public static RevealConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the config file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return from(p);
    }

    /**
     * The service authenticates every request as its own login: a URL carrying credentials would override them.
     * Each analyst's password goes to the server at this URL, so off this machine it must prove who it is. The
     * driver's own parser decides the hosts; messages never quote the URL (it may hold an sslpassword).
     */
    private static void checkDbUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException(DB_URL + " is required (jdbc:postgresql://host:5432/database)");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(DB_URL + " must be a jdbc:postgresql: URL");
        }
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        if (parsed == null) {
            throw new IllegalArgumentException(DB_URL + " is not a JDBC URL the PostgreSQL driver accepts");
        }
        boolean loopback =
                Arrays.stream(parsed.getProperty("PGHOST", "").split(",")).allMatch(Hosts::isLoopback);
        if (!loopback && !"verify-full".equalsIgnoreCase(parsed.getProperty("sslmode"))) {
            throw new IllegalArgumentException(
                    DB_URL + " names a host that is not loopback: it needs sslmode=verify-full "
                            + "(and sslrootcert=... for a private CA), or analysts' passwords go to whoever answers at that address");
        }
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String param : url.substring(q + 1).split("&")) {
                String name = param.split("=", 2)[0].toLowerCase(Locale.ROOT);
                if (name.equals("user") || name.equals("password")) {
                    throw new IllegalArgumentException(DB_URL + " must not carry '" + name
                            + "': each request connects as the analyst's own login");
                }
            }
        }
    }

    private static String servicePassword(Properties p) {
        String plain = p.getProperty(DB_SERVICE_PASSWORD);
        Path file = path(p, DB_SERVICE_PASSWORD_FILE);
        if (plain != null && file != null) {
            throw new IllegalArgumentException(
                    "set " + DB_SERVICE_PASSWORD + " or " + DB_SERVICE_PASSWORD_FILE + ", not both");
        }
        if (file == null) {
            return plain;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n\\z", "");
        } catch (IOException e) {
            // never the content: only the file and why it cannot be read
            throw new IllegalArgumentException("cannot read " + DB_SERVICE_PASSWORD_FILE + " " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String text(Properties p, String key, String fallback) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static List<String> list(Properties p, String key, String fallback) {
        return Arrays.stream(text(p, key, fallback).split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private static Path path(Properties p, String key) {
        String v = text(p, key, null);
        return v == null ? null : Path.of(v);
    }

    private static boolean bool(Properties p, String key) {
        String v = text(p, key, "false").toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
        }
        return v.equals("true");
    }

    private static int integer(Properties p, String key, int fallback, int min, int max) {
        String v = text(p, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + v + "'");
        }
    }

    String listenHost() {
        return listenHost;
    }

    int listenPort() {
        return listenPort;
    }

    Path tlsKeystoreFile() {
        return tlsKeystoreFile;
    }

    char[] tlsKeystorePassword() {
        return tlsKeystorePassword == null ? null : tlsKeystorePassword.clone();
    }

    String dbUrl() {
        return dbUrl;
    }

    /** db.url for the log: its parameters (sslpassword=..., sslkey=...) replaced by "?...". */
    String dbUrlForLog() {
        int q = dbUrl.indexOf('?');
        return q < 0 ? dbUrl : dbUrl.substring(0, q) + "?...";
    }

    List<String> probeUsers() {
        return probeUsers;
    }

    Set<String> allowedHosts() {
        return allowedHosts;
    }

    int authFailuresPerMinutePerAddress() {
        return authFailuresPerMinutePerAddress;
    }

    int authFailuresPerMinuteGlobal() {
        return authFailuresPerMinuteGlobal;
    }

    String dbServiceUser() {
        return dbServiceUser;
    }

    /** Null when the login authenticates without a password. */
    String dbServicePassword() {
        return dbServicePassword;
    }

    /** Keyset file by keyset name, sorted by name. */
    Map<String, Path> keysets() {
        return keysets;
    }

    String kmsKeyUri() {
        return kmsKeyUri;
    }

    URI kmsEndpoint() {
        return kmsEndpoint;
    }

    boolean allowCleartext() {
        return allowCleartext;
    }

    int rateLimitCellsPerMinute() {
        return rateLimitCellsPerMinute;
    }

    int maxCellsPerRequest() {
        return maxCellsPerRequest;
    }

    int authFailuresPerMinute() {
        return authFailuresPerMinute;
    }
}
