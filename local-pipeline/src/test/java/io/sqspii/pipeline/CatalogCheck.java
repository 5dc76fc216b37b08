package io.sqspii.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqspii.pii.crypto.Canonicalizer;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.KeysetSource;
import io.sqspii.pii.crypto.PiiCipher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a dataset's rows against the events sent, through the PII catalog alone (no knowledge of the dataset in
 * code): for every catalog row of the table, every stored ciphertext — a column, or the values at the item pointer
 * of every element of a jsonb array — decrypts, with the catalog's keyset and associated data, to the canonical form
 * of the value the event held at that JSON Pointer; an absent or null value is stored as null.
 */
final class CatalogCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One PII catalog row. */
    record PiiColumn(
            String column,
            String jsonPointer,
            boolean inArray,
            String itemPointer,
            String mode,
            String canonical,
            String region,
            String associatedData,
            String keyset) {}

    private CatalogCheck() {}

    static List<PiiColumn> columns(PipelineDatabase db, String table) throws SQLException {
        List<PiiColumn> out = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT column_name, json_pointer, "
                        + "in_array, array_item_pointer, mode, canonical, region, associated_data, keyset FROM public.pii_columns "
                        + "WHERE table_name = ? ORDER BY column_name, array_item_pointer")) {
            ps.setString(1, table);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.add(new PiiColumn(
                            r.getString(1),
                            r.getString(2),
                            r.getBoolean(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getString(7),
                            r.getString(8),
                            r.getString(9)));
                }
            }
        }
        return out;
    }

    /**
     * Asserts every PII value of every row keyed by a sent message id; returns how many values it checked.
     * {@code bodies}: message id to the body sent.
     */
    static int assertRows(
            PipelineDatabase db,
            Path projectDir,
            RunDataset dataset,
            Map<String, String> bodies,
            Map<String, Path> keysets)
            throws Exception {
        List<PiiColumn> pii = columns(db, dataset.table());
        assertThat(pii).as("catalog rows of " + dataset.table()).isNotEmpty();
        Map<String, PiiCipher> ciphers = new HashMap<>();
        int checked = 0;
        try (Connection c = db.connect()) {
            for (PiiColumn col : pii) {
                PiiCipher cipher = ciphers.computeIfAbsent(
                        col.keyset() + "|" + col.associatedData(),
                        k -> PiiCipher.withConstantAssociatedData(
                                KeysetSource.cleartextFile(keysets.get(col.keyset())),
                                CipherMode.parse(col.mode()),
                                col.associatedData()));
                String sql = "SELECT message_id, \"" + col.column() + "\"" + (col.inArray() ? "::text" : "")
                        + " FROM public.\"" + dataset.table() + "\"";
                try (PreparedStatement ps = c.prepareStatement(sql);
                        ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        String body = bodies.get(r.getString(1));
                        if (body == null) {
                            continue;
                        }
                        JsonNode event = JSON.readTree(body);
                        String stored = r.getString(2);
                        if (!col.inArray()) {
                            checked += assertValue(cipher, col, event.at(col.jsonPointer()), stored);
                            continue;
                        }
                        JsonNode sentArray = event.at(col.jsonPointer());
                        JsonNode storedArray = stored == null ? JSON.nullNode() : JSON.readTree(stored);
                        assertThat(storedArray.size())
                                .as(col.column() + " elements")
                                .isEqualTo(sentArray.size());
                        for (int i = 0; i < sentArray.size(); i++) {
                            JsonNode storedLeaf = storedArray.get(i).at(col.itemPointer());
                            checked += assertValue(
                                    cipher,
                                    col,
                                    sentArray.get(i).at(col.itemPointer()),
                                    storedLeaf.isMissingNode() || storedLeaf.isNull() ? null : storedLeaf.asText());
                        }
                    }
                }
            }
        }
        return checked;
    }

    private static int assertValue(PiiCipher cipher, PiiColumn col, JsonNode sent, String stored) {
        if (sent.isMissingNode() || sent.isNull()) {
            assertThat(stored)
                    .as(col.column() + col.itemPointer() + " of an absent value")
                    .isNull();
            return 1;
        }
        String expected = Canonicalizer.valueOf(col.canonical().toUpperCase(Locale.ROOT))
                .apply(
                        sent.asText(),
                        new Canonicalizer.Options(
                                Canonicalizer.LocalCase.LOWER, col.region() == null ? "" : col.region()));
        assertThat(stored).as(col.column() + col.itemPointer()).isNotNull().isNotEqualTo(sent.asText());
        if (col.mode().equals("hmac")) {
            assertThat(stored).isEqualTo(cipher.encrypt("", expected));
        } else {
            assertThat(cipher.decrypt("", stored))
                    .as(col.column() + col.itemPointer())
                    .isEqualTo(expected);
        }
        return 1;
    }

    /** Every PII value of the bodies, as sent (to look for in topics, tables and logs). */
    static List<String> plaintexts(PipelineDatabase db, RunDataset dataset, Iterable<String> bodies) throws Exception {
        List<PiiColumn> pii = columns(db, dataset.table());
        List<String> out = new ArrayList<>();
        for (String body : bodies) {
            JsonNode event;
            try {
                event = JSON.readTree(body);
            } catch (java.io.IOException notJson) {
                continue;
            }
            if (event == null || !event.isObject()) {
                continue;
            }
            for (PiiColumn col : pii) {
                JsonNode at = event.at(col.jsonPointer());
                if (col.inArray()) {
                    for (JsonNode element : at) {
                        add(out, element.at(col.itemPointer()));
                    }
                } else {
                    add(out, at);
                }
            }
        }
        return out;
    }

    private static void add(List<String> out, JsonNode value) {
        // short values ("a", "12") would match anywhere by chance: only those that identify
        if (value.isTextual() && value.asText().strip().length() >= 6) {
            out.add(value.asText().strip());
        }
    }
}
