package hakmem.bench.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.bench.result.ResidentCurve.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The curve figures on synthetic curves whose answers are known exactly. */
class ResidentCurveTest {
    static final long MIB = 1 << 20;

    /** 1 MiB from 0 s, 3 MiB from 1 s, 1 MiB again from 3 s. */
    static final ResidentCurve STEP = ResidentCurve.of(List.of(new Point(1000, 3 * MIB), new Point(0, MIB),
            new Point(3000, MIB)));

    @Test
    void mibSecondsOfAStepCurveAreExact() {
        assertThat(STEP.mibSeconds(0, 4000)).isEqualTo(1 + 3 * 2 + 1);
        assertThat(STEP.mibSeconds(500, 3500)).isEqualTo(0.5 + 3 * 2 + 0.5);
        assertThat(STEP.mibSeconds(1000, 3000)).isEqualTo(6);
        assertThat(STEP.mibSeconds(-1000, 4000)).as("nothing before the first point").isEqualTo(8);
        assertThat(STEP.mibSeconds(2000, 2000)).isZero();
        assertThat(ResidentCurve.of(List.of()).mibSeconds(0, 1)).isNaN();
    }

    @Test
    void firstAtOrBelowFindsTheStepDown() {
        assertThat(STEP.firstAtOrBelow(1000, 4000, 2 * MIB)).hasValue(3000);
        assertThat(STEP.firstAtOrBelow(1000, 2999, 2 * MIB)).isEmpty();
        assertThat(STEP.firstAtOrBelow(3500, 4000, 2 * MIB)).as("the value held at the start counts").hasValue(3500);
        assertThat(STEP.firstAtOrBelow(1500, 4000, 3 * MIB)).hasValue(1500);
        assertThat(STEP.valueAt(-1)).isNaN();
        assertThat(STEP.valueAt(2999)).isEqualTo(3 * MIB);
    }

    @Test
    void recommitCountsFallsFaultedBackWithinTheWindow() {
        ResidentCurve c = ResidentCurve.of(List.of(new Point(0, 10 * MIB), new Point(100, 2 * MIB),
                new Point(600, 6 * MIB), new Point(2000, 10 * MIB)));
        // 8 MiB leave at 100 ms; 4 MiB come back at 600 ms (within 1 s); the next 4 MiB come 1.9 s later: fresh
        assertThat(c.recommittedBytes(0, 3000, 1000)).isEqualTo(4 * MIB);
        assertThat(c.recommittedBytes(0, 3000, 2000)).isEqualTo(8 * MIB);
        assertThat(c.recommittedBytes(0, 3000, 400)).isZero();
        assertThat(c.recommittedBytes(0, 500, 1000)).as("window ends before the rise").isZero();
    }

    @Test
    void recommitWindowIsInclusiveAndCreditsAreUsedOnce() {
        ResidentCurve c = ResidentCurve.of(List.of(new Point(0, 4 * MIB), new Point(100, 0), new Point(1100, 3 * MIB),
                new Point(1200, 2 * MIB), new Point(1300, 5 * MIB)));
        // fall 4 @100; rise 3 @1100 (age exactly 1 s: counts) leaves 1 of that credit; fall 1 @1200; rise 3 @1300:
        // the first credit is 1.2 s old (expired), the second (1 MiB) is used
        assertThat(c.recommittedBytes(0, 2000, 1000)).isEqualTo(3 * MIB + MIB);
    }

    @Test
    void fallenBytesSumTheFallsInTheWindow() {
        ResidentCurve c = ResidentCurve.of(List.of(new Point(0, 10 * MIB), new Point(100, 2 * MIB),
                new Point(600, 6 * MIB), new Point(2000, MIB)));
        assertThat(c.fallenBytes(0, 3000)).isEqualTo(8 * MIB + 5 * MIB);
        assertThat(c.fallenBytes(0, 1000)).isEqualTo(8 * MIB);
        assertThat(c.fallenBytes(150, 3000)).as("the fall at 100 ms is outside").isEqualTo(5 * MIB);
        assertThat(STEP.fallenBytes(0, 4000)).isEqualTo(2 * MIB);
    }

    @Test
    void pointsMustBeInTimeOrder() {
        assertThatThrownBy(() -> new ResidentCurve(List.of(new Point(2, 1), new Point(1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of time order");
    }
}
