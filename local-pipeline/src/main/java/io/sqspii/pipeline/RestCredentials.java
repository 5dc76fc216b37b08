package io.sqspii.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The basic-auth login of the local worker's REST API (worker.properties turns on Kafka's
 * {@code BasicAuthSecurityRestExtension}): a random password per run, in owner-only files of the run
 * directory — the {@code PropertyFileLoginModule} credentials and the JAAS file naming them. A restarted
 * worker of the same run reads the same files.
 */
final class RestCredentials {

    static final String USER = "pipeline-admin";
    private static final String CREDENTIALS_FILE = "connect-rest-credentials.properties";
    private static final String JAAS_FILE = "connect-rest-jaas.conf";

    private final String password;
    private final Path credentialsFile;
    private final Path jaasFile;

    private RestCredentials(String password, Path credentialsFile, Path jaasFile) {
        this.password = password;
        this.credentialsFile = credentialsFile;
        this.jaasFile = jaasFile;
    }

    /** The run's credentials: made at the first call, read back afterwards. */
    static synchronized RestCredentials forRun(Path runDir) {
        Path credentials = runDir.resolve(CREDENTIALS_FILE);
        Path jaas = runDir.resolve(JAAS_FILE);
        try {
            if (Files.exists(credentials)) {
                String line =
                        Files.readString(credentials, StandardCharsets.UTF_8).trim();
                return new RestCredentials(line.substring(line.indexOf('=') + 1), credentials, jaas);
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeOwnerOnly(credentials, USER + "=" + password + "\n");
            writeOwnerOnly(
                    jaas,
                    "KafkaConnect {\n"
                            + "  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n"
                            + "  file=\""
                            + credentials.toAbsolutePath().toString().replace("\\", "\\\\") + "\";\n"
                            + "};\n");
            return new RestCredentials(password, credentials, jaas);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Connect REST credentials in " + runDir, e);
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the run directory's own ACL applies
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** The worker JVM's option that points the extension's JAAS login at the credentials. */
    String jvmOption() {
        return "-Djava.security.auth.login.config=" + jaasFile.toAbsolutePath();
    }

    String authorizationHeader() {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword().getBytes(StandardCharsets.UTF_8));
    }

    String userAndPassword() {
        return USER + ":" + password;
    }

    /** What a REST client in another process needs (dataset apply --connect-url): the URL, the user, a password file. */
    Map<String, String> scriptEnvironment(String connectUrl) {
        try {
            Path passwordFile = credentialsFile.resolveSibling("connect-rest-password");
            if (!Files.exists(passwordFile)) {
                writeOwnerOnly(passwordFile, password);
            }
            return Map.of(
                    "CONNECT_URL",
                    connectUrl,
                    "CONNECT_USER",
                    USER,
                    "CONNECT_PASSWORD_FILE",
                    passwordFile.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Connect REST password file", e);
        }
    }

    Path credentialsFile() {
        return credentialsFile;
    }
}
