package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.Keysets;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "reencrypt",
        description = {
            "After rotate: rewrite the stored ciphertexts of a dataset (or of some columns of a table) to the keyset's "
                    + "primary key, in batches (one transaction each), in row-key order, while the pipeline keeps writing.",
            "With --dataset, the PII catalog in the database names the tables, row keys, columns (values inside jsonb "
                    + "arrays too) and associated data of every value of the dataset that this keyset encrypts (its mode, "
                    + "and --keyset-name as the catalog names it).",
            "Values already on the primary key are skipped (a re-run after a crash resumes; a finished run changes "
                    + "nothing); a value the pipeline changed meanwhile is left as written. Refuses, before writing "
                    + "anything, if the keyset cannot decrypt some value: it lists those rows' keys, never values.",
            "Example: reencrypt --in pii-deterministic.json --db-url jdbc:postgresql://db:5432/pii --db-user rekey "
                    + "--dataset DATASET",
            "Without the catalog: reencrypt --in pii-deterministic.json --db-url ... --table TABLE --key-column message_id "
                    + "--column masked_FIELD:DOMAIN.FIELD [--column ...]"
        })
final class ReencryptCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCiphertexts stored;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "The dataset (as `dataset apply` recorded it in the PII catalog) whose values this keyset "
                    + "encrypts, in its table and its rejected table. Instead of --table, --key-column and --column.")
    String dataset;

    @Option(
            names = "--keyset-name",
            paramLabel = "NAME",
            description =
                    "With --dataset: this keyset's name in the catalog (dataset.json keysets), when the dataset's "
                            + "values of this mode use more than one.")
    String keysetName;

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            description = "Table (name or schema.name), with --key-column and --column.")
    String table;

    @Option(
            names = "--key-column",
            paramLabel = "COLUMN",
            description = "The table's primary key (unique, ordered): pages are read in its order.")
    String keyColumn;

    @Option(
            names = "--column",
            paramLabel = "COLUMN:AD",
            description = "A text column of ciphertexts and the associated data the transform bound them to: "
                    + "<associated.data>.<field> as the SMT wrote it (masked_FIELD:DOMAIN.FIELD). Repeatable.")
    List<String> columns;

    @Option(
            names = "--batch-size",
            defaultValue = "1000",
            paramLabel = "ROWS",
            description = "Rows per page and transaction (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--rows-per-second",
            defaultValue = "0",
            paramLabel = "N",
            description = "At most this many rows rewritten per second (0 = no limit, the default); pages then "
                    + "hold at most N rows.")
    double rowsPerSecond;

    @Override
    public Integer call() throws SQLException, InterruptedException {
        if (batchSize < 1 || rowsPerSecond < 0) {
            throw usage("--batch-size must be >= 1 and --rows-per-second >= 0");
        }
        boolean explicit = table != null || keyColumn != null || columns != null;
        if ((dataset == null) == !explicit || (explicit && (table == null || keyColumn == null || columns == null))) {
            throw usage("name either --dataset NAME or all of --table, --key-column and --column");
        }
        if (keysetName != null && dataset == null) {
            throw usage("--keyset-name goes with --dataset");
        }
        KeysetHandle keyset = stored.source().source().load();
        CipherMode mode = Keysets.modeOf(keyset);
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = stored.db.connect()) {
            List<Reencryption> jobs = new ArrayList<>();
            if (dataset == null) {
                jobs.add(new Reencryption(
                        keyset,
                        table,
                        keyColumn,
                        columns.stream().map(EncryptedColumn::parse).toList(),
                        batchSize,
                        rowsPerSecond));
            } else {
                DatasetColumns catalog = DatasetColumns.read(c, List.of(dataset), mode, keysetName);
                for (DatasetColumns.Table t : catalog.tables(dataset)) {
                    jobs.add(new Reencryption(keyset, t.table(), t.keyColumn(), t.values(), batchSize, rowsPerSecond));
                }
                if (jobs.isEmpty()) {
                    out.printf(
                            "dataset %s holds no %s values%s: nothing to re-encrypt%n",
                            dataset,
                            mode.configName(),
                            catalog.keysetName() == null ? "" : " of keyset " + catalog.keysetName());
                    out.flush();
                    return 0;
                }
                out.printf(
                        "dataset %s, keyset %s (%s): %s%n",
                        dataset,
                        catalog.keysetName(),
                        mode.configName(),
                        catalog.tables(dataset).stream()
                                .map(t -> t.table() + " "
                                        + t.values().stream()
                                                .map(v -> v.inArray()
                                                        ? v.column() + "[]"
                                                                + v.itemPointer()
                                                                        .replace('/', '.')
                                                        : v.column())
                                                .toList())
                                .toList());
            }
            return run(c, jobs);
        }
    }

    /** Checks every table first, so that nothing is written anywhere unless every value decrypts. */
    private int run(Connection c, List<Reencryption> jobs) throws SQLException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long primary = Integer.toUnsignedLong(jobs.get(0).primaryKeyId());
        Reencryption current = null;
        try {
            double[] checkSeconds = new double[jobs.size()];
            for (int i = 0; i < jobs.size(); i++) {
                current = jobs.get(i);
                long t0 = System.nanoTime();
                current.check(c);
                checkSeconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            for (int i = 0; i < jobs.size(); i++) {
                current = jobs.get(i);
                long total = current.countRows(c);
                Reencryption.Summary s = current.run(c, new Progress(err, "reencrypt " + current.table(), total));
                double seconds = checkSeconds[i] + s.seconds();
                out.printf(
                        "re-encrypted %s to primary key %d: %,d rows scanned, %,d rows rewritten in %.1f s (check %.1f s + "
                                + "rewrite %.1f s; %,.0f rows/s)%n",
                        current.table(),
                        primary,
                        s.rowsScanned(),
                        s.rowsRewritten(),
                        seconds,
                        checkSeconds[i],
                        s.seconds(),
                        s.rowsScanned() / Math.max(seconds, 1e-3));
                for (Reencryption.ColumnCounts cc : s.columns()) {
                    out.printf(
                            "  %s: %,d rewritten, %,d already on key %d, %,d changed by the pipeline meanwhile (left as "
                                    + "written), %,d null%n",
                            cc.column, cc.rewritten, cc.onPrimary, primary, cc.changedConcurrently, cc.nulls);
                }
            }
            out.println(
                    "next: once every task runs with this keyset, retire the old key(s): pii-keys retire --key-id ID ...");
            out.flush();
            return 0;
        } catch (Reencryption.UndecryptableException e) {
            err.printf(
                    "pii-keys: refusing to re-encrypt %s: the keyset cannot decrypt %,d value(s) (wrong keyset, wrong "
                            + "associated data, or not ciphertext); no value of those batches was written. Row keys:%n",
                    current.table(), e.count);
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

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
