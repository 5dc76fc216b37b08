package io.sqspii.pipeline;

import io.sqspii.testsupport.PasswordCheckingPostgres;
import java.io.PrintStream;

/**
 * The database of a --follow run. Its reveal service authenticates people only through PostgreSQL's password
 * check, so it refuses a server that lets a random password in, and the usual development server
 * (localhost:5432, as on CI) trusts loopback. On such a server the whole run (sinks, demo logins, reveal
 * service) moves to a private password-checking PostgreSQL of its own, as it already brings its own SQS and
 * Kafka. A PG_URL the user set explicitly is not replaced: the run stops and says how to go on, because its
 * rows would otherwise land somewhere the user does not look.
 */
final class FollowDatabase {

    private FollowDatabase() {}

    /**
     * {@code configured} if its server checks passwords; else, when {@code urlGiven} is false, a database of the
     * same name on this JVM's {@link PasswordCheckingPostgres} (stopped, with its data, when the run ends), with
     * why and its URL printed; when {@code urlGiven} is true, IllegalStateException.
     */
    static PipelineDatabase choose(PipelineDatabase configured, boolean urlGiven, PrintStream out) {
        if (!configured.letsAnyPasswordIn()) {
            return configured;
        }
        if (urlGiven) {
            // PG_URL is not quoted: it may carry a password.
            throw new IllegalStateException("the PostgreSQL of PG_URL lets a random password in (a pg_hba.conf trust "
                    + "line for this address), so the reveal service of --follow would reveal to anyone who names a login. "
                    + "Either use scram-sha-256 for this address in pg_hba.conf, or unset PG_URL: --follow then runs on a "
                    + "private PostgreSQL of its own that checks passwords");
        }
        PasswordCheckingPostgres pg = PasswordCheckingPostgres.shared();
        PipelineDatabase own = new PipelineDatabase(pg.url(configured.databaseName()), pg.superuser(), pg.password());
        out.println("--follow: the PostgreSQL at " + configured.url() + " trusts loopback logins (pg_hba.conf trust), "
                + "so reveals there would be unauthenticated; this run uses a private PostgreSQL that checks passwords "
                + "instead (its data goes when the run stops).");
        out.println("--follow: inspector database URL " + own.url());
        return own;
    }
}
