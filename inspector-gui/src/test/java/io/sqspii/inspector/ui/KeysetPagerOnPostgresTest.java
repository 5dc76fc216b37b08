package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.testing.TestDb;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pager over the repository, as the Logins tab uses it, on a real PostgreSQL database: Next to the
 * end and Last, then Prev back to the start, give the same pages under every sort, NULLs and ties included.
 */
class KeysetPagerOnPostgresTest {

    static final int ROWS = 47;
    static final int PAGE = 10;
    static TestDb db;
    static Session session;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestDb.create();
        // few distinct values and NULLs in the nullable columns: ties and NULLs on every page boundary
        db.execute("INSERT INTO user_logins SELECT format('m-%s', lpad((i * 17 % " + ROWS + ")::text, 3, '0')),"
                + " format('user-%s', i % 4), (ARRAY['android','ios',NULL])[1 + i % 3], CASE WHEN i % 5 = 0 THEN NULL"
                + " ELSE 'AQip' || (i % 6) END, 'AQdev' || (i % 8), NULL, '2.3.0',"
                + " timestamptz '2026-11-02 00:00:00+00' + (i / 4) * interval '1 minute' FROM generate_series(0, "
                + (ROWS - 1) + ") i");
        session = Session.open(db.settings(db.createLogin("analyst", "pw"), "pw"));
    }

    @AfterAll
    static void drop() throws SQLException {
        session.close();
        db.close();
    }

    @Test
    void theSamePagesForwardAndBackwardUnderEverySort() {
        PageSource source = PageSource.of(
                session.repository(), io.sqspii.inspector.data.TestSpecs.table(db.admin(), "user_logins"));
        for (Column c : io.sqspii.inspector.data.TestSpecs.table(db.admin(), "user_logins")
                .columns()) {
            for (boolean asc : new boolean[] {true, false}) {
                Sort sort = new Sort(c.name(), asc);
                KeysetPager p = new KeysetPager(source, QueuedBackground.immediate(), PAGE, "user_logins", sort);
                p.reload();
                assertThat(p.countTextProperty().get()).isEqualTo(ROWS + " rows");
                List<List<Object>> forward = new ArrayList<>();
                forward.add(keys(p));
                while (p.hasNextProperty().get()) {
                    p.next();
                    forward.add(keys(p));
                }
                assertThat(forward).as("pages under %s", sort).hasSize(5);
                assertThat(forward.stream().flatMap(List::stream).distinct().count())
                        .as("rows under %s", sort)
                        .isEqualTo(ROWS);
                assertThat(p.pageText().get()).isEqualTo("Page 5 of 5 · rows 41–47");

                List<List<Object>> backward = new ArrayList<>();
                p.first();
                p.last();
                backward.add(0, keys(p));
                while (p.pageIndexProperty().get() > 0) {
                    p.previous();
                    backward.add(0, keys(p));
                }
                assertThat(backward).as("pages backward under %s", sort).isEqualTo(forward);
            }
        }
    }

    @Test
    void aFilterIsCountedAndPagedOnTheServer() {
        KeysetPager p = new KeysetPager(
                PageSource.of(
                        session.repository(), io.sqspii.inspector.data.TestSpecs.table(db.admin(), "user_logins")),
                QueuedBackground.immediate(),
                PAGE,
                "user_logins",
                Sort.desc("create_date"));
        p.setFilter(Filter.builder().eq("user_id", "user-1").build());
        assertThat(p.countTextProperty().get()).isEqualTo("12 rows");
        assertThat(p.rows()).hasSize(PAGE).allMatch(r -> "user-1".equals(r.text("user_id")));
        p.last();
        assertThat(p.rows()).hasSize(2).allMatch(r -> "user-1".equals(r.text("user_id")));
    }

    private static List<Object> keys(KeysetPager p) {
        return p.rows().stream().map(r -> r.key()).toList();
    }
}
