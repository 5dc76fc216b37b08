package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV cells a spreadsheet would run as formulas are neutralised; timestamps have one fixed precision. */
class CsvExportTest {

    @Test
    void formulaPrefixesAreNeutralisedWithAQuote() {
        assertThat(CsvExport.field("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(CsvExport.field("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(CsvExport.field("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvExport.field("@SUM(A1:A2)")).isEqualTo("'@SUM(A1:A2)");
        assertThat(CsvExport.field("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvExport.field("\r=1")).isEqualTo("\"'\r=1\"");
        // only the first character counts; ordinary values are untouched
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
}
