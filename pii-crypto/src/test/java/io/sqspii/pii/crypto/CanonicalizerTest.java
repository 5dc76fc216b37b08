package io.sqspii.pii.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalizerTest {

    @ParameterizedTest(name = "identifier [{0}]")
    @ValueSource(
            strings = {
                "abc-123",
                "ABC-123",
                " abc-123 ",
                "\u00a0abc-123\u00a0",
                "\u3000ABC-123\u2007",
                "\u200babc-123\ufeff",
                "\tAbC-123\n",
                "\uff21\uff22\uff23-\uff11\uff12\uff13",
                "\u202fAbc-123\u205f"
            })
    void identifierSpellingsOfOneDeviceIdAreOneValue(String spelling) {
        assertThat(Canonicalizer.IDENTIFIER.apply(spelling)).isEqualTo("abc-123");
    }

    @Test
    void identifierFoldsCaseBeyondAsciiAndKeepsInnerCharacters() {
        assertThat(Canonicalizer.IDENTIFIER.apply("STRASSE")).isEqualTo(Canonicalizer.IDENTIFIER.apply("straße"));
        assertThat(Canonicalizer.IDENTIFIER.apply("ΟΔΟΣ")).isEqualTo(Canonicalizer.IDENTIFIER.apply("οδος"));
        assertThat(Canonicalizer.IDENTIFIER.apply("a b")).isEqualTo("a b");
        assertThat(Canonicalizer.IDENTIFIER.apply("a\u00a0b")).isEqualTo("a b");
        // NFC and NFD spellings of é are one value
        assertThat(Canonicalizer.IDENTIFIER.apply("caf\u00e9")).isEqualTo(Canonicalizer.IDENTIFIER.apply("cafe\u0301"));
        assertThat(Canonicalizer.IDENTIFIER.apply("abc-123")).isNotEqualTo(Canonicalizer.IDENTIFIER.apply("abc-124"));
        assertThat(Canonicalizer.IDENTIFIER.apply("\u00a0 \u200b")).isEmpty();
    }

    @Test
    void trimAndLowercaseStripUnicodeSpacesToo() {
        assertThat(Canonicalizer.TRIM.apply("\u00a0AbC\u3000")).isEqualTo("AbC");
        assertThat(Canonicalizer.LOWERCASE.apply("\u00a0AbC\u200b")).isEqualTo("abc");
        assertThat(Canonicalizer.NONE.apply("\u00a0AbC")).isEqualTo("\u00a0AbC");
    }

    @ParameterizedTest(name = "ip [{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.1.2.3|10.1.2.3",
                "' 10.1.2.3\u00a0'|10.1.2.3",
                "0.0.0.0|0.0.0.0",
                "255.255.255.255|255.255.255.255",
                "2001:DB8:0:0:0:0:2:1|2001:db8::2:1",
                "2001:0db8:0000:0000:0001:0000:0000:0001|2001:db8::1:0:0:1",
                "0:0:0:0:0:0:0:1|::1",
                "::|::",
                "1:2:3:4:5:6:7::|1:2:3:4:5:6:7:0",
                "::ffff:10.1.2.3|10.1.2.3",
                "::FFFF:0a01:0203|10.1.2.3",
                "64:ff9b::1.2.3.4|64:ff9b::102:304",
            })
    void ipLiteralsPrintCanonically(String in, String out) {
        assertThat(Canonicalizer.IP.apply(in)).isEqualTo(out);
    }

    /** Not addresses: encrypted as sent (only stripped), so no two different inputs are merged. */
    @ParameterizedTest(name = "not an ip [{0}]")
    @ValueSource(
            strings = {
                "010.001.002.003",
                "010.1.2.3",
                "1.2.3.04",
                "00.1.2.3",
                "1.2.3.256",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.4::",
                "1.2.3.4::1",
                "::1.2.3.4:5",
                "::ffff:010.1.2.3",
                "1::2::3",
                ":1::",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "12345::",
                "g::1",
                "+1::",
                "\u0661::",
                "fe80::1%eth0",
                "not-an-ip.example",
                "0x7f.0.0.1",
                "1.2.3.\uff14"
            })
    void malformedOrAmbiguousAddressesAreKeptAsSent(String in) {
        assertThat(Canonicalizer.IP.apply(in)).isEqualTo(in);
        assertThat(Canonicalizer.IP.apply(" " + in + "\u00a0")).isEqualTo(in);
    }

    @Test
    void leadingZeroIsNotReadAsDecimalNorOctal() {
        // inet_aton reads 010 as 8, most parsers as 10: neither merge is made
        assertThat(Canonicalizer.IP.apply("010.0.0.1")).isNotIn("10.0.0.1", "8.0.0.1");
    }

    @Test
    void parse() {
        assertThat(Canonicalizer.parse(" Identifier ")).isEqualTo(Canonicalizer.IDENTIFIER);
        assertThatThrownBy(() -> Canonicalizer.parse("soundex"))
                .isInstanceOf(PiiCryptoException.class)
                .hasMessageContaining("identifier");
    }

    private static final Canonicalizer.Options PRESERVE =
            new Canonicalizer.Options(Canonicalizer.LocalCase.PRESERVE, "");
    private static final Canonicalizer.Options SWISS = new Canonicalizer.Options(Canonicalizer.LocalCase.LOWER, "CH");

    @ParameterizedTest(name = "email [{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "Ann.Lee@Example.ORG|ann.lee@example.org",
                "'\u00a0 ann.lee@example.org\u200b '|ann.lee@example.org",
                "ANN.LEE@EXAMPLE.ORG|ann.lee@example.org",
                // the last @ separates the domain; a quoted local part keeps its @
                "\"a@b\"@Example.org|\"a@b\"@example.org",
                // one IDNA spelling: the Unicode one, which is no larger than the ASCII one
                "ann@B\u00dcCHER.de|ann@b\u00fccher.de",
                "ann@xn--bcher-kva.de|ann@b\u00fccher.de",
                "ann@XN--BCHER-KVA.DE|ann@b\u00fccher.de",
            })
    void emailSpellingsOfOneAddressAreOneValue(String in, String out) {
        assertThat(Canonicalizer.EMAIL.apply(in)).isEqualTo(out);
        assertThat(Canonicalizer.fits(Canonicalizer.EMAIL.apply(in), in))
                .as("never larger than sent")
                .isTrue();
    }

    @Test
    void emailLocalPartCaseCanBePreserved() {
        assertThat(Canonicalizer.EMAIL.apply(" Ann.Lee@Example.ORG ", PRESERVE)).isEqualTo("Ann.Lee@example.org");
        assertThat(Canonicalizer.parse("EMAIL")).isEqualTo(Canonicalizer.EMAIL);
    }

    /** Not addresses: kept as sent, only trimmed; never rejected. */
    @ParameterizedTest(name = "not an email [{0}]")
    @ValueSource(
            strings = {
                "no-at-sign",
                "@example.org",
                "ann@",
                "@",
                "Ann Lee <junk>",
                "ann@exa..mple.org",
                "ann@x123456789x123456789x123456789x123456789x123456789x123456789x123456789.org"
            })
    void junkIsKeptTrimmed(String in) {
        String out = Canonicalizer.EMAIL.apply(" " + in + " ");
        if (in.indexOf('@') <= 0 || in.endsWith("@")) {
            assertThat(out).isEqualTo(in);
        } else { // local@domain whose domain has no IDNA form: lower-cased as written
            assertThat(out).isEqualTo(in.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @ParameterizedTest(name = "phone [{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "+41 44 668 18 00|+41446681800",
                "'  +41 (0)44 668-18-00 '|+41446681800",
                "+1 650-253-0000|+16502530000",
                "+1 (650) 253 0000|+16502530000",
                "\uff0b\uff14\uff11 44 668 18 00|+41446681800",
            })
    void phoneNumbersWithCountryCodePrintAsE164(String in, String out) {
        assertThat(Canonicalizer.PHONE.apply(in)).isEqualTo(out);
        assertThat(Canonicalizer.PHONE.apply(in, SWISS)).isEqualTo(out);
    }

    @Test
    void nationalNumbersNeedTheDefaultRegion() {
        assertThat(Canonicalizer.PHONE.apply("044 668 18 00"))
                .as("no region: as given")
                .isEqualTo("044 668 18 00");
        assertThat(Canonicalizer.PHONE.apply(" 044 668 18 00 ", SWISS)).isEqualTo("+41446681800");
        // E.164 would be larger than the number as written: kept (the size bound), never dead-lettered
        assertThat(Canonicalizer.PHONE.apply("0446681800", SWISS)).isEqualTo("0446681800");
    }

    /** Not phone numbers (or not only one): encrypted as given, trimmed; never dropped. */
    @ParameterizedTest(name = "not a phone [{0}]")
    @ValueSource(
            strings = {
                "call me maybe",
                "+",
                "+0 123",
                "+41 1",
                "12",
                "+1 650 253 0000 ext. 123",
                "+1 650 253 0000;ext=9",
                "+999 123 456 789",
                "\u0000\u0001"
            })
    void unparseableNumbersAreKeptTrimmed(String in) {
        assertThat(Canonicalizer.PHONE.apply(in + "\u00a0", SWISS)).isEqualTo(Canonicalizer.strip(in));
        assertThat(Canonicalizer.PHONE.apply("x".repeat(100_000))).hasSize(100_000);
    }
}
