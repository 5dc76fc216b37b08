package io.sqspii.inspector;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Exports the rows of a filtered, sorted view to CSV (RFC 4180, header row, UTF-8). It writes
 * stored values only: PII columns stay ciphertext; revealed plaintext is never part of a row.
 */
final class CsvExport {

    static final int BATCH = 1000;

    private CsvExport() {
    }

    /**
     * Writes every row matching {@code filter} in {@code sort} order, walking the table with keyset
     * pages; writes to a temporary file first so a cancelled export leaves no half file.
     *
     * @return the number of data rows written
     */
    static long export(InspectorRepository repo, TableSpec table, Filter filter, Sort sort, Path target,
                       BooleanSupplier cancelled) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".export-", ".csv.part");
        long n = 0;
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                writeLine(w, table.columns().stream().map(Column::name).map(s -> (Object) s).toList());
                Page.Cursor after = null;
                do {
                    if (cancelled.getAsBoolean()) {
                        throw new InspectorException("Export cancelled.");
                    }
                    Page page = repo.page(table, filter, sort, after, BATCH);
                    for (Row row : page.rows()) {
                        writeLine(w, row.values());
                        n++;
                    }
                    after = page.next();
                } while (after != null);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void writeLine(Writer w, List<Object> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(field(values.get(i)));
        }
        w.write("\r\n");
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
