package io.sqspii.dataset;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataset apply <folder>...}: validates dataset definitions, prints the plan and applies it. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        subcommands = {
            DatasetCli.ApplyCommand.class,
            DatasetCli.ConnectorsCommand.class,
            DatasetCli.KeysetsCommand.class
        },
        description = "Dataset definitions of sqs-pii-connect (datasets/<name>/): tables, grants and the PII catalog.")
public final class DatasetCli implements Runnable {

    static final int REFUSED = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new DatasetCli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Validates <folder>/dataset.json and event.schema.json, prints the plan (SQL, PII catalog "
                        + "rows, sink connector configs) and, without --dry-run, applies DDL, grants and catalog in one "
                        + "transaction. Idempotent: a second run prints \"nothing to change\".",
                "Several folders, or a folder of them (datasets), are applied one after the other, each in its "
                        + "own transaction; the first that fails stops the run.",
                "Exit codes: 0 applied or nothing to change, 1 error, 2 definition invalid or change refused.",
                "Run it as a superuser (as connect-config/sql/roles.sql), after roles.sql."
            })
    static final class ApplyCommand implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(
                arity = "1..*",
                paramLabel = "<folder>",
                description = "Dataset folders (datasets/orders), or " + "a folder of them (datasets).")
        List<Path> folders;

        @Option(names = "--dry-run", description = "Print the plan and change nothing.")
        boolean dryRun;

        @Option(
                names = "--db-url",
                required = true,
                description = "JDBC URL of the database, without user or "
                        + "password (e.g. jdbc:postgresql://localhost:5432/sqspii).")
        String dbUrl;

        @Option(names = "--db-user", required = true, description = "PostgreSQL login that applies it.")
        String dbUser;

        @Option(
                names = "--db-password-file",
                description = "File holding only the password. Default: the "
                        + "PGPASSWORD environment variable; neither means no password (trust or peer authentication).")
        Path passwordFile;

        @Option(names = "--out", description = "Also write the connector configs there as <connector>.json.")
        Path out;

        @Option(
                names = "--connect-url",
                description = "Kafka Connect REST URL (e.g. http://localhost:8083): after "
                        + "the transaction commits, create or update the dataset's connectors there (a connector whose "
                        + "config is already the generated one is left alone; an operator's tasks.max is kept).")
        URI connectUrl;

        @Option(names = "--connect-user", description = "Connect REST basic-auth user.")
        String connectUser;

        @Option(
                names = "--connect-password-file",
                description = "File holding only the Connect REST password. "
                        + "Default: the CONNECT_PASSWORD environment variable.")
        Path connectPasswordFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (dbUrl.matches("(?i).*[?&;](user|password|sslpassword)=.*")
                    || dbUrl.matches("(?i)jdbc:postgresql://[^/]*@.*")) {
                err.println("dataset: --db-url must not carry a user or password; use --db-user and PGPASSWORD or "
                        + "--db-password-file");
                return 1;
            }
            List<Path> found = Datasets.folders(folders);
            if (found.isEmpty()) {
                err.println("dataset: no dataset definition (a folder holding dataset.json) in " + folders);
                return 1;
            }
            for (Path folder : found) {
                int code = apply(folder);
                if (code != 0) {
                    return code;
                }
            }
            return 0;
        }

        private int apply(Path folder) throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Definition d;
            try {
                d = Definition.load(folder);
            } catch (DefinitionException e) {
                return refused(err, folder, e);
            }
            Properties props = new Properties();
            props.setProperty("user", dbUser);
            String password =
                    passwordFile != null ? Files.readString(passwordFile).strip() : System.getenv("PGPASSWORD");
            if (password != null) {
                props.setProperty("password", password);
            }
            Plan plan;
            try (Connection c = DriverManager.getConnection(dbUrl, props)) {
                plan = Apply.run(c, d, dryRun);
            } catch (DefinitionException e) {
                return refused(err, folder, e);
            } catch (SQLException e) {
                // PostgreSQL's message names objects, never row values: apply writes no rows but the catalog's.
                err.println("dataset: " + (dryRun ? "planning" : "applying") + " " + d.name()
                        + " failed, nothing of it was changed: " + e.getMessage());
                return 1;
            }
            o.print(plan.render());
            if (plan.refused()) {
                o.flush();
                return REFUSED;
            }
            if (!plan.empty()) {
                o.println(dryRun ? "dry run: nothing was changed" : "applied in one transaction");
            }
            if (out != null) {
                write(plan.connectors(), out);
                o.println("connector configs written to " + out);
            }
            if (connectUrl != null) {
                String restPassword = connectPasswordFile != null
                        ? Files.readString(connectPasswordFile).strip()
                        : System.getenv("CONNECT_PASSWORD");
                String credentials =
                        connectUser == null ? null : connectUser + ":" + (restPassword == null ? "" : restPassword);
                try {
                    for (ConnectRegistration.Result r :
                            new ConnectRegistration(connectUrl, credentials).register(plan.connectors(), dryRun)) {
                        o.println("connector " + r);
                    }
                } catch (Datasets.RegistrationException e) {
                    o.flush();
                    err.println("dataset: " + e.getMessage()
                            + (dryRun
                                    ? ""
                                    : " (the database part is applied; run "
                                            + "apply again once Connect accepts the connector)"));
                    return 1;
                }
            }
            o.flush();
            return 0;
        }
    }

    /** {@code dataset connectors}: the connector configs of definitions, as files (and a drift check of them). */
    @Command(
            name = "connectors",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the Kafka Connect configs of each dataset (<name>-source, <name>-sink, "
                        + "<name>-rejected-sink) as <connector>.json into --out; with --check, changes nothing and "
                        + "fails if the files there differ from what the definitions give.",
                "Exit codes: 0 written or up to date, 1 error or drift, 2 definition invalid."
            })
    static final class ConnectorsCommand implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(
                arity = "1..*",
                paramLabel = "<folder>",
                description = "Dataset folders (datasets/orders), or " + "a folder of them (datasets).")
        List<Path> folders;

        @Option(names = "--out", required = true, description = "Where the <connector>.json files go.")
        Path out;

        @Option(names = "--check", description = "Compare instead of writing.")
        boolean check;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Map<String, String>> all = new java.util.TreeMap<>();
            for (Path folder : Datasets.folders(folders)) {
                try {
                    all.putAll(DatasetConnectors.of(folder));
                } catch (DefinitionException e) {
                    return refused(err, folder, e);
                }
            }
            if (!check) {
                write(all, out);
                o.println(all.size() + " connector configs written to " + out);
                o.flush();
                return 0;
            }
            List<String> drift = Datasets.drift(all, out);
            drift.forEach(d -> err.println("dataset: " + d));
            if (drift.isEmpty()) {
                o.println(all.size() + " connector configs in " + out + " are up to date");
            }
            o.flush();
            return drift.isEmpty() ? 0 : 1;
        }
    }

    /** {@code dataset keysets}: the keysets the connectors of definitions encrypt with, for whoever makes them. */
    @Command(
            name = "keysets",
            mixinStandardHelpOptions = true,
            description = {
                "Prints one line \"<keyset> <mode>\" per keyset that the connectors of the definitions "
                        + "read (as ${env:PII_<KEYSET>_KEYSET}), in name order: what a deployment must provide.",
                "Exit codes: 0 printed, 1 error or a keyset named for two modes, 2 definition invalid."
            })
    static final class KeysetsCommand implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(
                arity = "1..*",
                paramLabel = "<folder>",
                description = "Dataset folders (datasets/orders), or " + "a folder of them (datasets).")
        List<Path> folders;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Definition> definitions = new java.util.ArrayList<>();
            for (Path folder : Datasets.folders(folders)) {
                try {
                    definitions.add(Definition.load(folder));
                } catch (DefinitionException e) {
                    return refused(err, folder, e);
                }
            }
            Map<String, PiiMode> keysets;
            try {
                keysets = DatasetConnectors.keysets(definitions);
            } catch (DefinitionException e) {
                e.problems().forEach(p -> err.println("dataset: " + p));
                return REFUSED;
            } catch (IllegalArgumentException e) {
                err.println("dataset: " + e.getMessage());
                return 1;
            }
            keysets.forEach((name, mode) -> o.println(name + " " + mode.id()));
            o.flush();
            return 0;
        }
    }

    /** Reports why the definition in {@code folder} is invalid, every problem on its own line; exit code 2. */
    static int refused(PrintWriter err, Path folder, DefinitionException e) {
        err.println("dataset: " + folder + " is not a valid dataset definition:");
        e.problems().forEach(p -> err.println("  - " + p));
        return REFUSED;
    }

    static void write(Map<String, Map<String, String>> connectors, Path out) throws IOException {
        Files.createDirectories(out);
        for (Map.Entry<String, Map<String, String>> e : connectors.entrySet()) {
            Files.writeString(out.resolve(e.getKey() + ".json"), Json.pretty(e.getValue()) + "\n");
        }
    }
}
