package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.model.Sort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The page of a table on screen and how to move from it, over a {@link PageSource}: keyset pages
 * forward (after the last row shown) and backward (before the first one, read in the mirrored order
 * and turned around), a row count for Last and the page label. State is held in JavaFX properties the
 * view binds to; nothing here needs a running toolkit, all of it runs on the FX thread.
 *
 * <p>While a page loads, First is honoured (a new filter or sort starts over) and Prev, Next and Last
 * are ignored; an answer to a request that a later one superseded is dropped.
 */
final class KeysetPager {

    private final PageSource source;
    private final Background background;
    private final int pageSize;
    private final String what;

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper pageIndex = new ReadOnlyIntegerWrapper(this, "pageIndex");
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(this, "hasNext");
    /** Rows matching the filter, or -1 while they are counted (or could not be). */
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(this, "total", -1);

    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper countText = new ReadOnlyStringWrapper(this, "countText", "");
    private final BooleanBinding atStart = pageIndex.isEqualTo(0);
    private final BooleanBinding atEnd = hasNext.not().and(loading.not());
    private final BooleanBinding lastUnknown = atEnd.or(total.lessThan(0));
    private final StringBinding pageText;

    private Filter filter = Filter.NONE;
    private Sort sort;
    /** Latest page and count requests: an answer to an earlier one is stale. */
    private long pageRequest;

    private long countRequest;

    /**
     * @param what     how the status line names the table ("Loading {what}")
     * @param pageSize rows per page
     */
    KeysetPager(PageSource source, Background background, int pageSize, String what, Sort initialSort) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        this.source = source;
        this.background = background;
        this.pageSize = pageSize;
        this.what = what;
        this.sort = initialSort;
        pageText = Bindings.createStringBinding(this::describePage, pageIndex, total, rows);
    }

    /** The rows of the page on screen, in sort order; changed by the pager only. */
    ObservableList<Row> rows() {
        return rows;
    }

    ReadOnlyIntegerProperty pageIndexProperty() {
        return pageIndex.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty hasNextProperty() {
        return hasNext.getReadOnlyProperty();
    }

    ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** "1,250 rows", "counting…", or empty when the count failed. */
    ReadOnlyStringProperty countTextProperty() {
        return countText.getReadOnlyProperty();
    }

    /** "Page 3 of 13 · rows 201–300" ("of …" once the rows are counted). */
    StringBinding pageText() {
        return pageText;
    }

    /** On the first page: First and Prev have nowhere to go. */
    BooleanBinding atStart() {
        return atStart;
    }

    /**
     * No page follows: Next has nowhere to go. False while a page loads, so that the button under the
     * keyboard focus stays enabled (a click then is ignored instead).
     */
    BooleanBinding atEnd() {
        return atEnd;
    }

    /** Last has nowhere to go, or the rows are not counted yet. */
    BooleanBinding lastUnknown() {
        return lastUnknown;
    }

    Filter filter() {
        return filter;
    }

    Sort sort() {
        return sort;
    }

    /** A new filter: counted again, from its first page. */
    void setFilter(Filter f) {
        filter = f;
        reload();
    }

    /** Another order: counted again, from its first page. Nothing happens when the order is the same. */
    void sortBy(Sort s) {
        if (!s.equals(sort)) {
            sort = s;
            reload();
        }
    }

    /** First page and row count for the current filter and sort. */
    void reload() {
        total.set(-1);
        first();
        countText.set("counting…");
        Filter f = filter;
        long request = ++countRequest;
        background.run(
                "Counting rows",
                () -> source.count(f),
                n -> {
                    if (request == countRequest) {
                        total.set(n);
                        countText.set(String.format("%,d rows", n));
                    }
                },
                msg -> {
                    if (request == countRequest) {
                        countText.set("");
                    }
                });
    }

    void first() {
        load(0, null, sort, pageSize, false, false);
    }

    void next() {
        if (loading.get() || !hasNext.get() || rows.isEmpty()) {
            return;
        }
        load(pageIndex.get() + 1, cursorOf(rows.get(rows.size() - 1)), sort, pageSize, false, false);
    }

    void previous() {
        if (loading.get() || pageIndex.get() == 0) {
            return;
        }
        if (rows.isEmpty()) {
            first();
            return;
        }
        // the page we came from follows
        load(pageIndex.get() - 1, cursorOf(rows.get(0)), reversed(sort), pageSize, true, true);
    }

    /** The last page: the last rows (as many as the count leaves for it) read backward from the end. */
    void last() {
        long n = total.get();
        if (loading.get() || n < 0) {
            return;
        }
        int lastIndex = n == 0 ? 0 : (int) ((n - 1) / pageSize);
        int rowsOnLast = n == 0 ? pageSize : (int) (n - (long) lastIndex * pageSize);
        load(lastIndex, null, reversed(sort), rowsOnLast, true, false);
    }

    private Page.Cursor cursorOf(Row row) {
        return new Page.Cursor(row.get(sort.column()), row.key());
    }

    private static Sort reversed(Sort s) {
        return new Sort(s.column(), !s.ascending());
    }

    /**
     * Loads one page. Backward pages are read in the reversed order (the exact mirror of the forward
     * order, NULLs and ties included) and turned around; {@code moreAfter} says whether rows follow a
     * backward page (after Prev: yes; the last page: no).
     */
    private void load(int index, Page.Cursor after, Sort order, int limit, boolean backward, boolean moreAfter) {
        Filter f = filter;
        long request = ++pageRequest;
        loading.set(true);
        background.run(
                "Loading " + what,
                () -> source.page(f, order, after, limit),
                page -> {
                    if (request != pageRequest) {
                        return;
                    }
                    List<Row> list = new ArrayList<>(page.rows());
                    if (backward) {
                        Collections.reverse(list);
                        if (index > 0 && list.size() < pageSize && after != null) {
                            // fewer rows before this page than a page: rows were deleted meanwhile; start over
                            first();
                            return;
                        }
                    }
                    // the index first: the view moves the keyboard focus when a button it sits on is disabled,
                    // and asks the other end of the pager, which must already be in its final state
                    pageIndex.set(index);
                    rows.setAll(list);
                    hasNext.set(backward ? moreAfter : page.hasNext());
                    loading.set(false);
                },
                msg -> {
                    if (request == pageRequest) {
                        loading.set(false);
                    }
                });
    }

    private String describePage() {
        int index = pageIndex.get();
        long n = total.get();
        long from = (long) index * pageSize + (rows.isEmpty() ? 0 : 1);
        long to = (long) index * pageSize + rows.size();
        String pages = n < 0 ? "" : String.format(" of %,d", Math.max(1, (n + pageSize - 1) / pageSize));
        return String.format("Page %,d%s · rows %,d–%,d", index + 1, pages, from, to);
    }
}
