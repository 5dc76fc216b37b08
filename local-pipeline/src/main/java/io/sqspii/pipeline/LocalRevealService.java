package io.sqspii.pipeline;

import io.sqspii.reveal.RevealConfig;
import io.sqspii.reveal.RevealServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What --follow adds for the inspector: the demo logins (passwords in a file of the run directory, readable
 * by the owner only, never printed) and the reveal service in this JVM, on loopback, with the dev keysets.
 */
final class LocalRevealService implements AutoCloseable {

    private final RevealServer server;
    private final Path loginsFile;

    private LocalRevealService(RevealServer server, Path loginsFile) {
        this.server = server;
        this.loginsFile = loginsFile;
    }

    /** The inspector's default reveal service URL is on this port: with it free, the analyst types nothing. */
    static final int DEFAULT_PORT = 8089;

    static LocalRevealService start(PipelineLayout layout, PipelineDatabase database, List<RunDataset> datasets) {
        Path file = writeLogins(
                layout.runDir().resolve("demo-logins.properties"), database.demoLogins(), database.prepareDemoLogins());
        String servicePassword = database.prepareRevealServiceLogin();
        RevealServer server;
        try {
            server = RevealServer.start(
                    RevealConfig.from(config(layout, database, datasets, DEFAULT_PORT, servicePassword)));
        } catch (UncheckedIOException portTaken) {
            // Another run (or program) holds the port: any free one, printed for the inspector.
            server = RevealServer.start(RevealConfig.from(config(layout, database, datasets, 0, servicePassword)));
        }
        return new LocalRevealService(server, file);
    }

    /**
     * Loopback, the given port (0: any free one), the pipeline's database (without PG_URL's credentials: each
     * request logs in as the analyst), the service's own login, the same trust probe logins as FollowDatabase's
     * choice, the run's dev keysets by the names the datasets give them (clear text: local use only).
     */
    static Properties config(
            PipelineLayout layout,
            PipelineDatabase database,
            List<RunDataset> datasets,
            int port,
            String servicePassword) {
        Properties p = new Properties();
        p.setProperty("listen.host", "127.0.0.1");
        p.setProperty("listen.port", Integer.toString(port));
        p.setProperty("db.url", database.urlWithoutCredentials());
        p.setProperty("db.service.user", database.revealServiceLogin());
        p.setProperty("db.service.password", servicePassword); // in this JVM only, never written
        p.setProperty("db.auth.probe.users", String.join(",", database.probeLogins()));
        DevKeysets.of(layout, datasets)
                .forEach((name, file) -> p.setProperty("keyset." + name + ".file", file.toString()));
        p.setProperty("keyset.allow.cleartext", "true");
        return p;
    }

    private static Path writeLogins(Path file, Map<String, String> roles, Map<String, String> passwords) {
        StringBuilder text = new StringBuilder("# demo logins of this local run (roles: ")
                .append(roles)
                .append(")\n");
        passwords.forEach((login, password) ->
                text.append(login).append('=').append(password).append('\n'));
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    String uri() {
        return server.uri().toString();
    }

    Path loginsFile() {
        return loginsFile;
    }

    @Override
    public void close() {
        server.close();
    }
}
