package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "reencrypt", description = {
        "After rotate: rewrite the stored ciphertexts of some columns of a table to the keyset's primary key, in "
                + "batches (one transaction each), in primary-key order, while the pipeline keeps writing.",
        "Values already on the primary key are skipped (a re-run after a crash resumes; a finished run changes "
                + "nothing); a value the pipeline changed meanwhile is left as written. Refuses, before writing "
                + "anything, if the keyset cannot decrypt some value: it lists those rows' keys, never values.",
        "Example: reencrypt --in pii-deterministic.json --db-url jdbc:postgresql://db:5432/logins --db-user rekey "
                + "--table user_logins --key-column message_id --column masked_ip:user_logins.ip "
                + "--column masked_device_id:user_logins.device_id"})
final class ReencryptCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCiphertexts stored;

    @Option(names = "--table", required = true, paramLabel = "TABLE", description = "Table (name or schema.name).")
    String table;

    @Option(names = "--key-column", required = true, paramLabel = "COLUMN",
            description = "The table's primary key (unique, ordered): pages are read in its order.")
    String keyColumn;

    @Option(names = "--column", required = true, paramLabel = "COLUMN:AD",
            description = "A column of ciphertexts and the associated data the transform bound them to: "
                    + "<associated.data>.<field> as the SMT wrote it (masked_ip:user_logins.ip). Repeatable.")
    List<String> columns;

    @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
            description = "Rows per page and transaction (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--rows-per-second", defaultValue = "0", paramLabel = "N",
            description = "At most this many rows rewritten per second (0 = no limit, the default); pages then "
                    + "hold at most N rows.")
    double rowsPerSecond;

    @Override
    public Integer call() throws SQLException, InterruptedException {
        if (batchSize < 1 || rowsPerSecond < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be >= 1 and --rows-per-second >= 0");
        }
        KeysetHandle keyset = stored.source().source().load();
        Reencryption job = new Reencryption(keyset, table, keyColumn, columns.stream().map(EncryptedColumn::parse).toList(),
                batchSize, rowsPerSecond);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long primary = Integer.toUnsignedLong(job.primaryKeyId());
        try (Connection c = stored.db.connect()) {
            long total = job.countRows(c);
            try {
                long t0 = System.nanoTime();
                job.check(c);
                double checkSeconds = (System.nanoTime() - t0) / 1e9;
                Reencryption.Summary s = job.run(c, new Progress(err, "reencrypt " + table, total));
                double seconds = checkSeconds + s.seconds();
                out.printf("re-encrypted %s to primary key %d: %,d rows scanned, %,d rows rewritten in %.1f s (check %.1f s + "
                        + "rewrite %.1f s; %,.0f rows/s)%n", table, primary, s.rowsScanned(), s.rowsRewritten(), seconds,
                        checkSeconds, s.seconds(), s.rowsScanned() / Math.max(seconds, 1e-3));
                for (Reencryption.ColumnCounts cc : s.columns()) {
                    out.printf("  %s: %,d rewritten, %,d already on key %d, %,d changed by the pipeline meanwhile (left as "
                            + "written), %,d null%n", cc.column, cc.rewritten, cc.onPrimary, primary, cc.changedConcurrently, cc.nulls);
                }
                out.println("next: once every task runs with this keyset, retire the old key(s): pii-keys retire --key-id ID ...");
                out.flush();
                return 0;
            } catch (Reencryption.UndecryptableException e) {
                err.printf("pii-keys: refusing to re-encrypt %s: the keyset cannot decrypt %,d value(s) (wrong keyset, wrong "
                        + "associated data, or not ciphertext); no value of those batches was written. Row keys (%s):%n",
                        table, e.count, keyColumn);
                for (String row : e.rows) {
                    err.println("  " + row);
                }
                if (e.count > e.rows.size()) {
                    err.printf("  ... and %,d more%n", e.count - e.rows.size());
                }
                err.flush();
                return 1;
            }
        }
    }
}
