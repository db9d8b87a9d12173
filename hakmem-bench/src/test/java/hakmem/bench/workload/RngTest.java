package hakmem.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void referenceFinalStateAfterTwentyTwoMillionMixedOps() {
        // 2,000,000 warm-up + 20,000,000 timed ops, two draws each (GUIDE section 2)
        assertThat(Rng.advance(Rng.SEED, 2L * 22_000_000)).isEqualTo(Rng.MIXED_REFERENCE_FINAL);
    }

    @Test
    void stepIsXorshift64Star() {
        long x = Rng.SEED;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        assertThat(Rng.step(Rng.SEED)).isEqualTo(x);
        assertThat(Rng.output(x)).isEqualTo(x * 0x2545F4914F6CDD1DL);
    }

    @Test
    void threadSeedsDifferAndThreadZeroIsTheReference() {
        assertThat(Rng.seed(0)).isEqualTo(Rng.SEED);
        assertThat(Rng.seed(1)).isNotEqualTo(Rng.SEED).isNotZero();
        assertThat(Rng.seed(1)).isNotEqualTo(Rng.seed(2));
    }
}
