package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped definitions' samples against a full JSON Schema 2020-12 implementation. */
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
    void userLoginsSampleHoldsValidLoginsAndBodiesToReject() throws Exception {
        Schema s = schema("user_logins");
        int valid = 0;
        int lines = 0;
        for (String line : Files.readAllLines(Fixtures.folder("user_logins").resolve("sample.jsonl"))) {
            if (!line.isBlank()) {
                valid += valid(s, line) ? 1 : 0;
                lines++;
            }
        }
        assertThat(valid).isPositive().isLessThan(lines);
    }
}
