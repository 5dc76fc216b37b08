package io.sqspii.reveal;

import io.sqspii.reveal.api.ErrorCode;
import java.net.InetAddress;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one way a request reaches the database as a person's login, shared by every endpoint that does: a failed-login
 * allowance is taken first (per login and address, per address, across failing addresses), then one of
 * {@link RevealServer#REVEALS_AT_ONCE} connections; a 401 from PostgreSQL spends the allowance. The caller closes the
 * connection and then calls {@link #release()}.
 */
final class LoginGate {
    private final RevealDatabase database;
    private final LoginThrottle logins;
    /** Database connections at once; the other request threads stay free for /health and for reading requests. */
    private final Semaphore connections = new Semaphore(RevealServer.REVEALS_AT_ONCE, true);

    LoginGate(RevealDatabase database, RevealConfig config) {
        this.database = database;
        this.logins = new LoginThrottle(
                config.authFailuresPerMinute(),
                config.authFailuresPerMinutePerAddress(),
                config.authFailuresPerMinuteGlobal());
    }

    /** A connection as {@code credentials}' login; on success the caller owes one {@link #release()}. */
    Connection open(Credentials credentials, InetAddress client) {
        try (LoginThrottle.Attempt attempt = logins.begin(credentials.login(), client)) {
            acquire();
            try {
                return database.connectAs(credentials);
            } catch (RuntimeException e) {
                connections.release();
                if (e instanceof ApiException a && a.code() == ErrorCode.NOT_AUTHENTICATED) {
                    attempt.failed();
                }
                throw e;
            }
        }
    }

    void release() {
        connections.release();
    }

    private void acquire() {
        try {
            if (!connections.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new ApiException(
                        ErrorCode.BUSY,
                        "busy: " + RevealServer.REVEALS_AT_ONCE + " reveals are running; retry",
                        Map.of("Retry-After", "5"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.BUSY, "shutting down");
        }
    }
}
