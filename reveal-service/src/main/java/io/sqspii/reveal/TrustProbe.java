package io.sqspii.reveal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The service's only authentication is PostgreSQL's password check. Before listening, it logs in as each
 * probe login with a random password: if PostgreSQL lets one in (pg_hba "trust" for this address), or
 * refuses for any reason other than a failed password (28P01), the service does not start, because it could
 * not tell a right password from a wrong one. Public for the local pipeline, which asks the same question
 * before it chooses the database of a --follow run.
 */
public final class TrustProbe {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TrustProbe() {}

    /** Throws IllegalStateException naming the login and what PostgreSQL did; never the password or URL. */
    static void requirePasswordChecks(String url, List<String> logins) {
        for (String login : logins) {
            if (letsAnyPasswordIn(url, login)) {
                throw new IllegalStateException("PostgreSQL let the login '" + login + "' in with a random password: "
                        + "pg_hba.conf trusts this address (method trust, or another without a password), so the "
                        + "service could not authenticate anyone. Use scram-sha-256 for the service's address in "
                        + "pg_hba.conf (logins probed: " + RevealConfig.DB_AUTH_PROBE_USERS + ")");
            }
        }
    }

    /**
     * Whether PostgreSQL at {@code url} lets {@code login} in with a random password (true), or refuses it as a
     * failed password, 28P01 (false). Any other refusal throws IllegalStateException (never quoting the URL):
     * the answer is unknown.
     */
    public static boolean letsAnyPasswordIn(String url, String login) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        Properties p = new Properties();
        p.setProperty("user", login);
        p.setProperty("password", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        p.setProperty("ApplicationName", "sqs-pii-connect reveal-service trust probe");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        try (Connection ignored = DriverManager.getConnection(url, p)) {
            return true;
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("cannot confirm that PostgreSQL checks passwords: the probe login '"
                    + login + "' was refused with SQLSTATE " + e.getSQLState() + " rather than 28P01 (password "
                    + "authentication failed). The database may be unreachable, or the login missing under a trust "
                    + "rule: set " + RevealConfig.DB_AUTH_PROBE_USERS + " to logins that exist and may connect");
        }
    }
}
