package io.sqspii.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Until the inspector reads the PII catalog, it lists user_logins' PII columns (schema.sql is checked by
 * UserLoginsEquivalenceTest; the reveal function and service read the catalog; the connector configs are generated,
 * see ShippedConnectorsTest). It must say what datasets/user_logins says; when it switches to the catalog, this goes.
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
}
