package io.sqspii.inspector.ui;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * First / Prev / Next / Last, the page label and the row count of a {@link KeysetPager}, plus whatever
 * the browser puts at the right end (Export). The label sits after the buttons and has room for large
 * numbers, so the buttons never move.
 */
final class PagerBar {

    private final Button first = new Button("« First");
    private final Button prev = new Button("◀ Prev");
    private final Button next = new Button("Next ▶");
    private final Button last = new Button("Last »");
    private final HBox root;

    /**
     * @param id     prefix of the node ids ({@code id-first}, {@code id-page}, ...)
     * @param onFocusLost where the keyboard focus goes when no pager button can keep it
     */
    PagerBar(String id, KeysetPager pager, Node onFocusLost, Node... trailing) {
        Label pageLabel = new Label();
        Label rowCount = new Label();
        first.setId(id + "-first");
        prev.setId(id + "-prev");
        next.setId(id + "-next");
        last.setId(id + "-last");
        pageLabel.setId(id + "-page");
        rowCount.setId(id + "-count");
        first.setTooltip(new Tooltip("First page (Home in the pager)"));
        prev.setTooltip(new Tooltip("Previous page (Page Up in the table)"));
        next.setTooltip(new Tooltip("Next page (Page Down in the table)"));
        last.setTooltip(new Tooltip("Last page (End in the pager)"));
        first.setOnAction(e -> pager.first());
        prev.setOnAction(e -> pager.previous());
        next.setOnAction(e -> pager.next());
        last.setOnAction(e -> pager.last());
        // not disabled while a page loads (clicks are ignored instead): see keepFocus
        first.disableProperty().bind(pager.atStart());
        prev.disableProperty().bind(pager.atStart());
        next.disableProperty().bind(pager.atEnd());
        last.disableProperty().bind(pager.lastUnknown());
        for (Button b : List.of(first, prev, next, last)) {
            b.disabledProperty().addListener((o, was, disabled) -> {
                if (disabled && b.isFocused()) {
                    keepFocus(b, onFocusLost);
                }
            });
        }
        pageLabel.textProperty().bind(pager.pageText());
        rowCount.textProperty().bind(pager.countTextProperty());
        pageLabel.setMinWidth(300);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        root = new HBox(6, first, prev, next, last, pageLabel, spacer, rowCount);
        root.getChildren().addAll(trailing);
        root.setAlignment(Pos.CENTER_LEFT);
        root.setId(id + "-pager");
    }

    Node node() {
        return root;
    }

    /**
     * A disabled button loses the keyboard focus, which would jump to the next control in the window
     * (Export) after every Next: a pager button that becomes disabled under the focus hands it to the
     * other end of the pager (whose state is already final when this runs, see KeysetPager#load).
     */
    private void keepFocus(Button disabled, Node fallback) {
        List<Button> candidates = disabled == first || disabled == prev ? List.of(next, last) : List.of(prev, first);
        for (Button b : candidates) {
            if (!b.isDisabled()) {
                b.requestFocus();
                return;
            }
        }
        fallback.requestFocus();
    }
}
