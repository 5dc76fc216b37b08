package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Until the other modules read the PII catalog, two more places list user_logins' PII columns (schema.sql is
 * checked by UserLoginsEquivalenceTest; the reveal function and service read the catalog). Each must say what datasets/user_logins says; when a module switches to
 * the catalog, its assertion here goes.
 */
class UserLoginsPiiListsTest {

    /** "table.column mode associated-data" of every PII column the definition derives. */
    private static TreeSet<String> fromDefinition() throws Exception {
        Layout l = Layout.of(Fixtures.load("user_logins"));
        TreeSet<String> out = new TreeSet<>();
        List<Layout.PiiField> all = new ArrayList<>(l.pii());
        all.addAll(l.rejectedPii());
        for (Layout.PiiField f : all) {
            out.add(f.table() + "." + f.column() + " " + f.mode().id() + " " + f.associatedData());
        }
        return out;
    }

    private static String file(String path) throws Exception {
        return Files.readString(TestDb.REPO.resolve(path));
    }

    @Test
    void theInspectorsPiiColumnsAreTheCatalogs() throws Exception {
        String src = file("inspector-gui/src/main/java/io/sqspii/inspector/model/TableSpec.java");
        TreeSet<String> listed = new TreeSet<>();
        Matcher t = Pattern.compile("new TableSpec\\(\"(\\w+)\"").matcher(src);
        List<int[]> starts = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        while (t.find()) {
            starts.add(new int[] {t.start()});
            tables.add(t.group(1));
        }
        for (int i = 0; i < tables.size(); i++) {
            String part = src.substring(starts.get(i)[0], i + 1 < tables.size() ? starts.get(i + 1)[0] : src.length());
            Matcher p = Pattern.compile("Column\\.pii\\(\"(\\w+)\", \\w+, Column\\.PiiMode\\.(\\w+)\\)").matcher(part);
            while (p.find()) {
                listed.add(tables.get(i) + "." + p.group(1) + " " + p.group(2).toLowerCase(java.util.Locale.ROOT));
            }
        }
        TreeSet<String> want = new TreeSet<>();
        fromDefinition().forEach(s -> want.add(s.substring(0, s.lastIndexOf(' '))));
        assertThat(listed).isEqualTo(want);
    }

    @Test
    void theSourceConnectorsTransformsAreTheCatalogs() throws Exception {
        JsonNode c = Definition.JSON.readTree(file("connect-config/sqs-source.json"));
        Layout l = Layout.of(Fixtures.load("user_logins"));
        List<String> fields = new ArrayList<>();
        for (Layout.PiiField f : l.pii()) {
            String field = f.jsonPointer().substring(1);
            fields.add(field);
            assertThat(c.path("transforms.encryptPii.canonicalize." + field).asText()).isEqualTo(f.canonical().id());
            assertThat(c.path("transforms.encryptPii.mode").asText()).isEqualTo(f.mode().id());
            assertThat(c.path("transforms.encryptPii.associated.data").asText() + "." + field)
                    .isEqualTo(f.associatedData());
            assertThat(c.path("transforms.rename.renames").asText()).contains(field + ":" + f.column());
        }
        assertThat(c.path("transforms.encryptPii.fields").asText()).isEqualTo(String.join(",", fields));
        Layout.PiiField body = l.rejectedPii().get(0);
        assertThat(c.path("transforms.encryptBody.associated.data").asText() + ".body").isEqualTo(body.associatedData());
        assertThat(c.path("transforms.encryptBody.mode").asText()).isEqualTo(body.mode().id());
        assertThat(c.path("topic").asText()).isEqualTo(l.definition().topic());
        assertThat(c.path("dlq.topic").asText()).isEqualTo(l.definition().deadLetterTopic());
    }
}
