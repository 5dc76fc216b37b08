package io.sqspii.pipeline;

import io.sqspii.dataset.Datasets;
import io.sqspii.dataset.DefinitionException;
import io.sqspii.reveal.TrustProbe;
import io.sqspii.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL database the pipeline writes to: schema and roles applied from connect-config/sql (as a
 * deployment does), a login for the JDBC sink that holds only {@code pipeline_writer}, and row counts.
 */
final class PipelineDatabase {

    /** Login of the JDBC sink in the local run: the pipeline_writer role, nothing more. */
    static final String SINK_LOGIN = "sqspii_pipeline";

    private final String url;
    private final String user;
    private final String password;
    /** Appended to every login this class makes: empty in the local run, the database's name in a test class. */
    private final String loginSuffix;

    PipelineDatabase(String url, String user, String password) {
        this(url, user, password, "");
    }

    private PipelineDatabase(String url, String user, String password, String loginSuffix) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.loginSuffix = loginSuffix;
    }

    /**
     * The same database, its sink, reveal service and demo logins named after it ({@code sqspii_pipeline_<database>}):
     * logins are cluster-wide, so two pipelines on one server at once (test classes run in parallel) would otherwise
     * rewrite each other's passwords.
     */
    PipelineDatabase withLoginsOfItsOwn() {
        return new PipelineDatabase(url, user, password, "_" + databaseName());
    }

    /** The pipeline's own database on the local server, so that it never writes into whatever {@code postgres} holds. */
    static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/sqspii";

    /** PG_URL / PG_USER / PG_PASSWORD, defaulting to {@link #DEFAULT_URL} and the superuser. */
    static PipelineDatabase fromEnvironment() {
        String url = envOr("PG_URL", DEFAULT_URL);
        return new PipelineDatabase(url, envOr("PG_USER", "postgres"), System.getenv("PG_PASSWORD"));
    }

    /** The same server and login, another database. */
    PipelineDatabase withDatabase(String name) {
        return new PipelineDatabase(PostgresServer.databaseUrl(url, name), user, password, loginSuffix);
    }

    /** The database name of the URL. */
    String databaseName() {
        String name = PostgresServer.databaseOf(url);
        if (name == null) {
            throw new IllegalStateException("no database name in " + url);
        }
        return name;
    }

    /** Creates the database (from the server's {@code postgres} database) if the server says it does not exist. */
    void createIfMissing() {
        String name = databaseName();
        try {
            PostgresServer.of(withDatabase("postgres").url(), user, password).createIfMissing(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " if missing: " + e.getMessage(), e);
        }
    }

    /** Whether the user set PG_URL (rather than running on {@link #DEFAULT_URL}). */
    static boolean urlFromEnvironment() {
        return !envOr("PG_URL", "").isEmpty();
    }

    /**
     * The logins whose password check decides whether this server may serve reveals: this run's own login
     * (it exists) and postgres (the superuser, a member of every role). The reveal service of --follow probes
     * the same ones.
     */
    List<String> probeLogins() {
        return user.equals("postgres") ? List.of(user) : List.of(user, "postgres");
    }

    /**
     * Whether the server lets one of {@link #probeLogins()} in with a random password (a pg_hba.conf trust line):
     * there, anyone could reveal as anyone. Asked on the server's {@code postgres} database, which exists before
     * this run creates its own (so that a trusting server gets no database of this run); the reveal service asks
     * again on the run's database when it starts.
     */
    boolean letsAnyPasswordIn() {
        String maintenance = withDatabase("postgres").urlWithoutCredentials();
        return probeLogins().stream().anyMatch(login -> TrustProbe.letsAnyPasswordIn(maintenance, login));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    String url() {
        return url;
    }

    /** The login this database is set up with (a superuser: it applies schema, roles and datasets). */
    String user() {
        return user;
    }

    /**
     * This database's URL for a program that logs in with a login of its own (the reveal service, the sink):
     * without the user and password parameters of PG_URL, which pgjdbc would use instead of that login's.
     */
    String urlWithoutCredentials() {
        return PostgresServer.withoutCredentials(url);
    }

    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    /** Applies schema.sql then roles.sql (both idempotent). */
    void applySchema(Path schemaSql, Path rolesSql) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(Files.readString(schemaSql));
            s.execute(Files.readString(rolesSql));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the schema to " + url + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates or refreshes the sink's login with a new random password, member of pipeline_writer only;
     * returns the password.
     */
    String prepareSinkLogin() {
        try {
            return refreshLogin(sinkLogin(), "pipeline_writer");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the sink login on " + url + ": " + e.getMessage(), e);
        }
    }

    /** Login of the reveal service in the local run: records the outcomes of reveals (pii_reveal_service), nothing more. */
    static final String REVEAL_SERVICE_LOGIN = "sqspii_reveal_service";

    /** Creates or refreshes the reveal service's own login with a new random password; returns the password. */
    String prepareRevealServiceLogin() {
        try {
            return refreshLogin(revealServiceLogin(), "pii_reveal_service");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot prepare the reveal service's login on " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The inspector's demo logins, one group role each, so that a reader is not its own auditor nor its own
     * approver: demo_analyst (analyst: ciphertext only), demo_reader (pii_reader: requests grants, reveals through the
     * reveal service), demo_approver (pii_approver: decides grant requests), demo_auditor (pii_auditor: reads the
     * audit), demo_eraser (pii_eraser: erases a data subject). Fresh random passwords; returns login to password.
     * Also the {@link #prepareDemoPurposes demo purposes}.
     */
    Map<String, String> prepareDemoLogins() {
        Map<String, String> passwords = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : demoLogins().entrySet()) {
                passwords.put(e.getKey(), refreshLogin(e.getKey(), e.getValue()));
            }
            prepareDemoPurposes();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the demo logins on " + url + ": " + e.getMessage(), e);
        }
        return passwords;
    }

    /** Demo login to its one group role, in the order the run prints them. */
    private static final List<Map.Entry<String, String>> DEMO_LOGINS = List.of(
            Map.entry("demo_analyst", "analyst"),
            Map.entry("demo_reader", "pii_reader"),
            Map.entry("demo_approver", "pii_approver"),
            Map.entry("demo_auditor", "pii_auditor"),
            Map.entry("demo_eraser", "pii_eraser"));

    /** The sink's login on this database. */
    String sinkLogin() {
        return SINK_LOGIN + loginSuffix;
    }

    /** The reveal service's login on this database. */
    String revealServiceLogin() {
        return REVEAL_SERVICE_LOGIN + loginSuffix;
    }

    /** This database's demo logins, each to its one group role. */
    Map<String, String> demoLogins() {
        Map<String, String> m = new LinkedHashMap<>();
        DEMO_LOGINS.forEach(e -> m.put(e.getKey() + loginSuffix, e.getValue()));
        return Collections.unmodifiableMap(m);
    }

    /** The demo login of {@code role} on this database. */
    String demoLogin(String role) {
        return demoLogins().entrySet().stream()
                .filter(e -> e.getValue().equals(role))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo login is a " + role));
    }

    /** Every login this class makes on this database (the sink's, the reveal service's, the demo logins). */
    List<String> logins() {
        List<String> all = new ArrayList<>(List.of(sinkLogin(), revealServiceLogin()));
        all.addAll(demoLogins().keySet());
        return all;
    }

    private static final List<String> GROUP_ROLES = List.of(
            "pipeline_writer",
            "analyst",
            "pii_reader",
            "pii_auditor",
            "pii_reveal_service",
            "pii_reencryptor",
            "pii_approver",
            "pii_admin",
            "pii_eraser");

    /** A purpose that needs an approver, and one that does not (a small budget for quick checks). */
    static final String DEMO_PURPOSE = "support-case";

    static final String DEMO_PURPOSE_NO_APPROVAL = "spot-check";

    /**
     * The demo's purposes, defined once (as pii_admin would, through pii_define_purpose: chained in the audit):
     * support-case (every PII column, 50 cells, up to 8 hours, needs an approver) and spot-check (every PII column,
     * 5 cells, up to an hour, no approver).
     */
    void prepareDemoPurposes() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM public.pii_purposes WHERE code = '" + DEMO_PURPOSE
                    + "') THEN "
                    + "PERFORM public.pii_define_purpose('" + DEMO_PURPOSE
                    + "', 'Answer a customer''s support ticket', "
                    + "ARRAY['*'], 50, interval '8 hours', true); END IF; "
                    + "IF NOT EXISTS (SELECT FROM public.pii_purposes WHERE code = '" + DEMO_PURPOSE_NO_APPROVAL
                    + "') THEN "
                    + "PERFORM public.pii_define_purpose('" + DEMO_PURPOSE_NO_APPROVAL
                    + "', 'A quick check of a few values', "
                    + "ARRAY['*'], 5, interval '1 hour', false); END IF; END $$");
        }
    }

    /** Creates the login if needed, sets a new random password, makes it a member of {@code role} and no other group. */
    private String refreshLogin(String login, String role) throws SQLException {
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + login + "') THEN "
                    + "CREATE ROLE " + login + " LOGIN; END IF; END $$");
            // The secret is hex: nothing to escape.
            s.execute("ALTER ROLE " + login + " LOGIN PASSWORD '" + secret + "'");
            for (String other : GROUP_ROLES) {
                if (!other.equals(role)) {
                    s.execute("DO $$ BEGIN IF pg_has_role('" + login + "', '" + other + "', 'MEMBER') THEN " + "REVOKE "
                            + other + " FROM " + login + "; END IF; END $$");
                }
            }
            s.execute("GRANT " + role + " TO " + login);
        }
        return secret;
    }

    /** The URL the JDBC sink uses: this database, with batched inserts rewritten into multi-row INSERTs. */
    String sinkUrl() {
        String own = urlWithoutCredentials();
        if (own.contains("reWriteBatchedInserts")) {
            return own;
        }
        return own + (own.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    long count(String table) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM public.\"" + table + "\"")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table + ": " + e.getMessage(), e);
        }
    }

    /** Rows of the datasets' valid and rejected tables, summed. */
    Counts counts(List<RunDataset> datasets) {
        long rows = 0;
        long rejected = 0;
        for (RunDataset d : datasets) {
            rows += count(d.table());
            rejected += count(d.rejectedTable());
        }
        return new Counts(rows, rejected);
    }

    /**
     * Applies a dataset definition as {@code dataset apply} does: its tables, grants, kept-ciphertext triggers and PII
     * catalog rows, in one transaction; nothing to change on a second run.
     */
    void applyDataset(RunDataset dataset) {
        try {
            applyChange(dataset);
        } catch (Datasets.RefusedException e) {
            throw new IllegalStateException(
                    "dataset " + dataset.name() + " cannot be applied to " + url + ":\n" + e.getMessage(), e);
        }
    }

    /** Applies {@code dataset}'s definition (or its change) in one transaction; returns the plan. */
    String applyChange(RunDataset dataset) throws Datasets.RefusedException {
        try (Connection c = connect()) {
            return Datasets.apply(c, dataset.folder());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot apply dataset " + dataset.name() + " to " + url + ": " + e.getMessage(), e);
        } catch (DefinitionException e) {
            throw new IllegalStateException(
                    "dataset " + dataset.name() + " cannot be applied to " + url + ":\n" + e.getMessage(), e);
        }
    }

    /** Rows in the valid and rejected tables of the pipeline. */
    record Counts(long rows, long rejected) {
        long total() {
            return rows + rejected;
        }

        Counts minus(Counts baseline) {
            return new Counts(rows - baseline.rows, rejected - baseline.rejected);
        }
    }
}
