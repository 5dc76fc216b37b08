package io.sqspii.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.data.Session.RevealRight;
import io.sqspii.inspector.model.Column;
import io.sqspii.inspector.model.InspectorException;
import io.sqspii.inspector.model.Purpose;
import io.sqspii.inspector.model.TableSpec;
import io.sqspii.inspector.reveal.GrantNeededException;
import io.sqspii.inspector.reveal.RevealClient.Cell;
import io.sqspii.inspector.reveal.RevealClient.Revealed;
import io.sqspii.reveal.api.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javafx.util.Duration;
import org.junit.jupiter.api.Test;

/**
 * The reveal rules without a window: who may reveal and why not now, when to ask first, what is shown
 * and for how long, when hiding clears the clipboard. The reveal service is a stand-in of the flow's
 * Revealer here (the rules are the subject); RevealThroughServiceIT runs the same flow against the
 * running service and checks the audit rows.
 */
class RevealFlowTest {

    static final String LOGIN = "alice";

    final QueuedBackground background = QueuedBackground.immediate();
    final Map<Cell, Long> sharing = new HashMap<>();
    final List<Cell> counted = new ArrayList<>();
    final List<List<Cell>> requests = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    final List<String> purposes = new ArrayList<>();
    /** An everyday purpose for every column, as TestDb creates, and the built-in break-glass. */
    static final Purpose TESTS = purpose("tests", false, new Purpose.Allowed("*", "*"));

    static final Purpose BREAK_GLASS = purpose(Purpose.BREAK_GLASS, false, new Purpose.Allowed("*", "*"));
    List<Purpose> offered = List.of(TESTS, BREAK_GLASS);

    static Purpose purpose(String code, boolean approval, Purpose.Allowed... allows) {
        return new Purpose(code, "for " + code, 10, java.time.Duration.ofHours(1), approval, false, List.of(allows));
    }

    final List<String> status = new ArrayList<>();
    final Clip clipboard = new Clip();
    /** What the service answers; by default each cell's plaintext is "plain:" + its key. */
    RevealFlow.Revealer service = (cells, purpose, reason) -> cells.stream()
            .map(c -> new Revealed(c, 1, "plain:" + c.key(), null))
            .toList();

    /** The clipboard as text; the system one is exercised by RevealThroughServiceIT. */
    static final class Clip implements RevealFlow.ClipboardText {
        String text;

        @Override
        public String text() {
            return text;
        }

        @Override
        public void clear() {
            text = null;
        }
    }

    RevealFlow flow(RevealRight right) {
        RevealFlow f = new RevealFlow(
                right,
                LOGIN,
                "user_logins",
                Duration.seconds(30),
                c -> {
                    counted.add(c);
                    return sharing.getOrDefault(c, 1L);
                },
                (cells, purpose, reason) -> {
                    requests.add(cells);
                    reasons.add(reason);
                    purposes.add(purpose);
                    return service.reveal(cells, purpose, reason);
                },
                background,
                clipboard,
                status::add);
        f.setPurposes(offered);
        return f;
    }

    /** The two tables as the PII catalog declares them (no database: the specs are written out here). */
    static final TableSpec LOGINS = new TableSpec(
            "user_logins",
            "message_id",
            List.of(
                    Column.text("message_id", false),
                    new Column(
                            "masked_ip",
                            io.sqspii.inspector.model.ColumnType.TEXT,
                            true,
                            Column.PiiMode.DETERMINISTIC)));

    static final TableSpec REJECTED = new TableSpec(
            "user_logins_rejected",
            "message_id",
            List.of(
                    Column.text("message_id", false),
                    new Column(
                            "encrypted_body",
                            io.sqspii.inspector.model.ColumnType.TEXT,
                            true,
                            Column.PiiMode.RANDOMIZED)));

    static Cell ip(String key) {
        return new Cell(LOGINS, key, "masked_ip");
    }

    static Cell body(String key) {
        return new Cell(REJECTED, key, "encrypted_body");
    }

    RevealFlow ready(List<Cell> cells) {
        RevealFlow f = flow(RevealRight.GRANTED);
        f.select(cells);
        f.reasonProperty().set("INC-1");
        return f;
    }

    // --- who may reveal, and why not now -------------------------------------------------------

    @Test
    void aLoginWithoutTheRoleIsToldSoBeforeSelectingAnything() {
        RevealFlow f = flow(RevealRight.NOT_GRANTED);
        assertThat(f.blockerProperty().get())
                .isEqualTo("Reveal needs the pii_reader role: login alice may not execute pii_reveal.");
        f.select(List.of(ip("m1")));
        f.reasonProperty().set("INC-1");
        assertThat(f.blockerProperty().get()).contains("pii_reader");
        f.reveal();
        assertThat(requests).isEmpty();
        assertThat(background.submitted()).isEmpty();
    }

    @Test
    void aDatabaseWithoutTheFunctionIsToldSo() {
        assertThat(flow(RevealRight.NO_FUNCTION).blockerProperty().get())
                .contains("no pii_reveal function")
                .contains("schema.sql");
    }

    @Test
    void aReaderNeedsACellAndAReasonAndAnIdleWindow() {
        RevealFlow f = flow(RevealRight.GRANTED);
        assertThat(f.blockerProperty().get()).isEqualTo("Select a cell of a PII column to reveal it.");
        f.select(List.of(ip("m1")));
        assertThat(f.blockerProperty().get())
                .isEqualTo("Enter the detail of your reason (case, ticket): it is written to the audit log.");
        f.reasonProperty().set("   ");
        assertThat(f.blockerProperty().get())
                .isEqualTo("Enter the detail of your reason (case, ticket): it is written to the audit log.");
        f.reasonProperty().set("INC-1");
        assertThat(f.blockerProperty().get()).isNull();
        assertThat(f.hintProperty().get()).isEqualTo(RevealFlow.AUDITED);
        f.busyProperty().set(true);
        assertThat(f.blockerProperty().get()).isEqualTo("Busy…");
        f.reveal();
        assertThat(requests).isEmpty();
        f.busyProperty().set(false);
        assertThat(f.blockerProperty().get()).isNull();
    }

    // --- when to ask first ---------------------------------------------------------------------

    @Test
    void oneValueOfOneRowIsRevealedWithoutAQuestion() {
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        assertThat(f.questionProperty().get()).isNull();
        assertThat(requests).containsExactly(List.of(ip("m1")));
        assertThat(reasons).containsExactly("INC-1");
        assertThat(background.submitted())
                .containsExactly("Counting rows that share the selected values", "Revealing (audited)");
    }

    @Test
    void aSharedDeterministicValueSaysHowManyRowsItExposesAndNoRevealsNothing() {
        sharing.put(ip("m9"), 2L);
        RevealFlow f = ready(List.of(ip("m9")));
        f.reveal();
        RevealFlow.Question q = f.questionProperty().get();
        assertThat(q.header()).isEqualTo("Reveal a shared value?");
        assertThat(q.text())
                .isEqualTo("masked_ip of m9: the same value is in 2 rows — revealing it exposes all of them.");
        // while it asks, nothing else starts
        assertThat(f.blockerProperty().get()).isEqualTo("Busy…");
        assertThat(requests).isEmpty();

        f.answer(false);
        assertThat(requests).isEmpty();
        assertThat(f.questionProperty().get()).isNull();
        assertThat(f.hintProperty().get()).isEqualTo(RevealFlow.NOTHING_REVEALED);
        assertThat(f.reasonProperty().get()).isEqualTo("INC-1");

        f.reveal();
        f.answer(true);
        assertThat(requests).containsExactly(List.of(ip("m9")));
        assertThat(f.shownProperty().get().info()).contains("a value 2 rows share");
    }

    @Test
    void moreThanThreeCellsAskFirstThreeDoNot() {
        List<Cell> three = List.of(ip("a"), ip("b"), ip("c"));
        RevealFlow f = ready(three);
        f.reveal();
        assertThat(f.questionProperty().get()).isNull();
        assertThat(requests).hasSize(1);

        RevealFlow g = ready(List.of(ip("a"), ip("b"), ip("c"), ip("d"), ip("e")));
        g.reveal();
        assertThat(g.questionProperty().get().header()).isEqualTo("Reveal 5 values?");
        assertThat(g.questionProperty().get().text())
                .isEqualTo("You are about to reveal 5 values. Each one is written to the audit log with your reason.");
        assertThat(requests).hasSize(1);
    }

    @Test
    void randomizedValuesAreNotCountedTheyRepeatNowhere() {
        RevealFlow f = ready(List.of(body("r1"), ip("m1")));
        f.reveal();
        assertThat(counted).containsExactly(ip("m1"));
    }

    @Test
    void aLongListOfSharedValuesNamesTenAndCountsTheRest() {
        List<Cell> cells = IntStream.range(0, 13).mapToObj(i -> ip("m" + i)).toList();
        cells.forEach(c -> sharing.put(c, 3L));
        RevealFlow.Question q = RevealFlow.question(cells, new java.util.LinkedHashMap<>(sharing));
        assertThat(q.header()).isEqualTo("Reveal 13 values?");
        assertThat(q.text().lines()).hasSize(1 + 10 + 1);
        assertThat(q.text().lines().toList().get(11)).isEqualTo("… and 3 more shared values.");
    }

    // --- what is shown, and the reason ----------------------------------------------------------

    @Test
    void theRevealedTextIsShownTheReasonClearedAndNothingElseCarriesIt() {
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        RevealFlow.Shown shown = f.shownProperty().get();
        assertThat(shown.text()).isEqualTo("plain:m1");
        assertThat(shown.info())
                .isEqualTo("Revealed masked_ip of m1; audit rows written. Hidden again in 30 s or when the"
                        + " selection changes.");
        assertThat(f.reasonProperty().get()).isEmpty();
        assertThat(f.blockerProperty().get())
                .isEqualTo("Enter the detail of your reason (case, ticket): it is written to the audit log.");
        assertThat(f.hintProperty().get()).doesNotContain("plain:");
        assertThat(shown.toString()).doesNotContain("plain:");
        assertThat(status).isEmpty();
    }

    @Test
    void severalValuesAreNamedAndACellTheServiceCouldNotDecryptSaysWhy() {
        service = (cells, purpose, reason) -> List.of(
                new Revealed(cells.get(0), 1, "10.0.0.1", null),
                new Revealed(cells.get(1), 2, null, "no key 12345 for user_logins"));
        RevealFlow f = ready(List.of(ip("m1"), ip("m2")));
        f.reveal();
        assertThat(f.shownProperty().get().text())
                .isEqualTo(
                        "masked_ip of m1: 10.0.0.1\n" + "masked_ip of m2: not revealed — no key 12345 for user_logins");
        assertThat(f.shownProperty().get().info()).startsWith("Revealed 2 values (1 failed); audit rows written.");
        assertThat(f.shownProperty().get().plaintexts()).containsExactly("10.0.0.1");
    }

    @Test
    void aRefusedRequestIsToldAndKeepsTheReason() {
        service = (cells, purpose, reason) -> {
            throw new InspectorException("Reveal refused: at most 20 cells per request");
        };
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        assertThat(f.hintProperty().get()).isEqualTo("Reveal refused: at most 20 cells per request");
        assertThat(f.shownProperty().get()).isNull();
        assertThat(f.reasonProperty().get()).isEqualTo("INC-1");
    }

    // --- hiding: when, and the clipboard -------------------------------------------------------

    @Test
    void anotherSelectionHidesTheTextAndTakesItOffTheClipboard() {
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        assertThat(f.hideAfter()).isEqualTo(Duration.seconds(30));
        clipboard.text = "copied: plain:m1 and more";
        f.select(List.of());
        assertThat(f.shownProperty().get()).isNull();
        assertThat(clipboard.text).isNull();
        assertThat(status).containsExactly(RevealFlow.SCRUBBED);
    }

    @Test
    void otherClipboardTextIsLeftAlone() {
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        clipboard.text = "ticket text";
        f.hide();
        assertThat(f.shownProperty().get()).isNull();
        assertThat(clipboard.text).isEqualTo("ticket text");
        assertThat(status).isEmpty();
    }

    @Test
    void aNewRevealHidesThePreviousTextFirst() {
        RevealFlow f = ready(List.of(ip("m1")));
        f.reveal();
        clipboard.text = "plain:m1";
        RevealFlow.Shown first = f.shownProperty().get();
        f.reasonProperty().set("INC-2");
        f.reveal();
        assertThat(f.shownProperty().get()).isNotSameAs(first);
        // the first text left the clipboard when it left the screen
        assertThat(clipboard.text).isNull();
    }

    @Test
    void theScrubLooksForEveryRevealedValueAndNeverForAnEmptyOne() {
        assertThat(RevealFlow.scrubs("a 10.0.0.1 b", List.of("x", "10.0.0.1"))).isTrue();
        assertThat(RevealFlow.scrubs("anything", List.of(""))).isFalse();
        assertThat(RevealFlow.scrubs(null, List.of("10.0.0.1"))).isFalse();
        assertThat(RevealFlow.scrubs("10.0.0.", List.of("10.0.0.1"))).isFalse();
    }

    // --- purposes and grants -----------------------------------------------------------------------

    @Test
    void thePurposesOfferedAreThoseThatAllowEverySelectedColumnAndTheOnlyEverydayOneIsChosen() {
        Purpose support = purpose("support", true, new Purpose.Allowed("user_logins", "masked_ip"));
        Purpose fraud = purpose("fraud", true, new Purpose.Allowed("user_logins", "*"));
        Purpose orders = purpose("orders-only", true, new Purpose.Allowed("orders", "*"));
        offered = List.of(support, fraud, orders, BREAK_GLASS);
        RevealFlow f = flow(RevealRight.GRANTED);
        f.select(List.of(ip("m1")));
        assertThat(f.choicesProperty().get()).containsExactly(support, fraud, BREAK_GLASS);
        // two everyday purposes fit: the reader chooses
        assertThat(f.purposeProperty().get()).isNull();
        f.reasonProperty().set("INC-1");
        assertThat(f.blockerProperty().get())
                .isEqualTo("Choose the purpose of this reveal: it is written to the audit log.");
        f.purposeProperty().set(support);
        assertThat(f.blockerProperty().get()).isNull();
        // a body of the rejected table: support does not allow it, fraud does and stays the only everyday choice
        f.select(List.of(ip("m1"), body("r1")));
        assertThat(f.choicesProperty().get()).containsExactly(fraud, BREAK_GLASS);
        assertThat(f.purposeProperty().get()).isEqualTo(fraud);
        f.reveal();
        assertThat(purposes).containsExactly("fraud");
        assertThat(reasons).containsExactly("INC-1");
    }

    @Test
    void withNoPurposeForTheColumnsTheReaderIsToldWhoDefinesThem() {
        offered = List.of(purpose("orders-only", true, new Purpose.Allowed("orders", "*")));
        RevealFlow f = ready(List.of(ip("m1")));
        assertThat(f.choicesProperty().get()).isEmpty();
        assertThat(f.blockerProperty().get())
                .isEqualTo("No purpose allows masked_ip of user_logins: a pii_admin defines"
                        + " purposes (pii_define_purpose).");
        f.reveal();
        assertThat(requests).isEmpty();
    }

    @Test
    void breakGlassIsNeverChosenForTheReader() {
        offered = List.of(BREAK_GLASS);
        RevealFlow f = ready(List.of(ip("m1")));
        assertThat(f.choicesProperty().get()).containsExactly(BREAK_GLASS);
        assertThat(f.purposeProperty().get()).isNull();
    }

    @Test
    void aRevealRefusedForWantOfAGrantSaysSoAndNamesWhatToRequest() {
        service = (cells, purpose, reason) -> {
            throw new GrantNeededException(
                    ErrorCode.NO_GRANT,
                    "No grant for this reveal: no active grant of alice covers user_logins.masked_ip"
                            + " for purpose tests with cells left: request one (pii_request_grant).");
        };
        RevealFlow f = ready(List.of(ip("m1"), ip("m2")));
        f.reveal();
        assertThat(f.hintProperty().get()).startsWith("No grant for this reveal: no active grant of alice");
        assertThat(f.grantNeededProperty().get())
                .isEqualTo(new RevealFlow.GrantNeed("user_logins", List.of("masked_ip"), "tests"));
        assertThat(f.shownProperty().get()).isNull();
        assertThat(f.reasonProperty().get()).isEqualTo("INC-1");
        // another selection: the offer goes
        f.select(List.of(ip("m3")));
        assertThat(f.grantNeededProperty().get()).isNull();
    }
}
