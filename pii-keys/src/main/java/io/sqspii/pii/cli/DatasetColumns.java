package io.sqspii.pii.cli;

import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.reveal.api.PiiDataset;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a keyset encrypts, as the PII catalog in PostgreSQL records it (`dataset apply` writes it; read through
 * public.pii_catalog(), connect-config/sql/roles.sql): per table of a dataset, its row key column and the stored
 * values of the keyset's mode and name, with the associated data each is bound to. So no command names a table or
 * column by heart.
 */
final class DatasetColumns {

    /** The values of one table that the keyset encrypts. */
    record Table(String dataset, String table, String keyColumn, List<EncryptedColumn> values) {}

    private final PiiCatalog catalog;
    private final CipherMode mode;
    private final String keysetName;

    private DatasetColumns(PiiCatalog catalog, CipherMode mode, String keysetName) {
        this.catalog = catalog;
        this.mode = mode;
        this.keysetName = keysetName;
    }

    /**
     * The catalog's view of the keyset of {@code mode} used by {@code datasets}: {@code keysetName} as the catalog
     * names it, or null for the one name those datasets give their values of this mode (refused when they give
     * several).
     */
    static DatasetColumns read(Connection c, List<String> datasets, CipherMode mode, String keysetName)
            throws SQLException {
        PiiCatalog catalog = PiiCatalog.read(c);
        TreeSet<String> known = new TreeSet<>();
        catalog.datasets().forEach(d -> known.add(d.name()));
        TreeSet<String> names = new TreeSet<>();
        for (String name : datasets) {
            PiiDataset d = catalog.datasets().stream()
                    .filter(x -> x.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the PII catalog has no dataset '" + name
                            + "' (it has: "
                            + (known.isEmpty() ? "none; run dataset apply first" : String.join(", ", known))
                            + ")"));
            d.columns().stream()
                    .filter(col -> col.mode().equals(mode.configName()))
                    .forEach(col -> names.add(col.keyset()));
        }
        if (keysetName == null) {
            if (names.size() > 1) {
                throw new IllegalArgumentException("the " + mode.configName() + " values of " + datasets + " use the "
                        + "keysets " + names + ": name this one with --keyset-name");
            }
            keysetName = names.isEmpty() ? null : names.first();
        }
        return new DatasetColumns(catalog, mode, keysetName);
    }

    /** The catalog's name of the keyset (null when the datasets hold no value of its mode). */
    String keysetName() {
        return keysetName;
    }

    private boolean encryptedWithIt(PiiColumn col) {
        return col.mode().equals(mode.configName()) && col.keyset().equals(keysetName);
    }

    /** Per table of {@code dataset} (its table, then its rejected table), the values this keyset encrypts. */
    List<Table> tables(String dataset) {
        Map<String, Table> byTable = new LinkedHashMap<>();
        for (PiiDataset d : catalog.datasets()) {
            if (!d.name().equals(dataset)) {
                continue;
            }
            for (String table : d.tables()) {
                for (PiiColumn col : d.columns()) {
                    if (col.table().equals(table) && encryptedWithIt(col)) {
                        byTable.computeIfAbsent(
                                        table, t -> new Table(dataset, t, col.rowKeyColumn(), new ArrayList<>()))
                                .values()
                                .add(new EncryptedColumn(
                                        col.column(),
                                        col.associatedData(),
                                        col.inArray() ? col.arrayItemPointer() : null));
                    }
                }
            }
        }
        return new ArrayList<>(byTable.values());
    }

    /** The datasets of the whole catalog that hold values of this keyset (to retire a key, every one must be checked). */
    TreeSet<String> datasetsUsingIt() {
        TreeSet<String> out = new TreeSet<>();
        catalog.columns().stream().filter(this::encryptedWithIt).forEach(col -> out.add(col.dataset()));
        return out;
    }
}
