package io.sqspii.reveal;

import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PII catalog as the service last read it (as its own login, through pii_catalog()), for /health and the
 * start-up log: read at start, then every {@link #REFRESH_SECONDS} s in the background, so that /health (which needs
 * no login) never makes the service ask the database. Reveals do not use it: pii_reveal() returns the catalog row
 * of each value it hands out. Says once per change which keysets the catalog names that the service does not hold.
 */
final class CatalogWatch implements AutoCloseable {
    static final int REFRESH_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(CatalogWatch.class);

    private final RevealDatabase database;
    private final KeyRing keys;
    private final ScheduledExecutorService timer;
    private volatile PiiCatalog catalog = PiiCatalog.of(List.of());
    private String lastProblem = "";

    CatalogWatch(RevealDatabase database, KeyRing keys) {
        this.database = database;
        this.keys = keys;
        refresh();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reveal-catalog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    PiiCatalog catalog() {
        return catalog;
    }

    private synchronized void refresh() {
        String problem;
        try {
            PiiCatalog read = database.readCatalog();
            catalog = read;
            problem = keysetProblems(read);
        } catch (SQLException e) {
            problem = "cannot read the PII catalog as " + RevealConfig.DB_SERVICE_USER + " (SQLSTATE " + e.getSQLState()
                    + "): /health lists the datasets last read";
        } catch (RuntimeException e) {
            problem = "cannot read the PII catalog (" + e.getClass().getSimpleName() + ")";
        }
        if (!Objects.equals(problem, lastProblem)) {
            if (!problem.isEmpty()) {
                log.warn("{}", problem);
            } else if (!lastProblem.isEmpty()) {
                log.info(
                        "PII catalog read: {} dataset(s), keysets {}",
                        catalog.datasets().size(),
                        catalog.keysets());
            }
            lastProblem = problem;
        }
    }

    /** Keysets the catalog names that are not loaded, or loaded with keys of another mode; "" if none. */
    private String keysetProblems(PiiCatalog c) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> wrongMode = new TreeSet<>();
        for (PiiColumn col : c.columns()) {
            KeyRing.Loaded k = keys.loaded().stream()
                    .filter(l -> l.name().equals(col.keyset()))
                    .findFirst()
                    .orElse(null);
            if (k == null) {
                missing.add(col.keyset());
            } else if (!k.mode().configName().equals(col.mode())) {
                wrongMode.add(col.keyset() + " (" + k.mode().configName() + " keys, catalog: " + col.mode() + ")");
            }
        }
        StringBuilder b = new StringBuilder();
        if (!missing.isEmpty()) {
            b.append("the PII catalog names keyset(s) ")
                    .append(missing)
                    .append(" that this service does not hold "
                            + "(keyset.<name>.file): their values are answered without plaintext");
        }
        if (!wrongMode.isEmpty()) {
            b.append(b.length() > 0 ? "; " : "")
                    .append("keyset(s) of another mode than the catalog records: ")
                    .append(wrongMode);
        }
        return b.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
