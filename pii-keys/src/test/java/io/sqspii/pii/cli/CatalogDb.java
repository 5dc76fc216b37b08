package io.sqspii.pii.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqspii.dataset.DatasetCli;
import io.sqspii.reveal.api.PiiCatalog;
import io.sqspii.reveal.api.PiiColumn;
import io.sqspii.testsupport.FreshDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine;

/**
 * A {@link FreshDatabase} on the tests' server (see {@link LoginTable#SERVER}) with connect-config/sql applied and the
 * shipped dataset definitions applied by `dataset apply`, as a deployment does; rows are written from the PII catalog
 * alone, so no table or column is named here. A LOGIN role in pii_reencryptor unique to this database.
 * {@link #close()} drops both.
 */
final class CatalogDb implements AutoCloseable {
    static final Path DATASETS_DIR = Path.of("../datasets");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The password of every login made here. */
    private static final String LOGIN_PASSWORD = "pw";

    /** The database's URL for the commands, run as {@link #reencryptor} or another login made here. */
    final String url;

    final String reencryptor;
    private final FreshDatabase db;

    CatalogDb(String... datasets) throws SQLException {
        db = LoginTable.SERVER.freshDatabase("piikeys_catalog");
        db.applySchema();
        reencryptor = createLogin("pii_reencryptor");
        url = LoginTable.withPassword(db.url(), LOGIN_PASSWORD);
        for (String d : datasets) {
            db.applyDataset(
                    DATASETS_DIR.resolve(d),
                    (out, args) -> new CommandLine(new DatasetCli())
                            .setOut(out)
                            .setErr(out)
                            .execute(args));
        }
    }

    /** A new superuser connection to the database. */
    Connection connect() throws SQLException {
        return db.connect();
    }

    /** A LOGIN role unique to this database, member of {@code group}, dropped on close. */
    String createLogin(String group) throws SQLException {
        return db.createLogin(LOGIN_PASSWORD, group);
    }

    /** A new connection as a login of {@link #createLogin}. */
    Connection connectAs(String login) throws SQLException {
        return db.connectAs(login, LOGIN_PASSWORD);
    }

    PiiCatalog catalog() throws SQLException {
        try (Connection c = connect()) {
            return PiiCatalog.read(c);
        }
    }

    /**
     * Inserts {@code rows} rows into each table of {@code dataset}: every PII value the catalog lists is
     * {@code encrypt.apply(catalog row, plaintext)} of a plaintext made from the row, the column and the array index
     * (two elements per array); other NOT NULL columns get a value of their type.
     */
    void insert(String dataset, int rows, BiFunction<PiiColumn, String, String> encrypt) throws SQLException {
        PiiCatalog catalog = catalog();
        Map<String, List<PiiColumn>> byTable = new LinkedHashMap<>();
        catalog.columns().stream()
                .filter(c -> c.dataset().equals(dataset))
                .forEach(c -> byTable.computeIfAbsent(c.table(), t -> new ArrayList<>())
                        .add(c));
        try (Connection c = connect()) {
            for (Map.Entry<String, List<PiiColumn>> t : byTable.entrySet()) {
                Map<String, String> required = requiredColumns(c, t.getKey());
                for (int r = 0; r < rows; r++) {
                    Map<String, String> values = new LinkedHashMap<>(); // column -> SQL literal expression
                    Map<String, Object> params = new LinkedHashMap<>();
                    required.forEach((col, type) -> values.put(col, filler(type)));
                    String key = t.getValue().get(0).rowKeyColumn();
                    values.put(key, "?");
                    params.put(key, rowKey(required.get(key), r));
                    Map<String, ArrayNode> arrays = new LinkedHashMap<>();
                    for (PiiColumn col : t.getValue()) {
                        if (!col.inArray()) {
                            values.put(col.column(), "?");
                            params.put(col.column(), encrypt.apply(col, plaintext(r, col, -1)));
                            continue;
                        }
                        ArrayNode array = arrays.computeIfAbsent(col.column(), k -> {
                            ArrayNode a = JSON.createArrayNode();
                            a.addObject();
                            a.addObject();
                            return a;
                        });
                        for (int i = 0; i < 2; i++) {
                            String ct = encrypt.apply(col, plaintext(r, col, i));
                            if (col.arrayItemPointer().isEmpty()) {
                                array.set(i, JSON.getNodeFactory().textNode(ct));
                            } else {
                                ((ObjectNode) array.get(i))
                                        .put(col.arrayItemPointer().substring(1), ct);
                            }
                        }
                    }
                    arrays.forEach((col, a) -> {
                        values.put(col, "?::jsonb");
                        params.put(col, a.toString());
                    });
                    String sql = "INSERT INTO " + t.getKey() + " (" + String.join(", ", values.keySet()) + ") VALUES ("
                            + String.join(", ", values.values()) + ")";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        for (String col : values.keySet()) {
                            if (params.containsKey(col)) {
                                ps.setObject(i++, params.get(col));
                            }
                        }
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    /** The plaintext of row r's value of {@code col} (element {@code index} of an array, -1 outside arrays). */
    static String plaintext(int r, PiiColumn col, int index) {
        return col.column() + col.arrayItemPointer() + "#" + r + (index < 0 ? "" : "[" + index + "]");
    }

    /** Every stored ciphertext of {@code dataset} with its catalog row: text cells, and each value in array cells. */
    List<Map.Entry<PiiColumn, String>> ciphertexts(String dataset) throws SQLException {
        List<Map.Entry<PiiColumn, String>> out = new ArrayList<>();
        try (Connection c = connect()) {
            for (PiiColumn col : catalog().columns()) {
                if (!col.dataset().equals(dataset)) {
                    continue;
                }
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT " + col.column() + "::text FROM " + col.table()
                                + " ORDER BY " + col.rowKeyColumn())) {
                    while (rs.next()) {
                        if (!col.inArray()) {
                            out.add(Map.entry(col, rs.getString(1)));
                            continue;
                        }
                        try {
                            JSON.readTree(rs.getString(1))
                                    .forEach(e -> out.add(Map.entry(
                                            col, e.at(col.arrayItemPointer()).asText())));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> requiredColumns(Connection c, String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = ? AND is_nullable = 'NO' AND column_default IS NULL "
                + "ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static String filler(String type) {
        return switch (type) {
            case "bigint", "integer", "double precision", "numeric" -> "1";
            case "boolean" -> "false";
            case "jsonb" -> "'[]'::jsonb";
            case "date" -> "current_date";
            case "timestamp with time zone" -> "now()";
            default -> "'x'";
        };
    }

    private static Object rowKey(String type, int r) {
        return "bigint".equals(type) ? (Object) (long) r : String.format("m-%06d", r);
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
