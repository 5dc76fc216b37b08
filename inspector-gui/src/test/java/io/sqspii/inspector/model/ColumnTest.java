package io.sqspii.inspector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sqspii.inspector.model.Column.Display;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a column is shown follows from its type, never from its name. */
class ColumnTest {

    @Test
    void theDisplayFollowsTheType() {
        assertThat(new Column("a", ColumnType.TIMESTAMP, false, null).display()).isEqualTo(Display.TIME);
        assertThat(new Column("a", ColumnType.BIGINT, true, null).display()).isEqualTo(Display.NUMBER);
        assertThat(new Column("a", ColumnType.TEXT, true, null).display()).isEqualTo(Display.CODE);
        assertThat(Column.pii("a", true, Column.PiiMode.RANDOMIZED).display()).isEqualTo(Display.CIPHERTEXT);
        // the same name, another type: another width
        assertThat(new Column("message_id", ColumnType.BIGINT, false, null).prefWidth())
                .isNotEqualTo(
                        Column.text("message_id", false, Display.REFERENCE).prefWidth());
    }

    @Test
    void onlyTextChoosesAmongTheKindsOfText() {
        assertThat(Column.text("a", false, Display.PROSE).prefWidth()).isEqualTo(Display.PROSE.prefWidth);
        assertThatThrownBy(() -> new Column("a", ColumnType.TIMESTAMP, false, null, Display.PROSE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TIMESTAMP");
        assertThatThrownBy(() -> new Column("a", ColumnType.TEXT, false, Column.PiiMode.DETERMINISTIC, Display.PERSON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PII");
        assertThatThrownBy(() -> Column.text("a", false, Display.CIPHERTEXT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Column.text("a", false, Display.TIME)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyThePiiColumnsAreAbbreviatedButAJsonDocumentIsShownWhole() {
        assertThat(Column.pii("a", true, Column.PiiMode.DETERMINISTIC).display().abbreviated)
                .isTrue();
        for (Column c : TableSpec.AUDIT.columns()) {
            assertThat(c.display().abbreviated).as(c.name()).isFalse();
        }
        assertThat(TableSpec.AUDIT.hasPii()).isFalse();
        Column items = new Column(
                "items",
                ColumnType.JSON,
                false,
                Column.PiiMode.RANDOMIZED,
                Display.of(ColumnType.JSON, Column.PiiMode.RANDOMIZED),
                false,
                "orders",
                List.of("/holder_name"));
        assertThat(items.display()).isEqualTo(Display.JSON);
        assertThat(items.display().abbreviated).isFalse();
        assertThat(items.hasPiiItems()).isTrue();
        assertThat(items.sortable()).isFalse();
    }

    @Test
    void aTablesKeyIsOneOfItsColumns() {
        assertThat(TableSpec.AUDIT.key()).isSameAs(TableSpec.AUDIT.requireColumn("id"));
        assertThatThrownBy(() -> new TableSpec("t", "nope", List.of(Column.text("id", false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> new TableSpec(
                        "t", Column.text("id", false, Display.REFERENCE), List.of(Column.text("id", false))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
