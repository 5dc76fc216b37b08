package io.sqspii.inspector.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A histogram's ranges have a round width: the smallest of 1, 2, 2.5, 5 times a power of ten that is wide enough. */
class HistogramWidthTest {

    private static BigDecimal width(String raw, boolean integer) {
        return OverviewRepository.roundWidth(new BigDecimal(raw), integer);
    }

    @Test
    void roundWidths() {
        assertThat(width("3.6", false)).isEqualByComparingTo("5");
        assertThat(width("24.45", false)).isEqualByComparingTo("25");
        assertThat(width("2", false)).isEqualByComparingTo("2");
        assertThat(width("0.013", false)).isEqualByComparingTo("0.02");
        assertThat(width("3.600000", false)).isEqualByComparingTo("5");
        assertThat(width("6", false)).isEqualByComparingTo("10");
        // whole numbers for an integer column: no 2.5, never below 1
        assertThat(width("0.3", true)).isEqualByComparingTo("1");
        assertThat(width("2.1", true)).isEqualByComparingTo("5");
        assertThat(width("24", true)).isEqualByComparingTo("50");
    }
}
