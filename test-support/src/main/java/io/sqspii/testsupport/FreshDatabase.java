package io.sqspii.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database of its own for a test class (from {@link PostgresServer#freshDatabase}), with a superuser connection
 * open until {@link #close()}, which drops the database and the logins made by {@link #createLogin}: tests never see
 * each other's rows, roles nor those of a local run.
 */
public final class FreshDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private final String url;
    private final List<String> logins = new ArrayList<>();
    private final Connection admin;

    FreshDatabase(PostgresServer server, String name) throws SQLException {
        this.server = server;
        this.name = name;
        this.url = server.url(name);
        this.admin = server.connect(name);
    }

    public PostgresServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database: the server's URL, query parameters included, with this database. */
    public String url() {
        return url;
    }

    /** The superuser's connection to this database (autocommit), open until {@link #close()}. */
    public Connection admin() {
        return admin;
    }

    /** A new superuser connection to this database. */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** A new connection to this database as {@code login}. */
    public Connection connectAs(String login, String password) throws SQLException {
        return PostgresServer.connect(PostgresServer.withoutCredentials(url), login, password, "");
    }

    /** Runs {@code sql} (one or more statements) on {@link #admin()}. */
    public void execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    /** connect-config/sql/schema.sql then roles.sql, as a deployment (and the local pipeline) applies them. */
    public FreshDatabase applySchema() throws SQLException {
        execute(read(sqlFile("schema.sql")));
        execute(read(sqlFile("roles.sql")));
        return this;
    }

    /** connect-config/sql/{@code file} of this repository (found from the working directory up). */
    public static Path sqlFile(String file) {
        return Repository.file("connect-config/sql/" + file);
    }

    /** The `dataset` command line: runs {@code args}, writes its output and errors to {@code out}, returns its exit code. */
    @FunctionalInterface
    public interface DatasetCommand {
        int execute(PrintWriter out, String... args);
    }

    /**
     * `dataset apply FOLDER` as the superuser (its password in a file, as an operator passes it): the dataset's
     * tables, grants and PII catalog rows. Throws with the command's output if it does not exit 0.
     */
    public void applyDataset(Path folder, DatasetCommand dataset) {
        List<String> args = new ArrayList<>(List.of(
                "apply",
                folder.toString(),
                "--db-url",
                PostgresServer.withoutCredentials(url),
                "--db-user",
                server.user()));
        Path passwordFile = null;
        StringWriter out = new StringWriter();
        int rc;
        try {
            String password = server.password();
            if (password != null && !password.isEmpty()) {
                passwordFile = Files.createTempFile("fresh-database", ".pw");
                Files.writeString(passwordFile, password);
                args.addAll(List.of("--db-password-file", passwordFile.toString()));
            }
            try (PrintWriter w = new PrintWriter(out)) {
                rc = dataset.execute(w, args.toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (passwordFile != null) {
                passwordFile.toFile().delete();
            }
        }
        if (rc != 0) {
            throw new IllegalStateException("dataset apply " + folder + " exited " + rc + ":\n" + out);
        }
    }

    /**
     * Creates a LOGIN role named after this database (roles are cluster-wide: no other test class has it), member of
     * {@code groups}, with {@code password} (null: none); {@link #close()} drops it.
     */
    public String createLogin(String password, String... groups) throws SQLException {
        String login = name + "_" + (groups.length == 0 ? "nobody" : String.join("_", groups)) + logins.size();
        execute("CREATE ROLE " + login + " LOGIN"
                + (password == null ? "" : " PASSWORD '" + password.replace("'", "''") + "'")
                + (groups.length == 0 ? "" : " IN ROLE " + String.join(", ", groups)));
        logins.add(login);
        return login;
    }

    /**
     * Has {@link #close()} drop {@code login} too: a login a program under test made for this database (named after
     * it, so that no other test class has it).
     */
    public void dropOnClose(String login) {
        logins.add(login);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            admin.close();
        } finally {
            server.drop(name, logins);
        }
    }
}
