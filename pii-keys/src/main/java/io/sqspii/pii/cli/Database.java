package io.sqspii.pii.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The PostgreSQL database of the commands that read or rewrite stored ciphertexts. */
final class Database {
    /** The password never goes on the command line (visible in ps): it comes from the environment, as for psql. */
    static final String PASSWORD_ENV = "PGPASSWORD";

    @Option(
            names = "--db-url",
            required = true,
            paramLabel = "JDBC_URL",
            description =
                    "jdbc:postgresql://host:5432/db (password from the environment variable " + PASSWORD_ENV + ").")
    String url;

    @Option(
            names = "--db-user",
            paramLabel = "USER",
            description = "Login (default: the URL's user, else the OS user).")
    String user;

    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        String password = System.getenv(PASSWORD_ENV);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "pii-keys");
        return DriverManager.getConnection(url, p);
    }
}
