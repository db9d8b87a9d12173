package hakmem.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
    @Test
    void parsesKilobytes() {
        assertThat(ProcStatus.parseKb("   123456 kB")).isEqualTo(123456L * 1024);
    }

    @Test
    void peakIsAtLeastCurrent() {
        long rss = ProcStatus.rss();
        assertThat(rss).isPositive();
        assertThat(ProcStatus.peakRss()).isGreaterThanOrEqualTo(rss);
    }
}
