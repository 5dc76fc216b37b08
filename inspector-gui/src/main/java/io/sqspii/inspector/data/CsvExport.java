package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Exports the rows of a filtered, sorted view to CSV (RFC 4180, header row, UTF-8). It writes
 * stored values only: PII columns stay ciphertext; revealed plaintext is never part of a row.
 *
 * <p>A text cell that a spreadsheet would run as a formula (it starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) is written with a leading {@code '}, so a queue
 * message such as {@code =HYPERLINK(...)} stays text when the file is opened in Excel or LibreOffice.
 * The same holds after every character some locale or importer splits fields at ({@value #DELIMITERS}):
 * a spreadsheet whose list separator is ';' (de-DE Excel opened by double-click) cuts
 * {@code x;=HYPERLINK(...)} into two cells, quotes or not, so it is written {@code "x;'=HYPERLINK(...)"}.
 * Fields holding any of those characters or a quote are quoted.
 * Timestamps are written in UTC with a fixed six-digit fraction (PostgreSQL's precision), so they
 * sort correctly as text.
 */
public final class CsvExport {

    static final int BATCH = 1000;

    private CsvExport() {}

    /**
     * Writes every row matching {@code filter} in {@code sort} order, walking the table with keyset
     * pages; writes to a temporary file first so a cancelled export leaves no half file.
     *
     * @return the number of data rows written
     */
    public static long export(
            InspectorRepository repo, TableSpec table, Filter filter, Sort sort, Path target, BooleanSupplier cancelled)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".export-", ".csv.part");
        long n = 0;
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                writeLine(
                        w,
                        table.columns().stream()
                                .map(Column::name)
                                .map(s -> (Object) s)
                                .toList());
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

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof OffsetDateTime t
                ? TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC))
                : neutraliseFormula(value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || DELIMITERS.indexOf(c) >= 0) {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    /** Where a spreadsheet in some locale, or an importer guessing the separator, starts a new field. */
    static final String DELIMITERS = ",;\t\r\n";

    /**
     * Prefixes {@code '} to every part of the value a spreadsheet could take as a cell of its own and
     * evaluate (CSV injection): the value itself and whatever follows a delimiter, after any spaces and
     * quotes there.
     */
    static String neutraliseFormula(String s) {
        StringBuilder out = new StringBuilder(s.length() + 1);
        boolean cellStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (cellStart && (c == ' ' || c == '"')) {
                out.append(c);
                continue;
            }
            if (cellStart && (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r')) {
                out.append('\'');
            }
            out.append(c);
            cellStart = DELIMITERS.indexOf(c) >= 0;
        }
        return out.toString();
    }
}
