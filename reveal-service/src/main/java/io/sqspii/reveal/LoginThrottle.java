package io.sqspii.reveal;

import io.sqspii.reveal.api.ErrorCode;
import java.net.InetAddress;
import java.util.Map;

/**
 * Slows password guessing through the service. Every login attempt takes one token, before the database
 * is asked, from three budgets: its (login, client address) pair, its client address, and, once that
 * address has failed lately, a budget shared by all such addresses. A failed login keeps its tokens; any
 * other outcome gives them back. Taking first makes check and take one step, so parallel guesses cannot
 * outrun a budget; keying by address means an attacker's failures lock out only the attacker's address,
 * never the same login from elsewhere, and an address with no recent failure never meets the shared budget.
 */
final class LoginThrottle {
    private static final String ALL = "*";

    private final TokenBuckets perLoginAndAddress;
    private final TokenBuckets perAddress;
    private final TokenBuckets failingAddresses;

    LoginThrottle(int perLoginAndAddress, int perAddress, int global) {
        this.perLoginAndAddress = new TokenBuckets(perLoginAndAddress);
        this.perAddress = new TokenBuckets(perAddress);
        this.failingAddresses = new TokenBuckets(global);
    }

    /** One login attempt under way: {@link #failed} keeps its tokens, {@link #close} gives them back otherwise. */
    final class Attempt implements AutoCloseable {
        private final String pair;
        private final String address;
        private final boolean global;
        private boolean failed;

        private Attempt(String pair, String address, boolean global) {
            this.pair = pair;
            this.address = address;
            this.global = global;
        }

        void failed() {
            failed = true;
        }

        @Override
        public void close() {
            if (!failed) {
                giveBack(pair, address, global);
            }
        }
    }

    /** Takes this attempt's tokens, or throws 429 with Retry-After when a budget is spent (nothing taken). */
    Attempt begin(String login, InetAddress client) {
        String address = client.getHostAddress();
        String pair = login + "\n" + address; // a login has no control characters
        boolean global = !perAddress.untouched(address);
        long wait = perLoginAndAddress.take(pair, 1);
        if (wait > 0) {
            throw tooMany(
                    wait,
                    perLoginAndAddress.perMinute() + " per minute for one login from one address " + "("
                            + RevealConfig.AUTH_FAILURES + ")");
        }
        wait = perAddress.take(address, 1);
        if (wait > 0) {
            perLoginAndAddress.give(pair, 1);
            throw tooMany(
                    wait,
                    perAddress.perMinute() + " per minute from one address (" + RevealConfig.AUTH_FAILURES_PER_ADDRESS
                            + ")");
        }
        if (global) {
            wait = failingAddresses.take(ALL, 1);
            if (wait > 0) {
                perLoginAndAddress.give(pair, 1);
                perAddress.give(address, 1);
                throw tooMany(
                        wait,
                        failingAddresses.perMinute() + " per minute from all addresses that failed lately ("
                                + RevealConfig.AUTH_FAILURES_GLOBAL + ")");
            }
        }
        return new Attempt(pair, address, global);
    }

    private void giveBack(String pair, String address, boolean global) {
        perLoginAndAddress.give(pair, 1);
        perAddress.give(address, 1);
        if (global) {
            failingAddresses.give(ALL, 1);
        }
    }

    private static ApiException tooMany(long retryAfterSeconds, String limit) {
        return new ApiException(
                ErrorCode.TOO_MANY_FAILED_LOGINS,
                "too many failed logins: at most " + limit + "; retry in " + retryAfterSeconds + " s",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
