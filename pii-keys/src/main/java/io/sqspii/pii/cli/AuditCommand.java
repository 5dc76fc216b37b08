package io.sqspii.pii.cli;

import io.sqspii.pii.audit.AuditChain;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pii-keys audit verify}: the audit chain of a database, checked row by row. */
@Command(
        name = "audit",
        description = "The tamper-evident audit of reveals and grants.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "verify",
            description = {
                "Recomputes every row of the audit chain (pii_audit_chain) from its fields and the row before, holds every "
                        + "audit row and grant written since the chain started to what the chain recorded of it, and holds "
                        + "the chain to the heads the reveal service published (its log: \"audit chain head: seq N sha256 "
                        + "H\"). Prints the chain's head, or the first broken row.",
                "Exit codes: 0 intact, 1 error, 3 broken.",
                "Run it as an auditor (pii_auditor), e.g.: audit verify --db-url jdbc:postgresql://db:5432/pii "
                        + "--db-user AUDITOR --head 1042:9f86d0…"
            })
    static final class Verify implements Callable<Integer> {
        static final int BROKEN = 3;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Database database;

        @Option(
                names = "--head",
                paramLabel = "SEQ:SHA256",
                description = "A head published outside the database. "
                        + "Repeatable; the later, the more of the chain it vouches for.")
        List<String> heads;

        @Override
        public Integer call() throws SQLException {
            List<AuditChain.Head> published = heads == null
                    ? List.of()
                    : heads.stream().map(AuditChain.Head::parse).toList();
            AuditChain.Result r;
            try (Connection c = database.connect()) {
                r = AuditChain.verify(c, published);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (r.broken().isPresent()) {
                spec.commandLine()
                        .getErr()
                        .println("audit chain broken: " + r.broken().get());
                return BROKEN;
            }
            out.println("audit chain intact: " + r.rows() + " rows, head seq "
                    + (r.last() == null ? 0 : r.last().seq())
                    + " sha256 " + (r.last() == null ? "-" : r.last().sha256())
                    + (published.isEmpty()
                            ? "; no published head given, so rows cut off its end or a chain rewritten "
                                    + "whole would not show"
                            : "; matches " + published.size() + " published head(s)"));
            return 0;
        }
    }
}
