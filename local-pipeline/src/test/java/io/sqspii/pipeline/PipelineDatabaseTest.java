package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pipeline's database on the local PostgreSQL server: its own by default, created when missing. */
class PipelineDatabaseTest {

    @Test
    void defaultIsThePipelinesOwnDatabase() {
        assertThat(new PipelineDatabase(PipelineDatabase.DEFAULT_URL, "postgres", null).databaseName())
                .isEqualTo("sqspii");
        PipelineDatabase withQuery =
                new PipelineDatabase("jdbc:postgresql://db.example:5433/logins?ssl=true", "u", null);
        assertThat(withQuery.databaseName()).isEqualTo("logins");
        assertThat(withQuery.withDatabase("other").url()).isEqualTo("jdbc:postgresql://db.example:5433/other?ssl=true");
    }

    @Test
    void createsAMissingDatabaseOnceAndKeepsAnExistingOne() throws SQLException {
        PipelineDatabase admin = PipelineDatabase.fromEnvironment().withDatabase("postgres");
        String name = "sqspii_create_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        PipelineDatabase missing = admin.withDatabase(name);
        try {
            assertThat(exists(admin, name)).isFalse();
            missing.createIfMissing();
            assertThat(exists(admin, name)).isTrue();
            try (Connection c = missing.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int)");
            }
            missing.createIfMissing();
            try (Connection c = missing.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
            }
        } finally {
            try (Connection c = admin.connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static boolean exists(PipelineDatabase admin, String name) throws SQLException {
        try (Connection c = admin.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            return rs.next();
        }
    }
}
