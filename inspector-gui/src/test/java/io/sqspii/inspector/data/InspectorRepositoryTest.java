package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.DuplicateGroup;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.testing.TestDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The repository against a real PostgreSQL database. PII columns hold opaque tokens here: the
 * repository never decrypts, it only compares and orders stored text (reveal is tested against the
 * running reveal service in RevealThroughServiceIT).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectorRepositoryTest {

    static final int ROWS = 61;
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    TestDb db;
    Session session;
    InspectorRepository repo;
    TableSpec LOGINS;
    TableSpec REJECTED;
    static final List<String> DETERMINISTIC = List.of("masked_device_id", "masked_ip");

    @BeforeAll
    void seed() throws SQLException {
        db = TestDb.create();
        Random r = new Random(42);
        String[] devices = {"android", "ios", "web", null};
        String[] locales = {"RU", "EN", "DE", null};
        String[] versions = {"2.3.0", "2.10.1", "1.0.0", null};
        for (int i = 0; i < ROWS; i++) {
            // ties on every column (few distinct values, several equal timestamps) and NULLs in nullable ones
            db.insertLogin(
                    String.format("m-%03d", (i * 37) % ROWS),
                    "user-" + (i % 9),
                    devices[r.nextInt(4)],
                    i % 5 == 0 ? null : "ipct-" + (i % 7),
                    i % 6 == 0 ? null : "devct-" + (i % 11),
                    locales[r.nextInt(4)],
                    versions[r.nextInt(4)],
                    T0.plusMinutes(i / 3));
        }
        db.insertRejected("r-1", "missing required field ip", "bodyct-1", T0);
        db.insertRejected("r-2", "not JSON", "bodyct-2", T0.plusMinutes(1));
        LOGINS = TestSpecs.table(db.admin(), "user_logins");
        REJECTED = TestSpecs.table(db.admin(), "user_logins_rejected");
        String login = db.createLogin("analyst", "pw");
        session = Session.open(db.settings(login, "pw"));
        repo = new InspectorRepository(session.connection());
    }

    @AfterAll
    void drop() throws SQLException {
        session.close();
        db.close();
    }

    @Test
    void pagingReturnsEveryRowExactlyOnceInOrderUnderEachSort() throws SQLException {
        for (Column col : LOGINS.columns()) {
            for (boolean asc : new boolean[] {true, false}) {
                Sort sort = new Sort(col.name(), asc);
                List<String> keys = pageThrough(Filter.NONE, sort, 7);
                assertThat(new HashSet<>(keys))
                        .as("distinct rows under %s", sort)
                        .hasSize(ROWS);
                assertThat(keys).as("order under %s", sort).isEqualTo(referenceOrder(sort));
            }
        }
    }

    @Test
    void pageSizeLargerThanTableGivesOnePageWithoutNext() {
        Page p = repo.page(LOGINS, Filter.NONE, Sort.asc("create_date"), null, 500);
        assertThat(p.rows()).hasSize(ROWS);
        assertThat(p.hasNext()).isFalse();
    }

    @Test
    void filtersAreAppliedAndCounted() throws SQLException {
        Filter f = Filter.builder()
                .eq("user_id", "user-3")
                .eq("device_type", "android")
                .build();
        List<String> keys = pageThrough(f, Sort.desc("create_date"), 2);
        List<String> expected =
                adminKeys("SELECT message_id FROM user_logins WHERE user_id = 'user-3' AND device_type = 'android'");
        assertThat(expected).isNotEmpty();
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(repo.count(LOGINS, f)).isEqualTo(expected.size());

        Filter byLocaleAndVersion =
                Filter.builder().eq("locale", "RU").eq("app_version", "2.3.0").build();
        assertThat(pageThrough(byLocaleAndVersion, Sort.asc("message_id"), 3))
                .containsExactlyInAnyOrderElementsOf(
                        adminKeys("SELECT message_id FROM user_logins WHERE locale = 'RU' AND app_version = '2.3.0'"));

        Filter range = Filter.builder()
                .from("create_date", T0.plusMinutes(5))
                .until("create_date", T0.plusMinutes(9))
                .build();
        List<String> inRange = pageThrough(range, Sort.asc("user_id"), 4);
        assertThat(inRange)
                .hasSize(12)
                .containsExactlyInAnyOrderElementsOf(
                        adminKeys(
                                "SELECT message_id FROM user_logins WHERE create_date >= '2026-03-01 12:05Z' AND create_date < '2026-03-01 12:09Z'"));
        assertThat(repo.count(LOGINS, range)).isEqualTo(12);
    }

    @Test
    void blankFilterValuesAreIgnored() {
        Filter f = Filter.builder().eq("user_id", "  ").eq("locale", null).build();
        assertThat(f.isEmpty()).isTrue();
        assertThat(repo.count(LOGINS, f)).isEqualTo(ROWS);
    }

    @Test
    void injectionAttemptInAFilterMatchesNothingAndBreaksNothing() {
        for (String column :
                List.of("user_id", "device_type", "locale", "app_version", "masked_ip", "masked_device_id")) {
            for (String attack : List.of("' OR 1=1 --", "x'; DROP TABLE user_logins; --", "\" OR \"\"=\"")) {
                Filter f = Filter.builder().eq(column, attack).build();
                assertThat(repo.count(LOGINS, f)).as(column).isZero();
                assertThat(repo.page(LOGINS, f, Sort.asc(column), null, 10).rows())
                        .isEmpty();
            }
        }
        assertThat(repo.count(LOGINS, Filter.NONE)).isEqualTo(ROWS);
    }

    @Test
    void onlyWhitelistedColumnsAreAccepted() {
        assertThatThrownBy(() -> repo.page(LOGINS, Filter.NONE, Sort.asc("create_date; DROP TABLE x"), null, 5))
                .isInstanceOf(IllegalArgumentException.class);
        Filter bad = Filter.builder().eq("1=1 OR user_id", "x").build();
        assertThatThrownBy(() -> repo.count(LOGINS, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repo.duplicates(LOGINS, List.of("user_id"), 2, 10, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicatesGroupRowsSharingAMaskedValue() throws SQLException {
        List<DuplicateGroup> groups = repo.duplicates(LOGINS, DETERMINISTIC, 2, 100, 0);
        // devct-k is shared by rows i with i % 11 == k and i % 6 != 0; ipct-k by i % 7 == k and i % 5 != 0
        DuplicateGroup dev3 = groups.stream()
                .filter(g -> g.value().equals("devct-3"))
                .findFirst()
                .orElseThrow();
        assertThat(dev3.column()).isEqualTo("masked_device_id");
        try (PreparedStatement ps = db.admin()
                        .prepareStatement("SELECT count(*), count(DISTINCT user_id), min(create_date),"
                                + " max(create_date) FROM user_logins WHERE masked_device_id = 'devct-3'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(dev3.rows()).isEqualTo(rs.getLong(1)).isGreaterThan(1);
            assertThat(dev3.firstSeen()).isEqualTo(rs.getObject(3, OffsetDateTime.class));
            assertThat(dev3.lastSeen()).isEqualTo(rs.getObject(4, OffsetDateTime.class));
        }
        assertThat(groups).anyMatch(g -> g.column().equals("masked_ip"));
        assertThat(groups).extracting(DuplicateGroup::rows).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(groups).noneMatch(g -> g.value() == null);
        assertThat(repo.duplicates(LOGINS, List.of("masked_ip"), 2, 100, 0))
                .allMatch(g -> g.column().equals("masked_ip"));
        assertThat(repo.duplicates(LOGINS, List.of("masked_ip"), 100, 100, 0)).isEmpty();
        // pages of groups neither repeat nor skip one
        List<DuplicateGroup> paged = new ArrayList<>();
        for (int offset = 0; offset < groups.size(); offset += 4) {
            paged.addAll(repo.duplicates(LOGINS, DETERMINISTIC, 2, 4, offset));
        }
        assertThat(paged).isEqualTo(groups);

        // a group's rows are the browse filter on that value
        Filter groupRows = Filter.builder().eq("masked_device_id", "devct-3").build();
        assertThat(repo.count(LOGINS, groupRows)).isEqualTo(dev3.rows());
    }

    @Test
    void rejectedRowsArePaged() {
        Page p1 = repo.page(REJECTED, Filter.NONE, Sort.desc("create_date"), null, 1);
        assertThat(p1.rows()).extracting(Row::key).containsExactly("r-2");
        Page p2 = repo.page(REJECTED, Filter.NONE, Sort.desc("create_date"), p1.next(), 1);
        assertThat(p2.rows()).extracting(Row::key).containsExactly("r-1");
        assertThat(p2.hasNext()).isFalse();
        assertThat(p2.rows().get(0).text("error")).isEqualTo("missing required field ip");
    }

    @Test
    void rowsSharingACiphertextAreCountedInSql() throws SQLException {
        // "devct-3" is stored for every i with i % 11 == 3 and i % 6 != 0
        long expected = adminKeys("SELECT message_id FROM user_logins WHERE masked_device_id = 'devct-3'")
                .size();
        String key = adminKeys("SELECT message_id FROM user_logins WHERE masked_device_id = 'devct-3' LIMIT 1")
                .get(0);
        assertThat(expected).isGreaterThan(1);
        assertThat(repo.rowsSharingValue(LOGINS, key, "masked_device_id")).isEqualTo(expected);
        String nullKey = adminKeys("SELECT message_id FROM user_logins WHERE masked_ip IS NULL LIMIT 1")
                .get(0);
        assertThat(repo.rowsSharingValue(LOGINS, nullKey, "masked_ip")).isZero();
        assertThat(repo.rowsSharingValue(LOGINS, "no-such-row", "masked_ip")).isZero();
        assertThatThrownBy(() -> repo.rowsSharingValue(REJECTED, "r-1", "encrypted_body"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReversedSortIsTheExactMirrorSoBackwardPagesMatchForwardOnes() throws SQLException {
        for (String column : List.of("create_date", "device_type", "locale", "masked_ip", "message_id")) {
            for (boolean asc : new boolean[] {true, false}) {
                List<String> forward = pageThrough(Filter.NONE, new Sort(column, asc), 7);
                List<String> backward = new ArrayList<>(pageThrough(Filter.NONE, new Sort(column, !asc), 7));
                java.util.Collections.reverse(backward);
                assertThat(backward).as(column + (asc ? " asc" : " desc")).isEqualTo(forward);
            }
        }
    }

    @Test
    void auditLogIsReadableOnlyWithItsRole() throws SQLException {
        db.execute("INSERT INTO pii_access_log (analyst, at, table_name, row_key, column_name, reason)"
                + " VALUES ('someone', now(), 'user_logins', 'm-001', 'masked_ip', 'ticket 7')");
        assertThat(session.canReadAudit()).isFalse();
        assertThatThrownBy(() -> repo.page(TableSpec.AUDIT, Filter.NONE, Sort.desc("id"), null, 10))
                .isInstanceOf(InspectorException.class)
                .hasMessageContaining("Permission denied");

        String auditor = db.createLogin("pii_auditor", "pw");
        try (Session s = Session.open(db.settings(auditor, "pw"))) {
            assertThat(s.canReadAudit()).isTrue();
            assertThat(s.canReveal()).isFalse();
            Page p = new InspectorRepository(s.connection())
                    .page(TableSpec.AUDIT, Filter.NONE, Sort.desc("id"), null, 10);
            assertThat(p.rows()).hasSize(1);
            assertThat(p.rows().get(0).text("reason")).isEqualTo("ticket 7");
            assertThat(p.rows().get(0).get("id")).isInstanceOf(Long.class);
        }
    }

    private List<String> pageThrough(Filter filter, Sort sort, int pageSize) {
        List<String> keys = new ArrayList<>();
        Page.Cursor after = null;
        Set<Object> seenCursors = new HashSet<>();
        do {
            Page p = repo.page(LOGINS, filter, sort, after, pageSize);
            assertThat(p.rows().size()).isLessThanOrEqualTo(pageSize);
            p.rows().forEach(r -> keys.add((String) r.key()));
            after = p.next();
            assertThat(after == null || seenCursors.add(after))
                    .as("cursor advances")
                    .isTrue();
        } while (after != null);
        return keys;
    }

    private List<String> referenceOrder(Sort sort) throws SQLException {
        String dir = sort.ascending() ? "ASC NULLS LAST" : "DESC NULLS FIRST";
        String keyDir = sort.ascending() ? "ASC" : "DESC";
        return adminKeys(
                "SELECT message_id FROM user_logins ORDER BY " + sort.column() + " " + dir + ", message_id " + keyDir);
    }

    private List<String> adminKeys(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.admin().prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
