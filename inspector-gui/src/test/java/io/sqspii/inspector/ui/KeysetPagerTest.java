package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The pager's state machine and cursor arithmetic, without a toolkit or a database. */
class KeysetPagerTest {

    static final int PAGE = 10;

    QueuedBackground background = QueuedBackground.immediate();

    KeysetPager pager(ListPageSource source, Sort sort) {
        return new KeysetPager(source, background, PAGE, "t", sort);
    }

    static List<Long> ids(KeysetPager p) {
        return p.rows().stream().map(r -> (Long) r.key()).toList();
    }

    static List<Long> range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    static List<Long> descending(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive)
                .map(i -> toExclusive - 1 - (i - fromInclusive))
                .boxed()
                .toList();
    }

    @Test
    void nextToTheEndAndPreviousBackToTheStart() {
        KeysetPager p = pager(ListPageSource.of(25), Sort.asc("id"));
        p.reload();
        assertThat(ids(p)).isEqualTo(range(0, 10));
        assertThat(p.pageText().get()).isEqualTo("Page 1 of 3 · rows 1–10");
        assertThat(p.countTextProperty().get()).isEqualTo("25 rows");
        assertThat(p.atStart().get()).isTrue();
        assertThat(p.atEnd().get()).isFalse();

        p.next();
        assertThat(ids(p)).isEqualTo(range(10, 20));
        assertThat(p.atStart().get()).isFalse();
        p.next();
        assertThat(ids(p)).isEqualTo(range(20, 25));
        assertThat(p.pageIndexProperty().get()).isEqualTo(2);
        assertThat(p.pageText().get()).isEqualTo("Page 3 of 3 · rows 21–25");
        assertThat(p.atEnd().get()).isTrue();
        assertThat(p.lastUnknown().get()).isTrue();
        p.next();
        assertThat(ids(p)).isEqualTo(range(20, 25));

        p.previous();
        assertThat(ids(p)).isEqualTo(range(10, 20));
        assertThat(p.hasNextProperty().get()).isTrue();
        p.previous();
        assertThat(ids(p)).isEqualTo(range(0, 10));
        assertThat(p.pageIndexProperty().get()).isZero();
        assertThat(p.atStart().get()).isTrue();
        p.previous();
        assertThat(ids(p)).isEqualTo(range(0, 10));
    }

    @Test
    void lastHoldsWhatTheCountLeavesForItAndPreviousLeavesIt() {
        KeysetPager p = pager(ListPageSource.of(25), Sort.desc("id"));
        p.reload();
        p.last();
        assertThat(ids(p)).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(p.pageIndexProperty().get()).isEqualTo(2);
        assertThat(p.hasNextProperty().get()).isFalse();
        assertThat(p.pageText().get()).isEqualTo("Page 3 of 3 · rows 21–25");
        p.previous();
        assertThat(ids(p)).isEqualTo(descending(5, 15));
        assertThat(p.pageText().get()).isEqualTo("Page 2 of 3 · rows 11–20");
        p.first();
        assertThat(ids(p)).isEqualTo(descending(15, 25));
    }

    @Test
    void aFullLastPageIsAWholePage() {
        KeysetPager p = pager(ListPageSource.of(20), Sort.asc("id"));
        p.reload();
        p.last();
        assertThat(ids(p)).isEqualTo(range(10, 20));
        assertThat(p.pageIndexProperty().get()).isEqualTo(1);
        assertThat(p.pageText().get()).isEqualTo("Page 2 of 2 · rows 11–20");
    }

    @Test
    void everyRowOnceForwardAndTheSamePagesBackwardUnderNullsAndTies() {
        // score: id % 4, NULL for every seventh row: long runs of ties and NULLs at one end
        ListPageSource source = ListPageSource.of(53, 4, true);
        for (Sort sort : List.of(Sort.asc("score"), Sort.desc("score"))) {
            KeysetPager p = pager(source, sort);
            p.reload();
            List<List<Long>> forward = new ArrayList<>();
            forward.add(ids(p));
            while (p.hasNextProperty().get()) {
                p.next();
                forward.add(ids(p));
            }
            assertThat(forward).hasSize(6);
            assertThat(forward.stream().flatMap(List::stream).sorted().toList()).isEqualTo(range(0, 53));
            List<List<Long>> backward = new ArrayList<>();
            p.last();
            backward.add(0, ids(p));
            while (p.pageIndexProperty().get() > 0) {
                p.previous();
                backward.add(0, ids(p));
            }
            assertThat(backward).as(sort.toString()).isEqualTo(forward);
        }
    }

    @Test
    void anEmptyTableIsOnePageOfNothing() {
        ListPageSource source = ListPageSource.of(0);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.reload();
        assertThat(p.rows()).isEmpty();
        assertThat(p.pageText().get()).isEqualTo("Page 1 of 1 · rows 0–0");
        assertThat(p.countTextProperty().get()).isEqualTo("0 rows");
        assertThat(p.atStart().get()).isTrue();
        assertThat(p.atEnd().get()).isTrue();
        assertThat(p.lastUnknown().get()).isTrue();
        int calls = source.pageCalls;
        p.next();
        p.previous();
        assertThat(source.pageCalls).isEqualTo(calls);
        p.last();
        assertThat(p.rows()).isEmpty();
        assertThat(p.pageIndexProperty().get()).isZero();
    }

    @Test
    void aPreviousPageThatShrankMeanwhileStartsOver() {
        ListPageSource source = ListPageSource.of(30);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.reload();
        p.next();
        p.next();
        assertThat(ids(p)).isEqualTo(range(20, 30));
        // another session deletes rows: only 5 remain before this page
        source.delete(r -> (Long) r.key() >= 5 && (Long) r.key() < 20);
        p.previous();
        assertThat(p.pageIndexProperty().get()).isZero();
        assertThat(ids(p)).containsExactly(0L, 1L, 2L, 3L, 4L, 20L, 21L, 22L, 23L, 24L);
        assertThat(p.hasNextProperty().get()).isTrue();
    }

    @Test
    void whileAPageLoadsPrevNextAndLastAreIgnoredButStayEnabled() {
        background = QueuedBackground.held();
        ListPageSource source = ListPageSource.of(25);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.reload();
        background.runAll();
        p.next();
        background.runAll();
        p.next();
        background.runAll();
        assertThat(p.atEnd().get()).isTrue();
        p.previous();
        assertThat(p.loadingProperty().get()).isTrue();
        assertThat(background.pending()).isEqualTo(1);
        // not disabled: the button under the keyboard focus keeps it while the page loads
        assertThat(p.atEnd().get()).isFalse();
        assertThat(p.lastUnknown().get()).isFalse();
        p.next();
        p.previous();
        p.last();
        assertThat(background.pending()).isEqualTo(1);
        background.runAll();
        assertThat(p.loadingProperty().get()).isFalse();
        assertThat(ids(p)).isEqualTo(range(10, 20));
        assertThat(background.submitted())
                .containsExactly("Loading t", "Counting rows", "Loading t", "Loading t", "Loading t");
    }

    @Test
    void lastWaitsForTheCount() {
        background = QueuedBackground.held();
        KeysetPager p = pager(ListPageSource.of(25), Sort.asc("id"));
        p.reload();
        background.runNext();
        assertThat(p.countTextProperty().get()).isEqualTo("counting…");
        assertThat(p.totalProperty().get()).isEqualTo(-1);
        assertThat(p.lastUnknown().get()).isTrue();
        assertThat(p.pageText().get()).isEqualTo("Page 1 · rows 1–10");
        p.last();
        assertThat(background.pending()).isEqualTo(1);
        background.runAll();
        assertThat(p.lastUnknown().get()).isFalse();
        p.last();
        background.runAll();
        assertThat(ids(p)).isEqualTo(range(20, 25));
    }

    @Test
    void aNewFilterSupersedesAnswersStillOnTheirWay() {
        background = QueuedBackground.held();
        ListPageSource source = ListPageSource.of(30, 3, false);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.setFilter(Filter.builder().eq("score", "1").build());
        p.setFilter(Filter.builder().eq("score", "2").build());
        background.runNext();
        // the first filter's page came back after the second was asked for: not shown
        assertThat(p.rows()).isEmpty();
        assertThat(p.loadingProperty().get()).isTrue();
        background.runNext();
        assertThat(p.countTextProperty().get()).isEqualTo("counting…");
        background.runAll();
        assertThat(ids(p)).containsExactly(2L, 5L, 8L, 11L, 14L, 17L, 20L, 23L, 26L, 29L);
        assertThat(p.countTextProperty().get()).isEqualTo("10 rows");
        assertThat(p.loadingProperty().get()).isFalse();
        assertThat(p.filter().conditions())
                .singleElement()
                .extracting(Filter.Condition::value)
                .isEqualTo("2");
    }

    @Test
    void theSameSortDoesNotReloadAnotherStartsOver() {
        ListPageSource source = ListPageSource.of(25);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.reload();
        p.next();
        int calls = source.pageCalls;
        p.sortBy(Sort.asc("id"));
        assertThat(source.pageCalls).isEqualTo(calls);
        p.sortBy(Sort.desc("id"));
        assertThat(p.pageIndexProperty().get()).isZero();
        assertThat(ids(p)).isEqualTo(descending(15, 25));
        assertThat(p.sort()).isEqualTo(Sort.desc("id"));
    }

    @Test
    void aFailedPageKeepsTheOneOnScreenAndAFailedCountLeavesLastOff() {
        ListPageSource source = ListPageSource.of(25);
        KeysetPager p = pager(source, Sort.asc("id"));
        p.reload();
        p.next();
        source.failing = true;
        p.next();
        assertThat(p.loadingProperty().get()).isFalse();
        assertThat(ids(p)).isEqualTo(range(10, 20));
        assertThat(p.pageIndexProperty().get()).isEqualTo(1);
        assertThat(p.hasNextProperty().get()).isTrue();

        p.reload();
        assertThat(p.countTextProperty().get()).isEmpty();
        assertThat(p.totalProperty().get()).isEqualTo(-1);
        assertThat(p.lastUnknown().get()).isTrue();
        // the page on screen stays; the next try works again
        assertThat(ids(p)).isEqualTo(range(10, 20));
        source.failing = false;
        p.next();
        assertThat(ids(p)).isEqualTo(range(20, 25));
    }

    @Test
    void pagesAreReplacedWholeForTheTableToFollow() {
        KeysetPager p = pager(ListPageSource.of(25), Sort.asc("id"));
        List<Integer> changes = new ArrayList<>();
        p.rows().addListener((javafx.collections.ListChangeListener<Row>)
                c -> changes.add(p.rows().size()));
        p.reload();
        p.next();
        p.next();
        assertThat(changes).containsExactly(10, 10, 5);
    }
}
