package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCompilerTest {

    /** A value that must never appear in a message: it stands for PII someone pasted into a schema. */
    private static final String SECRET = "ada.lovelace@example.com";

    private static List<String> problems(String schema) throws Exception {
        JsonNode n = Definition.JSON.readTree(schema.replace('\'', '"'));
        try {
            SchemaCompiler.compile("event.schema.json", n);
        } catch (DefinitionException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e.problems();
        }
        throw new AssertionError("accepted: " + schema);
    }

    private static String wrap(String property) {
        return "{'type':'object','properties':{'customer':{'type':'object','properties':{'email':" + property + "}}}}";
    }

    @Test
    void anUnsupportedKeywordIsRefusedAtItsPointerWithTheSupportedListAndNoValue() throws Exception {
        assertThat(problems(wrap("{'type':'string','pattern':'" + SECRET + "'}")))
                .containsExactly(
                        "event.schema.json#/properties/customer/properties/email/pattern: unsupported keyword; "
                                + "the supported keywords are type, properties, required, items, enum, format, minLength, "
                                + "maxLength, minItems, maxItems, minimum, exclusiveMinimum, maximum, exclusiveMaximum, "
                                + "additionalProperties, title, description, $comment, examples, deprecated, readOnly, "
                                + "writeOnly, x-pii");
        assertThat(problems(wrap("{'type':'string','default':'" + SECRET + "'}"))
                        .get(0))
                .startsWith("event.schema.json#/properties/customer/properties/email/default: unsupported keyword");
        assertThat(problems(wrap("{'$ref':'#/" + SECRET + "'}")))
                .anyMatch(p -> p.startsWith("event.schema.json#/properties/customer/properties/email/$ref: "));
        assertThat(problems("{'type':'object','properties':{'a~b/c':{'type':'string','const':'" + SECRET + "'}}}"))
                .anyMatch(p -> p.startsWith("event.schema.json#/properties/a~0b~1c: a property name must be"));
    }

    @Test
    void badValuesOfSupportedKeywordsNameThePointerNotTheValue() throws Exception {
        assertThat(problems(wrap("{'type':'string','format':'" + SECRET + "'}")))
                .containsExactly("event.schema.json#/properties/customer/properties/email/format: unsupported format; "
                        + "the supported formats are date-time, date, uuid, email, ipv4, ipv6");
        assertThat(problems(wrap("{'type':'integer','enum':[1,'" + SECRET + "']}")))
                .containsExactly("event.schema.json#/properties/customer/properties/email/enum/1: enum member does not "
                        + "have the property's type");
        assertThat(problems(wrap("{'type':'" + SECRET + "'}")))
                .allMatch(p -> p.startsWith("event.schema.json#/properties/customer/properties/email/type: "));
        assertThat(problems(wrap("{'type':['string','integer']}")))
                .allMatch(p -> p.startsWith("event.schema.json#/properties/customer/properties/email/type: "));
        assertThat(problems(wrap("{'type':'string','maxLength':'" + SECRET + "'}")))
                .containsExactly("event.schema.json#/properties/customer/properties/email/maxLength: maxLength must be "
                        + "a non-negative integer");
        assertThat(problems("{'type':'object','properties':{'a':{'type':'string'}},'required':['a','" + SECRET + "']}"))
                .containsExactly("event.schema.json#/required/1: names a property that is not declared in properties");
        assertThat(problems(wrap("{'type':'object','properties':{'x':{'type':'string'}},"
                        + "'additionalProperties':{'type':'string'}}")))
                .containsExactly("event.schema.json#/properties/customer/properties/email/additionalProperties: "
                        + "additionalProperties must be true or false");
        assertThat(problems(wrap("{'type':'integer','maxItems':3}")))
                .containsExactly("event.schema.json#/properties/customer/properties/email/maxItems: maxItems applies "
                        + "to array schemas only");
    }

    @Test
    void boundsAreCompiledIntoTheTree() throws Exception {
        SchemaNode root = EventSchema.compile(
                "event.schema.json",
                Definition.JSON.readTree(("{'type':'object',"
                                + "'properties':{'age':{'type':'integer','minimum':0,'maximum':120},"
                                + "'ratio':{'type':['number','null'],'exclusiveMinimum':0,'exclusiveMaximum':1.5},"
                                + "'big':{'type':'integer','minimum':-20000000000000000000,'exclusiveMaximum':0.5},"
                                + "'code':{'type':'string','minLength':2,'maxLength':2},"
                                + "'tags':{'type':'array','minItems':1,'items':{'type':'string','minLength':0}},"
                                + "'plain':{'type':'number'}}}")
                        .replace('\'', '"')));
        SchemaNode age = root.properties().get(0).node();
        assertThat(age.range()).isEqualTo(new SchemaNode.Range(new BigDecimal("0"), null, new BigDecimal("120"), null));
        assertThat(age.range().lowestInteger()).isEqualTo(BigInteger.ZERO);
        assertThat(age.range().highestInteger()).isEqualTo(BigInteger.valueOf(120));
        SchemaNode.Range ratio = root.properties().get(1).node().range();
        assertThat(ratio.outside(new BigDecimal("0"))).isEqualTo("exclusiveMinimum");
        assertThat(ratio.outside(new BigDecimal("1E-300"))).isNull();
        assertThat(ratio.outside(new BigDecimal("1.49999999999999999999"))).isNull();
        assertThat(ratio.outside(new BigDecimal("1.5"))).isEqualTo("exclusiveMaximum");
        assertThat(ratio.bound("exclusiveMaximum")).isEqualByComparingTo("1.5");
        SchemaNode.Range big = root.properties().get(2).node().range();
        assertThat(big.outside(new BigDecimal("-20000000000000000001"))).isEqualTo("minimum");
        assertThat(big.lowestInteger()).isEqualTo(new BigInteger("-20000000000000000000"));
        assertThat(big.highestInteger()).as("below 0.5").isEqualTo(BigInteger.ZERO);
        SchemaNode code = root.properties().get(3).node();
        assertThat(code.minLength()).isEqualTo(2);
        assertThat(code.maxLength()).isEqualTo(2);
        assertThat(code.range()).isNull();
        SchemaNode tags = root.properties().get(4).node();
        assertThat(tags.minItems()).isEqualTo(1);
        assertThat(tags.maxItems()).isEqualTo(-1);
        assertThat(tags.items().minLength()).isZero();
        assertThat(root.properties().get(5).node().range()).isNull();
        assertThat(root.properties().get(5).node().minLength()).isEqualTo(-1);
    }

    @Test
    void badBoundsAreRefusedAtTheirPointer() throws Exception {
        String at = "event.schema.json#/properties/customer/properties/email";
        assertThat(problems(wrap("{'type':'integer','maximum':'" + SECRET + "'}")))
                .containsExactly(at + "/maximum: maximum must be a number");
        assertThat(problems(wrap("{'type':'number','minimum':null,'exclusiveMaximum':[1]}")))
                .containsExactly(
                        at + "/minimum: minimum must be a number",
                        at + "/exclusiveMaximum: exclusiveMaximum must be a number");
        assertThat(problems(wrap("{'type':'integer','minimum':0,'exclusiveMinimum':true}")))
                .containsExactly(at + "/exclusiveMinimum: exclusiveMinimum must be a number (in 2020-12 it is the "
                        + "bound itself, not a flag beside minimum or maximum)");
        assertThat(problems(wrap("{'type':'number','maximum':1e400}")))
                .containsExactly(at + "/maximum: maximum must be a number");
        assertThat(problems(wrap("{'type':'string','minimum':1,'maxLength':3}")))
                .containsExactly(at + "/minimum: minimum applies to integer and number schemas only");
        assertThat(problems(wrap("{'type':['boolean','null'],'exclusiveMaximum':1}")))
                .containsExactly(at + "/exclusiveMaximum: exclusiveMaximum applies to integer and number schemas only");
        assertThat(problems(wrap("{'type':'integer','minLength':1}")))
                .containsExactly(at + "/minLength: minLength applies to string schemas only");
        assertThat(problems(wrap("{'type':'string','minItems':1}")))
                .containsExactly(at + "/minItems: minItems applies to array schemas only");
        assertThat(problems(wrap("{'type':'string','minLength':-1}")))
                .containsExactly(at + "/minLength: minLength must be a non-negative integer");
        assertThat(problems(wrap("{'type':'array','items':{'type':'string'},'minItems':1.5}")))
                .containsExactly(at + "/minItems: minItems must be a non-negative integer");
    }

    @Test
    void contradictoryBoundsAreRefused() throws Exception {
        String at = "event.schema.json#/properties/customer/properties/email";
        assertThat(problems(wrap("{'type':'integer','minimum':121,'maximum':120}")))
                .containsExactly(at + ": minimum is greater than maximum: no value fits");
        assertThat(problems(wrap("{'type':'number','exclusiveMinimum':1,'maximum':1}")))
                .containsExactly(at + ": exclusiveMinimum is not less than maximum: no value fits");
        assertThat(problems(wrap("{'type':'number','minimum':2.5,'exclusiveMaximum':2.5}")))
                .containsExactly(at + ": minimum is not less than exclusiveMaximum: no value fits");
        assertThat(problems(wrap("{'type':'number','exclusiveMinimum':3,'exclusiveMaximum':2}")))
                .containsExactly(at + ": exclusiveMinimum is not less than exclusiveMaximum: no value fits");
        assertThat(problems(wrap("{'type':'integer','exclusiveMinimum':1,'exclusiveMaximum':2}")))
                .containsExactly(at + ": no 64-bit integer lies within its bounds");
        assertThat(problems(wrap("{'type':'integer','minimum':0.2,'maximum':0.8}")))
                .containsExactly(at + ": no 64-bit integer lies within its bounds");
        assertThat(problems(wrap("{'type':'integer','minimum':9223372036854775808}")))
                .containsExactly(at + ": no 64-bit integer lies within its bounds");
        assertThat(problems(wrap("{'type':'string','minLength':4,'maxLength':3}")))
                .containsExactly(at + ": minLength is greater than maxLength: no string fits");
        assertThat(problems(wrap("{'type':'array','items':{'type':'string'},'minItems':2,'maxItems':1}")))
                .containsExactly(at + ": minItems is greater than maxItems: no array fits");
        // Equal inclusive bounds leave one value: a constant, not a contradiction.
        EventSchema.compile(
                "event.schema.json",
                Definition.JSON.readTree(wrap("{'type':'integer','minimum':7," + "'maximum':7,'exclusiveMinimum':6.5}")
                        .replace('\'', '"')));
        EventSchema.compile(
                "event.schema.json",
                Definition.JSON.readTree(wrap("{'type':'integer'," + "'maximum':9223372036854775807}")
                        .replace('\'', '"')));
    }

    @Test
    void theReferenceListsEverySupportedKeyword() throws Exception {
        String readme = Files.readString(TestDb.REPO.resolve("dataset/README.md"));
        String subset = readme.substring(
                readme.indexOf("### event.schema.json"), readme.indexOf("**Anything else is " + "refused**"));
        assertThat(EventSchema.SUPPORTED_KEYWORDS)
                .allSatisfy(k -> assertThat(subset).contains("`" + k + "`"));
    }

    @Test
    void badPiiAnnotationsNameThePointerNotTheValue() throws Exception {
        String at = "event.schema.json#/properties/customer/properties/email/x-pii";
        assertThat(problems(wrap("{'type':'string','x-pii':{'mode':'" + SECRET + "'}}")))
                .containsExactly(at + "/mode: mode must be one of deterministic, randomized, hmac");
        assertThat(problems(wrap("{'type':'string','x-pii':{'mode':'deterministic','canonical':'phone'}}")))
                .containsExactly(at + ": canonical phone needs a region (ISO 3166 alpha-2, e.g. US): the country of "
                        + "numbers written without +");
        assertThat(problems(wrap("{'type':'string','x-pii':{'mode':'hmac','region':'US'}}")))
                .containsExactly(at + "/region: region applies to canonical phone only");
        assertThat(problems(wrap("{'type':'string','x-pii':{'mode':'hmac','salt':'" + SECRET + "'}}")))
                .containsExactly(at + "/salt: unsupported x-pii key; the supported keys are mode, canonical, region, "
                        + "domain, column");
        assertThat(problems(wrap("{'type':'string','x-pii':{'mode':'hmac','domain':'" + SECRET + "'}}")))
                .containsExactly(at + "/domain: a key domain is a lower-case name ([a-z][a-z0-9_]*, at most 63 "
                        + "characters)");
        assertThat(problems(wrap("{'type':'integer','x-pii':{'mode':'hmac'}}")))
                .containsExactly(at + ": x-pii applies to string properties only (the ciphertext is text)");
        assertThat(problems("{'type':'object','properties':{'items':{'type':'array','items':{'type':'object',"
                        + "'properties':{'n':{'type':'string','x-pii':{'mode':'randomized','column':'x'}}}}}}}"))
                .containsExactly("event.schema.json#/properties/items/items/properties/n/x-pii/column: a value inside "
                        + "an array is stored in the array's jsonb column: no column of its own");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        assertThat(problems("{'type':'object','properties':{'a':{'type':'string','pattern':'x'},"
                        + "'b':{'type':'number','format':'date'}},'if':true}"))
                .hasSize(3);
    }

    @Test
    void datasetJsonProblemsNameTheKeyAndParseErrorsOnlyThePosition(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("dataset.json"),
                "{\"name\": \"" + SECRET + "\", \"queue\": \"q\", \"topic\": " + "\"t\", \"password\": \"" + SECRET
                        + "\"}");
        Files.copy(Fixtures.folder("orders").resolve("event.schema.json"), dir.resolve("event.schema.json"));
        assertThatThrownBy(() -> Definition.load(dir))
                .isInstanceOf(DefinitionException.class)
                .hasMessageNotContaining(SECRET)
                .hasMessageContaining("dataset.json#/password: unsupported key")
                .hasMessageContaining("dataset.json#/name: must be a lower-case identifier");
        Files.writeString(dir.resolve("dataset.json"), "{\"name\": \"orders\", \"queue\": \"" + SECRET + "\"\n  oops");
        assertThatThrownBy(() -> Definition.load(dir))
                .isInstanceOf(DefinitionException.class)
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("oops")
                .hasMessage("dataset.json: not valid JSON at line 2, column 3");
    }

    @Test
    void theShippedDefinitionsCompile() throws Exception {
        Definition ul = Fixtures.load("user_logins");
        assertThat(ul.table()).isEqualTo("user_logins");
        assertThat(ul.rejectedTable()).isEqualTo("user_logins_rejected");
        assertThat(ul.keyDomain()).isEqualTo("user_logins");
        Definition orders = Fixtures.load("orders");
        assertThat(orders.event().properties())
                .extracting(SchemaNode.Property::name)
                .containsExactly(
                        "order_id", "placed_at", "status", "customer", "items", "total", "gift", "delivery_date");
    }

    @Test
    void harmlessAnnotationsAreAcceptedAndTheConstraintsAreKeptInTheTree() throws Exception {
        JsonNode n =
                Definition.JSON.readTree(("{'$schema':'https://json-schema.org/draft/2020-12/schema','$id':'urn:x',"
                                + "'$comment':'c','title':'T','examples':[{}],'type':'object','additionalProperties':false,'properties':{"
                                + "'s':{'type':['string','null'],'enum':['a',null],'maxLength':4,'deprecated':true,'readOnly':false,"
                                + "'writeOnly':false,'examples':['" + SECRET + "'],'$comment':'c','description':'d'},"
                                + "'n':{'type':'integer','enum':[1,20000000000000000000]},"
                                + "'l':{'type':'array','maxItems':2,'items':{'type':'object','properties':{'x':{'type':'boolean'}}}}}}")
                        .replace('\'', '"'));
        SchemaNode root = EventSchema.compile("event.schema.json", n);
        assertThat(root.title()).isEqualTo("T");
        assertThat(root.additionalProperties()).isFalse();
        SchemaNode s = root.properties().get(0).node();
        assertThat(s.maxLength()).isEqualTo(4);
        assertThat(s.description()).isEqualTo("d");
        assertThat(s.enumeration().allows(Definition.JSON.readTree("\"a\""))).isTrue();
        assertThat(s.enumeration().allows(Definition.JSON.nullNode())).isTrue();
        assertThat(s.enumeration().allows(Definition.JSON.readTree("\"b\""))).isFalse();
        SchemaNode i = root.properties().get(1).node();
        assertThat(i.enumeration().allows(Definition.JSON.readTree("20000000000000000000")))
                .isTrue();
        assertThat(i.enumeration().allows(Definition.JSON.readTree("1"))).isTrue();
        assertThat(i.enumeration().allows(Definition.JSON.readTree("\"1\""))).isFalse();
        assertThat(i.enumeration().allows(Definition.JSON.nullNode())).isFalse();
        SchemaNode l = root.properties().get(2).node();
        assertThat(l.maxItems()).isEqualTo(2);
        assertThat(l.maxLength()).isEqualTo(-1);
        assertThat(l.items().additionalProperties()).as("default true").isTrue();
        assertThat(problems("{'$id':'urn:x','type':'object','properties':{'a':{'$id':'urn:y','type':'string'}}}"))
                .containsExactly("event.schema.json#/properties/a/$id: unsupported keyword; the supported keywords are "
                        + String.join(", ", EventSchema.SUPPORTED_KEYWORDS));
        assertThat(problems("{'type':'object','properties':{'a':{'type':'string','deprecated':'" + SECRET + "'}}}"))
                .containsExactly("event.schema.json#/properties/a/deprecated: deprecated must be true or false");
    }
}
