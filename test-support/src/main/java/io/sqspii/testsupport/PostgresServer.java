package io.sqspii.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A PostgreSQL server and the superuser login the tests (and the local pipeline) set databases up with; the one
 * place that creates and drops databases. {@link #fromEnvironment()} is the tests' configuration: PG_URL, PG_USER,
 * PG_PASSWORD.
 */
public final class PostgresServer {

    /** The server when PG_URL is not set: the usual development and CI server. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String url;
    private final String user;
    private final String password;
    /** What chose url, user and password, for the message of a failed connection; empty if the caller did. */
    private final String source;

    private PostgresServer(String url, String user, String password, String source) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.source = source;
    }

    /**
     * Environment variables PG_URL (default {@link #DEFAULT_URL}), PG_USER (postgres) and PG_PASSWORD (none); a JVM
     * system property of the same name, if set, wins.
     */
    public static PostgresServer fromEnvironment() {
        return new PostgresServer(
                setting("PG_URL", DEFAULT_URL),
                setting("PG_USER", "postgres"),
                setting("PG_PASSWORD", ""),
                " (the server and login of PG_URL, PG_USER, PG_PASSWORD)");
    }

    /** This JVM's {@link PasswordCheckingPostgres} (started on first use), as its superuser. */
    public static PostgresServer checkingPasswords() {
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        return new PostgresServer(
                pg.url(), pg.superuser(), pg.password(), " (this JVM's password-checking PostgreSQL)");
    }

    /** {@code url}: of any database of the server (it is only a way in); a null or empty password sends none. */
    public static PostgresServer of(String url, String user, String password) {
        return new PostgresServer(url, user, password, "");
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The URL this server was configured with. */
    public String url() {
        return url;
    }

    /** The JDBC URL of {@code database} on this server: the configured URL with its database replaced. */
    public String url(String database) {
        return databaseUrl(url, database);
    }

    /** {@code url} with its database (the last path segment) replaced by {@code database}; query parameters kept. */
    public static String databaseUrl(String url, String database) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        int hosts = path.indexOf("//");
        int slash = path.indexOf('/', hosts < 0 ? 0 : hosts + 2);
        return (slash < 0 ? path : path.substring(0, slash)) + "/" + database + (query < 0 ? "" : url.substring(query));
    }

    /** The database a JDBC URL names; null if it names none. */
    public static String databaseOf(String url) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        int hosts = path.indexOf("//");
        int slash = path.indexOf('/', hosts < 0 ? 0 : hosts + 2);
        return slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
    }

    public String user() {
        return user;
    }

    /** The superuser's password; empty or null if none. */
    public String password() {
        return password;
    }

    /** A superuser connection to the configured URL's database. */
    public Connection connect() throws SQLException {
        return connect(url, user, password, source);
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        return connect(url(database), user, password, source);
    }

    /**
     * A connection as {@code login}; a failure says where (never the URL's query, which may hold a password), as
     * whom and what chose those, and keeps the server's SQLState.
     */
    static Connection connect(String url, String login, String password, String source) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", login);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            int query = url.indexOf('?');
            throw new SQLException(
                    "cannot connect to " + (query < 0 ? url : url.substring(0, query)) + " as " + login + source + ": "
                            + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }

    /**
     * {@code url} without its user and password parameters, for a program that logs in with a login of its own
     * (pgjdbc would use the URL's instead) or refuses credentials in a URL (`dataset apply --db-url`).
     */
    public static String withoutCredentials(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String param : url.substring(q + 1).split("&")) {
            String name = param.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (!param.isEmpty() && !name.equals("user") && !name.equals("password")) {
                kept.add(param);
            }
        }
        return url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
    }

    /**
     * Creates a database named {@code prefix} and a unique suffix; {@link FreshDatabase#close()} drops it and the
     * logins made through it.
     */
    public FreshDatabase freshDatabase(String prefix) throws SQLException {
        String suffix =
                UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        String name = prefix + "_" + suffix;
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name));
        }
        try {
            return new FreshDatabase(this, name);
        } catch (SQLException | RuntimeException e) {
            drop(name, List.of());
            throw e;
        }
    }

    /**
     * Creates {@code database} unless it exists (a database another process creates at the same time is fine too);
     * for a program's own database, which stays.
     */
    public void createIfMissing(String database) throws SQLException {
        try (Connection ignored = connect(database)) {
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) { // invalid_catalog_name: the database does not exist
                throw e;
            }
        }
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(database));
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created meanwhile
                throw e;
            }
        }
    }

    /** Drops {@code database} (closing its sessions) and then the roles. */
    void drop(String database, Iterable<String> roles) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
            for (String role : roles) {
                s.execute("DROP ROLE IF EXISTS " + quote(role));
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
