package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.Keysets;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * pii-keys: make, rotate and inspect the Tink keysets of the PII transforms, re-encrypt stored ciphertexts to a new
 * primary key and retire unused keys. Never prints key material or values.
 */
@Command(
        name = "pii-keys",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = PiiKeys.Version.class,
        description =
                "Tink keysets for the PII transforms: generate, rotate, info, encrypt-keyset, rewrap, reencrypt, retire; "
                        + "audit verify.",
        subcommands = {
            PiiKeys.Generate.class,
            PiiKeys.Rotate.class,
            PiiKeys.Info.class,
            PiiKeys.EncryptKeyset.class,
            PiiKeys.Rewrap.class,
            ReencryptCommand.class,
            RetireCommand.class,
            AuditCommand.class
        })
public final class PiiKeys implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the CLI reports on stdout/stderr itself; keep slf4j quiet when no provider is on the class path
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests run it in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PiiKeys());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof PiiCryptoException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("pii-keys: " + ex.getMessage());
                return 1;
            }
            if (ex instanceof java.sql.SQLException sql) {
                // the CLI binds only row keys and ciphertexts, so a driver message can hold no plaintext
                cmd.getErr()
                        .println("pii-keys: database error: " + sql.getMessage() + " (SQLState " + sql.getSQLState()
                                + ")");
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    /** Runs one command in-process with its output and error text going to the given writers; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = PiiKeys.class.getResourceAsStream("pii-keys-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"pii-keys " + p.getProperty("version", "(development build)")};
        }
    }

    /** Options naming where an existing keyset comes from. */
    static final class Source {
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "Keyset file.")
        Path in;

        @Option(
                names = "--kms-uri",
                paramLabel = "URI",
                description =
                        "The file is encrypted with this AWS KMS key (aws-kms://arn:aws:kms:...). Without it: clear text.")
        String kmsUri;

        @Option(
                names = "--kms-endpoint",
                paramLabel = "URL",
                description = "KMS endpoint instead of the region's default.")
        URI kmsEndpoint;

        KeysetSource source() {
            return kmsUri == null ? KeysetSource.cleartextFile(in) : KeysetSource.kmsEncrypted(kmsUri, in, kmsEndpoint);
        }

        /** Rewrites the file in the form it was read (clear or KMS-encrypted). */
        void write(KeysetHandle h) {
            if (kmsUri == null) {
                Keysets.writeCleartext(h, in);
            } else {
                Keysets.writeKmsEncrypted(h, kmsUri, kmsEndpoint, in);
            }
        }
    }

    static void printInfo(PrintWriter out, KeysetHandle h) {
        out.printf("mode: %s%n", Keysets.modeOf(h).configName());
        for (Keysets.KeyInfo k : Keysets.describe(h)) {
            out.printf(
                    "key %d  %s  %s%s%n",
                    Integer.toUnsignedLong(k.id()), k.type(), k.status(), k.primary() ? "  PRIMARY" : "");
        }
        out.flush();
    }

    @Command(
            name = "generate",
            description = "Write a new keyset with one key for the mode (clear text: dev/test, "
                    + "or as input to encrypt-keyset).")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--mode",
                required = true,
                paramLabel = "MODE",
                description = "deterministic | randomized | hmac")
        String mode;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Keyset file to write.")
        Path out;

        @Option(names = "--force", description = "Overwrite an existing file.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            if (Files.exists(out) && !force) {
                spec.commandLine().getErr().println("pii-keys: " + out + " exists (use --force to replace it)");
                return 2;
            }
            KeysetHandle h = Keysets.generate(CipherMode.parse(mode));
            Keysets.writeCleartext(h, out);
            w.println("wrote CLEAR-TEXT keyset " + out
                    + " (dev/test only; encrypt it with encrypt-keyset for production)");
            printInfo(w, h);
            return 0;
        }
    }

    @Command(
            name = "rotate",
            description = "Add a new key of the same type and make it primary; old keys stay, so old "
                    + "ciphertexts still decrypt. Rewrites the file in the same form (clear or KMS-encrypted).")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SourceMixin src;

        @Override
        public Integer call() {
            Source s = src.source;
            KeysetHandle rotated = Keysets.rotate(s.source().load());
            s.write(rotated);
            PrintWriter w = spec.commandLine().getOut();
            w.println("rotated " + s.in + "; new primary key "
                    + Integer.toUnsignedLong(rotated.getPrimary().getId()));
            printInfo(w, rotated);
            return 0;
        }
    }

    @Command(name = "info", description = "Key ids, types, status and the primary key. Never prints key material.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SourceMixin src;

        @Override
        public Integer call() {
            KeysetSource ks = src.source.source();
            PrintWriter w = spec.commandLine().getOut();
            w.println(ks);
            printInfo(w, ks.load());
            return 0;
        }
    }

    @Command(
            name = "encrypt-keyset",
            description = "Encrypt a clear-text keyset with an AWS KMS key (envelope). "
                    + "Delete the clear file afterwards.")
    static final class EncryptKeyset implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        KmsKey kms;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "Clear-text keyset.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Encrypted keyset to write.")
        Path out;

        @Override
        public Integer call() {
            KeysetHandle h = KeysetSource.cleartextFile(in).load();
            Keysets.writeKmsEncrypted(h, kms.uri, kms.endpoint, out);
            PrintWriter w = spec.commandLine().getOut();
            w.println("wrote " + out + " encrypted with " + kms.uri + " for purpose "
                    + Keysets.purposeOf(Keysets.modeOf(h)) + "; configure keyset.file=" + out + " and keyset.kms.uri="
                    + kms.uri + ", then delete " + in);
            printInfo(w, h);
            return 0;
        }
    }

    @Command(
            name = "rewrap",
            description = "Re-encrypt a KMS-encrypted keyset for the purpose of its mode (KMS "
                    + "encryption context purpose=pii-<mode>), in place: the migration of keysets wrapped without a purpose, "
                    + "which the transforms and the reveal service refuse. The keys do not change.")
    static final class Rewrap implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        KmsKey kms;

        @Option(
                names = "--in",
                required = true,
                paramLabel = "FILE",
                description = "KMS-encrypted keyset, rewritten in place.")
        Path in;

        @Option(
                names = "--from-purpose",
                paramLabel = "PURPOSE",
                defaultValue = "none",
                description = "The purpose it is wrapped for now (default none: wrapped before purposes existed).")
        String fromPurpose;

        @Override
        public Integer call() {
            KeysetHandle h = KeysetSource.kmsEncrypted(
                            kms.uri, in, kms.endpoint, "none".equals(fromPurpose) ? null : fromPurpose)
                    .load();
            String purpose = Keysets.purposeOf(Keysets.modeOf(h));
            Keysets.writeKmsEncrypted(h, kms.uri, kms.endpoint, purpose, in);
            PrintWriter w = spec.commandLine().getOut();
            w.println("rewrapped " + in + " with " + kms.uri + " for purpose " + purpose);
            printInfo(w, h);
            return 0;
        }
    }

    /** The KMS key of the commands that write an encrypted keyset. */
    static final class KmsKey {
        @Option(
                names = "--kms-uri",
                required = true,
                paramLabel = "URI",
                description = "aws-kms://arn:aws:kms:<region>:<account>:key/<id>")
        String uri;

        @Option(
                names = "--kms-endpoint",
                paramLabel = "URL",
                description = "KMS endpoint instead of the region's default.")
        URI endpoint;
    }

    /** Picocli mixin wrapper so several commands share {@link Source}. */
    static final class SourceMixin {
        @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
        Source source;
    }
}
