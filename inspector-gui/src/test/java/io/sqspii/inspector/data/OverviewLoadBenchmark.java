package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Overview;
import io.sqspii.inspector.testing.TestDb;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: the Overview's load time on a generated table (default 1,000,000 logins over 30 days,
 * 50,000 rejected), with and without a filter, as an analyst login.
 * {@code ./mvnw -B -pl inspector-gui -am test -Dtest=OverviewLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Doverview.bench.rows=1000000}
 */
@EnabledIfSystemProperty(named = "overview.bench.rows", matches = "\\d+")
class OverviewLoadBenchmark {

    @Test
    void loadTime() throws Exception {
        int rows = Integer.parseInt(System.getProperty("overview.bench.rows"));
        try (TestDb db = TestDb.create()) {
            long t0 = System.nanoTime();
            db.execute("INSERT INTO user_logins SELECT 'msg-' || i, 'user-' || (hashint4(i) & 262143),"
                    + " (ARRAY['android','ios','web','ipados','tv'])[1 + (i % 5)], 'AQip' || (hashint4(i * 7) & 524287),"
                    + " 'AQdev' || (hashint4(i * 13) & 262143), 'RU', '2.' || (i % 17) || '.0',"
                    + " timestamptz '2026-10-28 00:00+00' + (i::bigint * 2592) * interval '1 millisecond' FROM generate_series(0, "
                    + (rows - 1) + ") i");
            db.execute("INSERT INTO user_logins_rejected SELECT 'rej-' || i,"
                    + " (ARRAY['invalid JSON: x','missing required field: ip','wrong type: app_version'])[1 + (i % 3)], 'AQb',"
                    + " timestamptz '2026-10-28 00:00+00' + (i::bigint * 51840) * interval '1 millisecond'"
                    + " FROM generate_series(0, " + (rows / 20 - 1) + ") i");
            db.execute("VACUUM ANALYZE user_logins");
            db.execute("VACUUM ANALYZE user_logins_rejected");
            System.out.printf(
                    "generated %,d logins and %,d rejected in %.1f s%n",
                    rows, rows / 20, (System.nanoTime() - t0) / 1e9);
            String login = db.createLogin("analyst", "pw");
            try (Session s = Session.open(db.settings(login, "pw"))) {
                OverviewRepository overview = new OverviewRepository(s.repository());
                Filter week = Filter.builder()
                        .eq("device_type", "ios")
                        .from("create_date", OffsetDateTime.of(2026, 11, 10, 0, 0, 0, 0, ZoneOffset.UTC))
                        .until("create_date", OffsetDateTime.of(2026, 11, 17, 0, 0, 0, 0, ZoneOffset.UTC))
                        .build();
                for (Filter f : List.of(Filter.NONE, week)) {
                    List<Double> seconds = new ArrayList<>();
                    Overview o = null;
                    for (int i = 0; i < 5; i++) {
                        long start = System.nanoTime();
                        o = overview.load(s.datasets().get(0), f, null, null);
                        seconds.add((System.nanoTime() - start) / 1e9);
                    }
                    System.out.printf(
                            "overview %s: %,d logins, %,d rejected, per %s; load times (s): %s%n",
                            f.isEmpty() ? "unfiltered" : "ios, one week",
                            o.rows(),
                            o.rejected(),
                            o.bucket(),
                            seconds.stream().map(d -> String.format("%.2f", d)).toList());
                    assertThat(o.rows()).isPositive();
                }
            }
        }
    }
}
