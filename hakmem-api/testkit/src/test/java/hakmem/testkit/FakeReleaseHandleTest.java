package hakmem.testkit;

import static hakmem.testkit.FakeReleaseHandle.CLASSES;
import static hakmem.testkit.FakeReleaseHandle.SLAB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.SizeClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeReleaseHandleTest {

    static final SizeClass C3 = CLASSES.get(3);

    @Test
    void theClassTableIsTheCores() {
        assertThat(CLASSES).hasSize(28);
        assertThat(CLASSES.get(0).blockSize()).isEqualTo(8);
        assertThat(CLASSES.get(7).blockSize()).isEqualTo(1024);
        assertThat(CLASSES.getLast().blockSize()).isEqualTo(32768);
        assertThat(CLASSES).allMatch(c -> c.slabBytes() == SLAB && c.superSlabBytes() == FakeReleaseHandle.SUPER);
    }

    @Test
    void decommitEmptyReleasesTheOldestFirstDownToKeepAndHonoursTheIdleTime() {
        FakeReleaseHandle h = new FakeReleaseHandle(List.of());
        EmptySlab old = h.slabEmptied(C3);
        h.advanceMillis(100);
        h.slabEmptied(C3);
        h.slabEmptied(C3);
        assertThat(h.emptyCommittedBytes(C3)).isEqualTo(3 * SLAB);

        // only the old one has been idle 50 ms
        assertThat(h.decommitEmpty(C3, 0, 50_000_000L, Advice.DONTNEED)).isEqualTo(SLAB);
        assertThat(h.emptySlabs(C3).getFirst()).satisfies(s -> {
            assertThat(s.address()).isEqualTo(old.address());
            assertThat(s.committed()).isFalse();
        });
        // keep one slab: one more goes
        assertThat(h.decommitEmpty(C3, SLAB, 0, Advice.FREE)).isEqualTo(SLAB);
        assertThat(h.emptyCommittedBytes(C3)).isEqualTo(SLAB);
        assertThat(h.slabsDecommitted()).isEqualTo(2);
        assertThat(h.bytesDecommitted()).isEqualTo(2 * SLAB);
        assertThat(h.log()).containsExactly("decommitEmpty C3 keep=0 idle=50000000 DONTNEED",
                "decommitEmpty C3 keep=65536 idle=0 FREE");

        h.disableDecommit();
        assertThat(h.decommitEmpty(C3, 0, 0, Advice.DONTNEED)).isZero();
        assertThat(h.decommitEnabled()).isFalse();
        assertThat(h.violations()).isEmpty();
    }

    @Test
    void aReusedSlabIsTheFreshestCommittedOneAndCannotBeDecommitted() {
        FakeReleaseHandle h = new FakeReleaseHandle(List.of());
        h.slabEmptied(C3);
        EmptySlab fresh = h.slabEmptied(C3);
        h.slabReused(C3);
        assertThat(h.emptySlabCount(C3)).isEqualTo(1);
        assertThat(h.decommit(fresh, Advice.DONTNEED)).as("no longer empty").isFalse();
        assertThat(h.violations()).isEmpty();
        assertThatThrownBy(() -> {
            h.slabReused(C3);
            h.slabReused(C3);
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("no empty slab");
    }

    @Test
    void retireKeepsTheRequestedNumberAndHonoursTheIdleTime() {
        FakeReleaseHandle h = new FakeReleaseHandle(List.of());
        h.superSlabEmptied(C3);
        h.superSlabEmptied(C3);
        h.advanceMillis(10);
        h.superSlabEmptied(C3);
        assertThat(h.retireEmptySuperSlabs(C3, 0, 5_000_000L)).isEqualTo(2);
        assertThat(h.retireEmptySuperSlabs(C3, 1, 0)).isZero();
        assertThat(h.emptySuperSlabCount(C3)).isEqualTo(1);
        assertThat(h.superSlabsRetired()).isEqualTo(2);
    }

    @Test
    void misuseIsRecorded() {
        FakeReleaseHandle h = new FakeReleaseHandle(List.of("x_decommits"));
        h.count("x_decommits", 2);
        assertThat(h.counter("x_decommits")).isEqualTo(2);
        assertThatThrownBy(() -> h.count("other", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'other' was not declared");
        assertThatThrownBy(() -> h.count("x_decommits", -1)).hasMessageContaining("only increase");
        h.decommit(new EmptySlab(C3, 0x1000, SLAB, 0, true), Advice.DONTNEED);
        h.decommitEmpty(C3, -1, 0, Advice.DONTNEED);
        h.retireEmptySuperSlabs(new hakmem.api.spi.SizeClass(3, 99, SLAB, FakeReleaseHandle.SUPER), 0, 0);
        assertThat(h.violations()).hasSize(5).satisfiesExactly(
                v -> assertThat(v).contains("'other' was not declared"),
                v -> assertThat(v).contains("only increase"),
                v -> assertThat(v).contains("never handed out"),
                v -> assertThat(v).contains("negative keepBytes"),
                v -> assertThat(v).contains("not one of the handle's size classes"));
    }

    @Test
    void whenGuardedACallOutsideACallbackIsAViolation() {
        FakeReleaseHandle h = new FakeReleaseHandle(List.of());
        h.guardCallbacks();
        h.inCallback(() -> h.emptyCommittedBytes(C3));
        assertThat(h.violations()).isEmpty();
        h.emptyCommittedBytes(C3);
        assertThat(h.violations()).singleElement().asString().contains("emptyCommittedBytes", "outside any policy callback");
    }
}
