package hakmem.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void orderStatistics() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(Stats.median(v)).isEqualTo(3);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.min(v)).isEqualTo(1);
        assertThat(Stats.max(v)).isEqualTo(5);
        assertThat(Stats.percentile(v, 50)).isEqualTo(3);
        assertThat(Stats.percentile(v, 90)).isEqualTo(5);
        assertThat(Stats.percentile(v, 99)).isEqualTo(5);
        assertThat(Stats.cv(new double[] {10, 10, 10})).isZero();
        assertThat(Stats.cv(new double[] {9, 11})).isCloseTo(Math.sqrt(2) / 10, within(1e-12));
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void slopeOfALine() {
        assertThat(Stats.slope(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11})).isCloseTo(2, within(1e-12));
        assertThat(Stats.slope(new double[] {1}, new double[] {1})).isZero();
    }
}
