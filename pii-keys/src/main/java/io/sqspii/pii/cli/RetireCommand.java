package io.sqspii.pii.cli;

import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.Keysets;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "retire",
        description = {
            "Remove a key from the keyset after checking that no stored ciphertext carries its key id (prints the count "
                    + "per key id of every column). Never the primary key.",
            "With --dataset, the PII catalog names every column (values inside jsonb arrays too) of the dataset that this "
                    + "keyset encrypts, and the command refuses while another dataset of the catalog uses the same keyset "
                    + "and is not named too. With --column, name every column encrypted with this keyset: rows of a column "
                    + "left out would no longer decrypt.",
            "Example: retire --in pii-deterministic.json --key-id 123456 --db-url jdbc:postgresql://db:5432/pii "
                    + "--dataset DATASET [--dataset ...]",
            "Without the catalog: retire ... --column TABLE.masked_FIELD [--column ...]"
        })
final class RetireCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCiphertexts stored;

    @Option(
            names = "--key-id",
            required = true,
            paramLabel = "ID",
            description = "The key to remove (as `info` prints it).")
    long keyId;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "A dataset of the PII catalog whose values this keyset encrypts. Repeatable; every dataset "
                    + "that uses the keyset must be named. Instead of --column.")
    List<String> datasets;

    @Option(
            names = "--keyset-name",
            paramLabel = "NAME",
            description = "With --dataset: this keyset's name in the catalog, when the datasets' values of this mode "
                    + "use more than one.")
    String keysetName;

    @Option(
            names = "--column",
            paramLabel = "TABLE.COLUMN",
            description = "A text column of ciphertexts made with this keyset (TABLE.masked_FIELD). Repeatable.")
    List<String> columns;

    /** One stored column to count. */
    private record Counted(String table, StoredCell cell) {
        String name() {
            return table + "." + cell.column;
        }
    }

    @Override
    public Integer call() throws SQLException {
        if ((datasets == null) == (columns == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name either --dataset or --column");
        }
        if (keysetName != null && datasets == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keyset-name goes with --dataset");
        }
        KeysetHandle keyset = stored.source().source().load();
        int id = (int) keyId;
        if (keyId < 0 || keyId > 0xffff_ffffL) {
            throw new IllegalArgumentException("--key-id must be an unsigned 32-bit key id");
        }
        Keysets.remove(keyset, id); // refuses the primary and unknown ids before the database is read
        PrintWriter out = spec.commandLine().getOut();
        String wanted = Long.toString(keyId);
        Map<String, Long> inUse = new LinkedHashMap<>();
        try (Connection c = stored.db.connect()) {
            for (Counted counted : counted(c, keyset)) {
                Map<String, Long> counts = KeyUsage.count(c, counted.table(), counted.cell());
                out.printf(
                        "%s: %s%n",
                        counted.name(),
                        counts.isEmpty()
                                ? "no values"
                                : counts.entrySet().stream()
                                        .map(e -> "key " + e.getKey() + " " + String.format("%,d", e.getValue())
                                                + " values")
                                        .toList());
                if (counts.getOrDefault(wanted, 0L) > 0) {
                    inUse.put(counted.name(), counts.get(wanted));
                }
            }
        }
        out.flush();
        if (!inUse.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "pii-keys: refusing to retire key %d: still used by %s (run reencrypt first); "
                                    + "keyset unchanged%n",
                            keyId, inUse);
            return 1;
        }
        KeysetHandle retired = Keysets.remove(keyset, id);
        stored.source().write(retired);
        out.printf(
                "retired key %d from %s; restart the connector tasks and the reveal service to load it%n",
                keyId, stored.source().in);
        PiiKeys.printInfo(out, retired);
        return 0;
    }

    /** The columns named, or those the catalog lists for the datasets (refusing when a dataset using the keyset is left out). */
    private List<Counted> counted(Connection c, KeysetHandle keyset) throws SQLException {
        List<Counted> out = new ArrayList<>();
        if (columns != null) {
            for (String column : columns) {
                String[] tc = KeyUsage.tableAndColumn(column);
                out.add(new Counted(tc[0], StoredCell.forCounting(tc[1], List.of())));
            }
            return out;
        }
        DatasetColumns catalog = DatasetColumns.read(c, datasets, Keysets.modeOf(keyset), keysetName);
        TreeSet<String> missing = catalog.datasetsUsingIt();
        missing.removeAll(datasets);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("keyset " + catalog.keysetName() + " also encrypts the datasets "
                    + missing + ": name them too (--dataset), or their rows would no longer decrypt");
        }
        for (String dataset : datasets) {
            for (DatasetColumns.Table t : catalog.tables(dataset)) {
                Map<String, List<String>> pointers = new LinkedHashMap<>();
                for (EncryptedColumn v : t.values()) {
                    List<String> p = pointers.computeIfAbsent(v.column(), k -> new ArrayList<>());
                    if (v.inArray()) {
                        p.add(v.itemPointer());
                    }
                }
                pointers.forEach((column, p) -> out.add(new Counted(t.table(), StoredCell.forCounting(column, p))));
            }
        }
        return out;
    }
}
