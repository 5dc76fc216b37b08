package io.sqspii.reveal.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PII catalog as {@code public.pii_catalog()} (connect-config/sql/roles.sql) returns it: what `dataset apply`
 * recorded in pii_datasets and pii_columns, readable by analysts, auditors and the reveal service's login. A
 * snapshot: read it again to see datasets applied since.
 */
public final class PiiCatalog {

    private final List<PiiDataset> datasets;

    private PiiCatalog(List<PiiDataset> datasets) {
        this.datasets = List.copyOf(datasets);
    }

    /** Reads the catalog over any JDBC connection (empty when no dataset is applied yet). */
    public static PiiCatalog read(Connection c) throws SQLException {
        Map<String, String[]> tables = new LinkedHashMap<>();
        Map<String, List<PiiColumn>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT dataset, dataset_table, rejected_table, table_name, "
                        + "row_key_column, column_name, json_pointer, in_array, array_item_pointer, mode, canonical, region, "
                        + "key_domain, associated_data, keyset FROM public.pii_catalog()");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String dataset = rs.getString(1);
                tables.putIfAbsent(dataset, new String[] {rs.getString(2), rs.getString(3)});
                columns.computeIfAbsent(dataset, d -> new ArrayList<>())
                        .add(new PiiColumn(
                                dataset,
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getBoolean(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                rs.getString(12),
                                rs.getString(13),
                                rs.getString(14),
                                rs.getString(15)));
            }
        }
        List<PiiDataset> out = new ArrayList<>();
        tables.forEach((d, t) -> out.add(new PiiDataset(d, t[0], t[1], columns.get(d))));
        return new PiiCatalog(out);
    }

    /** For callers that hold the rows already (tests). */
    public static PiiCatalog of(List<PiiDataset> datasets) {
        return new PiiCatalog(datasets);
    }

    /** The datasets, by name. */
    public List<PiiDataset> datasets() {
        return datasets;
    }

    /** Every protected value of every dataset. */
    public List<PiiColumn> columns() {
        return datasets.stream().flatMap(d -> d.columns().stream()).toList();
    }

    /** The protected values stored in {@code table}.{@code column} (several for an array with more PII leaves). */
    public List<PiiColumn> columns(String table, String column) {
        return columns().stream()
                .filter(c -> c.table().equals(table) && c.column().equals(column))
                .toList();
    }

    /** The dataset that owns {@code table} (as its table or rejected table). */
    public Optional<PiiDataset> datasetOf(String table) {
        return datasets.stream().filter(d -> d.tables().contains(table)).findFirst();
    }

    /** Every keyset the catalog names, sorted. */
    public List<String> keysets() {
        return columns().stream().map(PiiColumn::keyset).distinct().sorted().toList();
    }
}
