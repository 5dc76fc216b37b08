package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.InspectorRepository;
import io.sqspii.inspector.model.Filter;
import io.sqspii.inspector.model.Page;
import io.sqspii.inspector.model.Sort;
import io.sqspii.inspector.model.TableSpec;

/** Keyset pages and row counts of one table: what {@link KeysetPager} reads from. */
interface PageSource {

    /** Rows after {@code after} (null: from the start) in {@code sort} order, at most {@code limit}. */
    Page page(Filter filter, Sort sort, Page.Cursor after, int limit);

    /** Rows matching the filter. */
    long count(Filter filter);

    /** The table {@code table} as the repository reads it. */
    static PageSource of(InspectorRepository repo, TableSpec table) {
        return new PageSource() {
            @Override
            public Page page(Filter filter, Sort sort, Page.Cursor after, int limit) {
                return repo.page(table, filter, sort, after, limit);
            }

            @Override
            public long count(Filter filter) {
                return repo.count(table, filter);
            }
        };
    }
}
