package io.sqspii.reveal;

import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the audit chain's head outside the database: every {@link #PERIOD_SECONDS} s it reads pii_audit_head()
 * as the service's login and, when the head moved, logs it ("audit chain head: seq N sha256 H") and keeps it for
 * /metrics. A database owner who rewrites the chain cannot rewrite these log lines, which are shipped elsewhere:
 * {@code pii-keys audit verify --head N:H} then finds the rewrite.
 */
final class AuditHeadWatch implements AutoCloseable {
    static final int PERIOD_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(AuditHeadWatch.class);

    private final RevealDatabase database;
    private final ScheduledExecutorService timer;
    private volatile RevealDatabase.AuditHead head;
    private boolean failing;

    AuditHeadWatch(RevealDatabase database) {
        this.database = database;
        publish();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reveal-audit-head");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::publish, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /** The head last read; null if none was read yet. */
    RevealDatabase.AuditHead head() {
        return head;
    }

    synchronized void publish() {
        try {
            RevealDatabase.AuditHead read = database.readAuditHead();
            if (read != null && !read.equals(head)) {
                log.info("audit chain head: seq {} sha256 {}", read.seq(), read.sha256());
            }
            head = read;
            failing = false;
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                log.warn(
                        "cannot read the audit chain head ({}): it is not published until it can",
                        e instanceof SQLException s
                                ? "SQLSTATE " + s.getSQLState()
                                : e.getClass().getSimpleName());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
