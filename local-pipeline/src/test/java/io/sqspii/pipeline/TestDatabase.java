package io.sqspii.pipeline;

import io.sqspii.testsupport.FreshDatabase;
import io.sqspii.testsupport.PostgresServer;
import java.sql.SQLException;

/**
 * A {@link FreshDatabase} per test class on the tests' PostgreSQL server ({@link PostgresServer#fromEnvironment()}:
 * PG_URL, PG_USER, PG_PASSWORD) or, with {@link #createCheckingPasswords()}, on this JVM's password-checking cluster
 * (the reveal service refuses a server that trusts logins), dropped afterwards with the logins the pipeline made on
 * it, which are named after it: tests never see each other's rows, logins nor passwords, nor those of a local run.
 */
final class TestDatabase implements AutoCloseable {

    private final FreshDatabase fresh;
    private final PipelineDatabase database;

    private TestDatabase(FreshDatabase fresh, PipelineDatabase database) {
        this.fresh = fresh;
        this.database = database;
    }

    static TestDatabase create() {
        return on(PostgresServer.fromEnvironment());
    }

    /** On this JVM's password-checking cluster, as its superuser: for the tests that start the reveal service. */
    static TestDatabase createCheckingPasswords() {
        return on(PostgresServer.checkingPasswords());
    }

    private static TestDatabase on(PostgresServer server) {
        try {
            FreshDatabase fresh = server.freshDatabase("sqspii_e2e");
            PipelineDatabase database =
                    new PipelineDatabase(fresh.url(), server.user(), server.password()).withLoginsOfItsOwn();
            database.logins().forEach(fresh::dropOnClose);
            return new TestDatabase(fresh, database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
    }

    PipelineDatabase database() {
        return database;
    }

    @Override
    public void close() throws SQLException {
        fresh.close();
    }
}
