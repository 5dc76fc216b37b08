package io.sqspii.inspector.data;

import io.sqspii.inspector.model.Dataset;
import io.sqspii.inspector.model.TableSpec;
import java.sql.Connection;
import java.util.List;

/** The datasets as the inspector reads them from the PII catalog, for tests outside this package. */
public final class TestSpecs {

    private TestSpecs() {}

    public static List<Dataset> datasets(Connection c) {
        return new InspectorRepository(c).datasets();
    }

    /** The spec of a dataset's table or rejected table. */
    public static TableSpec table(Connection c, String table) {
        for (Dataset d : datasets(c)) {
            if (d.table() != null && d.table().name().equals(table)) {
                return d.table();
            }
            if (d.rejected() != null && d.rejected().name().equals(table)) {
                return d.rejected();
            }
        }
        throw new IllegalArgumentException("no dataset table " + table);
    }
}
