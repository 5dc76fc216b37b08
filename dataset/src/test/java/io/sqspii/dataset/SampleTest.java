package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped definitions against a full JSON Schema 2020-12 implementation and against today's contract. */
class SampleTest {

    private static Schema schema(String dataset) throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Fixtures.folder(dataset).resolve("event.schema.json")));
    }

    private static boolean valid(Schema schema, String line) {
        try {
            Definition.JSON.readTree(line);
        } catch (Exception e) {
            return false; // not JSON: a rejected row
        }
        return schema.validate(line, InputFormat.JSON).isEmpty();
    }

    @Test
    void ordersSampleHoldsThreeValidEventsThenMalformedBodies() throws Exception {
        Schema s = schema("orders");
        List<Boolean> verdicts = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.folder("orders").resolve("sample.jsonl"))) {
            verdicts.add(valid(s, line));
        }
        // 4 wrong shape, 5 status outside the enum, 6 no shipping_address and a string quantity,
        // 7 an undeclared property (additionalProperties false), 8 truncated JSON
        assertThat(verdicts).containsExactly(true, true, true, false, false, false, false, false);
    }

    @Test
    void userLoginsDescribesExactlyTodaysContract() throws Exception {
        JsonNode mine = strip(Definition.JSON.readTree(Fixtures.folder("user_logins").resolve("event.schema.json")
                .toFile()));
        JsonNode today = Definition.JSON.readTree(TestDb.REPO.resolve("connect-config/schemas/user-login.schema.json")
                .toFile());
        assertThat(mine).isEqualTo(today);
        // and the same verdict on every line of today's sample (valid logins and junk)
        Schema s = schema("user_logins");
        Schema t = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(TestDb.REPO.resolve("connect-config/schemas/user-login.schema.json")));
        int valid = 0;
        int lines = 0;
        for (String line : Files.readAllLines(TestDb.REPO.resolve("datasets/user_logins/sample.jsonl"))) {
            assertThat(valid(s, line)).isEqualTo(valid(t, line));
            valid += valid(s, line) ? 1 : 0;
            lines++;
        }
        assertThat(valid).isPositive().isLessThan(lines);
    }

    /** Without our annotations and descriptions, which validate nothing. */
    private static JsonNode strip(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            o.remove("x-pii");
            if (o.has("description") && o.get("description").isTextual()) {
                o.remove("description");
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                strip(it.next());
            }
        }
        return n;
    }
}
