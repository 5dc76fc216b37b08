package io.sqspii.pipeline;

import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database per test class on the PostgreSQL server of PG_URL (default localhost:5432) or, with
 * {@link #createCheckingPasswords()}, on this JVM's {@link PasswordCheckingPostgres} (the reveal service refuses
 * a server that trusts logins), dropped afterwards: tests never see each other's rows, nor those of a local run.
 */
final class TestDatabase implements AutoCloseable {

  private final PipelineDatabase admin;
  private final String name;
  private final PipelineDatabase database;

  private TestDatabase(PipelineDatabase admin, String name, PipelineDatabase database) {
    this.admin = admin;
    this.name = name;
    this.database = database;
  }

  static TestDatabase create() {
    return on(PipelineDatabase.fromEnvironment().withDatabase("postgres"));
  }

  /** On this JVM's password-checking cluster, as its superuser: for the tests that start the reveal service. */
  static TestDatabase createCheckingPasswords() {
    PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
    return on(new PipelineDatabase(pg.url(), pg.superuser(), pg.password()));
  }

  private static TestDatabase on(PipelineDatabase admin) {
    String name = "sqspii_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
    try (Connection c = admin.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + admin.url(), e);
    }
    return new TestDatabase(admin, name, admin.withDatabase(name));
  }

  PipelineDatabase database() {
    return database;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = admin.connect(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
