package hakmem.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Params are built by name; unset counts take the builder's defaults; bad counts are refused. */
class ParamsTest {

    @Test
    void builtByName() {
        Params p = Params.builder().ops(100).warmup(10).burstMb(8).idleMs(50).cycles(3).build();
        assertThat(p).isEqualTo(new Params(100, 10, 1, 400, 8, 50, 3));
        assertThat(p.toBuilder().threads(4).build().threads()).isEqualTo(4);
        assertThat(p.withOps(7).ops()).isEqualTo(7);
        assertThat(p.withOps(7).cycles()).isEqualTo(3);
    }

    @Test
    void badCountsAreRefused() {
        assertThatThrownBy(() -> Params.builder().warmup(10).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid workload counts");
        assertThatThrownBy(() -> Params.builder().ops(1).idleMs(-1).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void burstDefaultsAreNamed() {
        Params full = new Burst().defaults(false);
        assertThat(full.burstMb()).isEqualTo(64);
        assertThat(full.idleMs()).isEqualTo(2000);
        assertThat(full.cycles()).isEqualTo(2);
        assertThat(Mixed.mixed().defaults(false).ops()).isEqualTo(20_000_000);
        assertThat(new Remote().defaults(false).threads()).isEqualTo(2);
    }
}
