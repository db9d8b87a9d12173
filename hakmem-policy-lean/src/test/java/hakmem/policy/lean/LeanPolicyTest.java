package hakmem.policy.lean;

import static hakmem.testkit.FakeReleaseHandle.CLASSES;
import static hakmem.testkit.FakeReleaseHandle.SLAB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.spi.SizeClass;
import hakmem.testkit.FakeReleaseHandle;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LeanPolicyTest {

    static final SizeClass C3 = CLASSES.get(3);
    static final SizeClass C12 = CLASSES.get(12);

    @Nested
    class Prewarm {

        @Test
        void leanAndBalancedPrewarmNothingAndCountTheTinyPrewarmsTheySkip() {
            for (LeanPolicy p : new LeanPolicy[] {Policies.lean(Map.of()), Policies.balanced(Map.of())}) {
                for (SizeClass c : CLASSES) {
                    assertThat(p.prewarmSuperSlabs(c)).isZero();
                }
                // asked twice (e.g. for a report): still one skipped prewarm per tiny class
                CLASSES.forEach(p::prewarmSuperSlabs);
                FakeReleaseHandle h = Policies.handle();
                assertThat(h.counter("lean_prewarm_skipped")).isZero();
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                assertThat(h.counter("lean_prewarm_skipped")).isEqualTo(8);
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                assertThat(h.counter("lean_prewarm_skipped")).as("reported once").isEqualTo(8);
            }
        }

        @Test
        void skippedPrewarmsAreAlsoReportedByTheTicker() {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.delay.ms", "100"));
            CLASSES.forEach(p::prewarmSuperSlabs);
            FakeReleaseHandle h = Policies.handle();
            p.onTick(h);
            assertThat(h.counter("lean_prewarm_skipped")).isEqualTo(8);
        }
    }

    @Nested
    class Immediate {

        @ParameterizedTest
        @CsvSource({"DONTNEED,DONTNEED", "FREE,FREE", "dontneed,DONTNEED", "free,FREE"})
        void slabEmptyDecommitsBeyondOneKeptSlabWithTheChosenAdvice(String option, String advice) {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.decommit", option));
            FakeReleaseHandle h = Policies.handle();
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            assertThat(h.madvises()).as("the first empty slab is the kept one").isZero();
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            assertThat(h.madvises()).isEqualTo(2);
            assertThat(h.emptyCommittedBytes(C3)).isEqualTo(SLAB);
            assertThat(h.log()).allMatch(l -> l.equals("decommitEmpty C3 keep=" + SLAB + " idle=0 " + advice));
            assertThat(h.counter("lean_decommit")).isEqualTo(2);
            assertThat(h.counter("lean_bytes_decommitted")).isEqualTo(2 * SLAB);
            assertThat(h.counter("lean_retire")).isZero();
        }

        @Test
        void theOldestEmptySlabIsDecommittedAndTheFreshestKept() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            var first = h.slabEmptied(C3);
            p.onSlabEmpty(first, false, h);
            h.advanceMillis(5);
            var second = h.slabEmptied(C3);
            p.onSlabEmpty(second, false, h);
            assertThat(h.emptySlabs(C3)).filteredOn(s -> s.committed())
                    .singleElement().extracting(s -> s.address()).isEqualTo(second.address());
        }

        @Test
        void pingPongAtASlabBoundaryMakesNoSystemCalls() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 10_000; i++) {
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                h.slabReused(C3);
            }
            assertThat(h.madvises()).isZero();
            assertThat(h.superSlabsRetired()).isZero();
        }

        @Test
        void pingPongAtASuperSlabBoundaryKeepsOneEmptySuperSlabMapped() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 10_000; i++) {
                h.superSlabEmptied(C12);
                p.onSlabEmpty(h.slabEmptied(C12), true, h);
                h.superSlabReused(C12);
                h.slabReused(C12);
            }
            assertThat(h.superSlabsRetired()).isZero();
            assertThat(h.madvises()).isZero();
        }

        @Test
        void keepZeroSlabsDecommitsEveryEmptySlab() {
            LeanPolicy p = Policies.lean(Map.of("lean.keep.slabs", "0"));
            FakeReleaseHandle h = Policies.handle();
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            assertThat(h.madvises()).isEqualTo(1);
            assertThat(h.emptyCommittedBytes(C3)).isZero();
        }

        @Test
        void keepThreeSlabsKeepsThree() {
            LeanPolicy p = Policies.lean(Map.of("lean.keep.slabs", "3"));
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 10; i++) {
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
            }
            assertThat(h.emptyCommittedBytes(C3)).isEqualTo(3 * SLAB);
            assertThat(h.madvises()).isEqualTo(7);
        }

        @Test
        void onlyTheEventsClassIsTouched() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            h.slabEmptied(C12);
            h.slabEmptied(C12);
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            assertThat(h.emptyCommittedBytes(C12)).isEqualTo(2 * SLAB);
        }

        @Test
        void emptySuperSlabsBeyondTheBudgetAreRetiredBeforeDecommitting() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 5; i++) {
                h.superSlabEmptied(C12);
            }
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            // default target 10 MB / 28 classes is under one 2 MiB superslab: keep the hysteresis minimum, one
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(1);
            assertThat(h.counter("lean_retire")).isEqualTo(4);
            assertThat(h.log()).containsExactly("retire C12 keep=1 idle=0", "decommitEmpty C12 keep=" + SLAB + " idle=0 DONTNEED");
        }

        @Test
        void noRetireWhenOnlyASlabEmptied() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            h.superSlabEmptied(C12);
            h.superSlabEmptied(C12);
            p.onSlabEmpty(h.slabEmptied(C12), false, h);
            assertThat(h.log()).noneMatch(l -> l.startsWith("retire"));
        }

        @Test
        void aBiggerTargetKeepsMoreEmptySuperSlabs() {
            // 256 MiB / 28 classes = 9.1 MiB per class: four whole 2 MiB superslabs
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.target.mb", "256"));
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 10; i++) {
                h.superSlabEmptied(C12);
            }
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(4);
            assertThat(h.counter("lean_retire")).isEqualTo(6);
            assertThat(p.residentBudget(C12)).isEqualTo((256L << 20) / 28);
        }

        @Test
        void decommitDisabledByTheCoreStillRetires() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            h.disableDecommit();
            h.superSlabEmptied(C12);
            h.superSlabEmptied(C12);
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            p.onSlabEmpty(h.slabEmptied(C12), false, h);
            assertThat(h.log()).noneMatch(l -> l.startsWith("decommit"));
            assertThat(h.counter("lean_retire")).isEqualTo(1);
            assertThat(h.counter("lean_decommit")).isZero();
        }

        @Test
        void withoutADelayTheTickerOnlyReapsAndWithoutReapingThereIsNone() {
            assertThat(Policies.lean(Map.of()).tickIntervalMillis()).isEqualTo(250);
            assertThat(Policies.lean(Map.of("lean.keep.idle.ms", "0")).tickIntervalMillis()).isZero();
        }
    }

    @Nested
    class Off {

        @Test
        void leanWithDecommitOffReleasesNothing() {
            assertReleasesNothing(Policies.lean(Map.of("ss.mem.lean.decommit", "OFF")));
            assertReleasesNothing(Policies.lean(Map.of("ss.mem.lean.decommit", "off", "ss.mem.lean.delay.ms", "100")));
        }

        @Test
        void balancedReleasesNothingWhateverTheLeanOptionsSay() {
            assertReleasesNothing(Policies.balanced(Map.of()));
            assertReleasesNothing(Policies.balanced(Map.of("ss.mem.lean.decommit", "DONTNEED", "ss.mem.lean.delay.ms", "100")));
        }

        private void assertReleasesNothing(LeanPolicy p) {
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 50; i++) {
                h.superSlabEmptied(C12);
                p.onSlabEmpty(h.slabEmptied(C12), true, h);
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                h.advanceMillis(1_000);
                p.onTick(h);
            }
            assertThat(h.log()).isEmpty();
            assertThat(p.tickIntervalMillis()).isZero();
            assertThat(p.residentBudget(C3)).isEqualTo(Long.MAX_VALUE);
            assertThat(h.counter("lean_decommit") + h.counter("lean_retire") + h.counter("lean_bytes_decommitted")).isZero();
        }
    }

    @Nested
    class Delayed {

        @ParameterizedTest
        @CsvSource({"1,1000,10", "20,1000,10", "40,1000,10", "200,1000,50", "1000,1000,250", "2000,1000,250",
                "2000,0,500", "100,200,25"})
        void tickIsAQuarterOfTheShortestWaitAndAtLeastTenMillis(long delay, long keepIdle, long tick) {
            assertThat(Policies.lean(Map.of("ss.mem.lean.delay.ms", Long.toString(delay),
                    "lean.keep.idle.ms", Long.toString(keepIdle))).tickIntervalMillis()).isEqualTo(tick);
        }

        @Test
        void theEventDoesNothingAndTheTickReleasesWhatStayedEmptyForTheDelay() {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.delay.ms", "200"));
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 4; i++) {
                h.superSlabEmptied(C12);
            }
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            p.onSlabEmpty(h.slabEmptied(C12), false, h);
            p.onSlabEmpty(h.slabEmptied(C12), false, h);
            assertThat(h.log()).as("nothing on the event").isEmpty();

            h.advanceMillis(150);
            p.onTick(h);
            assertThat(h.madvises()).as("not idle for the delay yet").isZero();
            assertThat(h.superSlabsRetired()).isZero();
            assertThat(h.log()).contains("retire C12 keep=1 idle=200000000",
                    "decommitEmpty C12 keep=" + SLAB + " idle=200000000 DONTNEED");

            h.advanceMillis(50);
            p.onTick(h);
            assertThat(h.madvises()).isEqualTo(2);
            assertThat(h.emptyCommittedBytes(C12)).isEqualTo(SLAB);
            assertThat(h.superSlabsRetired()).isEqualTo(3);
            assertThat(h.counter("lean_decommit")).isEqualTo(2);
            assertThat(h.counter("lean_retire")).isEqualTo(3);
        }

        @Test
        void theTickCoversEveryClassSoAnIdleProcessGivesMemoryBack() {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.delay.ms", "20", "ss.mem.lean.decommit", "FREE"));
            FakeReleaseHandle h = Policies.handle();
            for (SizeClass c : CLASSES) {
                h.slabEmptied(c);
                h.slabEmptied(c);
                h.superSlabEmptied(c);
                h.superSlabEmptied(c);
            }
            // no further events at all: only ticks
            for (int t = 0; t < 3; t++) {
                h.advanceMillis(10);
                p.onTick(h);
            }
            for (SizeClass c : CLASSES) {
                assertThat(h.emptyCommittedBytes(c)).as(c.name()).isEqualTo(SLAB);
                assertThat(h.emptySuperSlabCount(c)).as(c.name()).isEqualTo(1);
            }
            assertThat(h.log()).filteredOn(l -> l.startsWith("decommitEmpty")).allMatch(l -> l.endsWith("FREE"));
            assertThat(h.counter("lean_bytes_decommitted")).isEqualTo(CLASSES.size() * SLAB);
        }

        @Test
        void aSlabReusedBeforeTheDelayIsNeverDecommitted() {
            // no kept slab: only the delay stands between the ping-pong and a madvise per round trip
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.delay.ms", "100", "lean.keep.slabs", "0"));
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 1_000; i++) {
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                h.advanceMillis(30);
                p.onTick(h);
                h.slabReused(C3);
            }
            assertThat(h.madvises()).isZero();
        }
    }

    @Nested
    class Reaping {

        @Test
        void keptMemoryIdleForTheKeepTimeIsReleasedByTheTicker() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            h.superSlabEmptied(C12);
            h.superSlabEmptied(C12);
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            p.onSlabEmpty(h.slabEmptied(C12), false, h);
            assertThat(h.emptyCommittedBytes(C12)).isEqualTo(SLAB);
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(1);

            h.advanceMillis(999);
            p.onTick(h);
            assertThat(h.emptyCommittedBytes(C12)).as("not idle for a second yet").isEqualTo(SLAB);
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(1);

            h.advanceMillis(1);
            p.onTick(h);
            assertThat(h.emptyCommittedBytes(C12)).isZero();
            assertThat(h.emptySuperSlabCount(C12)).as("the default budget covers no whole superslab").isZero();
            assertThat(h.log()).contains("retire C12 keep=0 idle=1000000000",
                    "decommitEmpty C12 keep=0 idle=1000000000 DONTNEED");
            assertThat(h.counter("lean_decommit")).isEqualTo(2);
            assertThat(h.counter("lean_retire")).isEqualTo(2);
        }

        @Test
        void reapingKeepsTheSuperSlabsTheBudgetCovers() {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.target.mb", "256"));
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 6; i++) {
                h.superSlabEmptied(C12);
            }
            h.advanceMillis(2_000);
            p.onTick(h);
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(4);
        }

        @Test
        void aClassInUseKeepsItsSlabBecauseItIsNeverIdleForLong() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            for (int i = 0; i < 1_000; i++) {
                p.onSlabEmpty(h.slabEmptied(C3), false, h);
                h.advanceMillis(300);
                p.onTick(h);
                h.slabReused(C3);
            }
            assertThat(h.madvises()).isZero();
        }

        @Test
        void withReapingOffTheKeptMemoryStaysUntilClose() {
            LeanPolicy p = Policies.lean(Map.of("lean.keep.idle.ms", "0"));
            FakeReleaseHandle h = Policies.handle();
            h.superSlabEmptied(C12);
            p.onSlabEmpty(h.slabEmptied(C12), true, h);
            h.advanceMillis(3_600_000);
            p.onTick(h); // the core never calls it with a 0 interval; even so it releases nothing kept
            assertThat(h.emptyCommittedBytes(C12)).isEqualTo(SLAB);
            assertThat(h.emptySuperSlabCount(C12)).isEqualTo(1);
        }

        @Test
        void withADelayTheKeptMemoryWaitsForTheLongerOfDelayAndKeepTime() {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.delay.ms", "3000", "lean.keep.idle.ms", "1000"));
            FakeReleaseHandle h = Policies.handle();
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            h.advanceMillis(2_000);
            p.onTick(h);
            assertThat(h.emptyCommittedBytes(C3)).isEqualTo(SLAB);
            h.advanceMillis(1_000);
            p.onTick(h);
            assertThat(h.emptyCommittedBytes(C3)).isZero();
        }
    }

    @Nested
    class Budget {

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 10, 100, 4096})
        void budgetsShareTheTargetOverTheClassesOnceTheyAreKnown(long mb) {
            LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.target.mb", Long.toString(mb)));
            CLASSES.forEach(p::prewarmSuperSlabs);
            long total = CLASSES.stream().mapToLong(p::residentBudget).sum();
            assertThat(total).isLessThanOrEqualTo(mb << 20).isGreaterThan((mb << 20) - CLASSES.size());
            assertThat(p.residentBudget(C3)).isEqualTo((mb << 20) / CLASSES.size());
        }

        @Test
        void theClassCountIsLearnedFromTheHandleToo() {
            LeanPolicy p = Policies.lean(Map.of());
            FakeReleaseHandle h = Policies.handle();
            p.onSlabEmpty(h.slabEmptied(C3), false, h);
            assertThat(p.residentBudget(C12)).isEqualTo((10L << 20) / CLASSES.size());
        }

        @Test
        void keptSuperSlabsAreWhatTheBudgetCoversAndAtLeastOne() {
            LeanPolicy small = Policies.lean(Map.of("ss.mem.lean.target.mb", "0"));
            LeanPolicy big = Policies.lean(Map.of("ss.mem.lean.target.mb", "1024"));
            CLASSES.forEach(small::prewarmSuperSlabs);
            CLASSES.forEach(big::prewarmSuperSlabs);
            assertThat(small.keepSuperSlabs(C3)).isEqualTo(1);
            assertThat(big.keepSuperSlabs(C3)).isEqualTo((int) (((1024L << 20) / 28) / (2 << 20)));
        }
    }

    /**
     * Random events over many classes: after every event the immediate policy leaves at most the kept slabs
     * committed and at most the kept superslabs mapped in the event's class, and never decommits more than was
     * emptied.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 0x9E3779B97F4A7C15L})
    void randomEventsKeepTheInvariants(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int keep = rng.nextInt(0, 4);
        LeanPolicy p = Policies.lean(Map.of("lean.keep.slabs", Integer.toString(keep)));
        FakeReleaseHandle h = Policies.handle();
        long emptied = 0;
        for (int i = 0; i < 20_000; i++) {
            SizeClass c = CLASSES.get(rng.nextInt(CLASSES.size()));
            switch (rng.nextInt(4)) {
                case 0, 1 -> {
                    boolean whole = rng.nextInt(8) == 0;
                    if (whole) {
                        h.superSlabEmptied(c);
                    }
                    emptied++;
                    p.onSlabEmpty(h.slabEmptied(c), whole, h);
                    assertThat(h.emptyCommittedBytes(c)).isLessThanOrEqualTo(keep * SLAB);
                    if (whole) {
                        assertThat(h.emptySuperSlabCount(c)).isLessThanOrEqualTo(p.keepSuperSlabs(c));
                    }
                }
                case 2 -> {
                    if (h.emptySlabCount(c) > 0) {
                        h.slabReused(c);
                    }
                }
                default -> {
                    if (h.emptySuperSlabCount(c) > 0) {
                        h.superSlabReused(c);
                    }
                }
            }
            h.advanceMillis(rng.nextInt(3));
        }
        assertThat(h.bytesDecommitted()).isLessThanOrEqualTo(emptied * SLAB);
        assertThat(h.counter("lean_bytes_decommitted")).isEqualTo(h.bytesDecommitted());
        assertThat(h.counter("lean_retire")).isEqualTo(h.superSlabsRetired());
        assertThat(h.counter("lean_decommit") * SLAB).isEqualTo(h.bytesDecommitted());
    }

    @Nested
    class MediumAndLarge {

        /** A medium class: its slab is a whole superslab. */
        final SizeClass medium = new SizeClass(40, 256 << 10, 2 << 20, 2 << 20);

        @Test
        void aMediumClassKeepsUpToKeepSlabsEmptySuperSlabsMapped() {
            for (int keep : new int[] {0, 3, 8, 32}) {
                LeanPolicy p = Policies.lean(Map.of("lean.keep.slabs", Integer.toString(keep)));
                assertThat(p.keepSuperSlabs(medium)).as("keep.slabs %d", keep)
                        .isEqualTo(Math.max(Math.max(1, keep), p.budgetSuperSlabs(medium)));
                assertThat(p.keepSuperSlabs(C3)).as("small classes: what the budget covers, at least one")
                        .isEqualTo(Math.max(1, p.budgetSuperSlabs(C3)));
            }
            assertThat(Policies.lean(Map.of("lean.keep.slabs", "32")).keepSuperSlabs(medium)).isEqualTo(32);
        }

        @Test
        void aMediumClassKeepsOneWholeSlabCommittedNotEight() {
            LeanPolicy p = Policies.lean(Map.of("lean.keep.slabs", "8"));
            assertThat(p.keepEmptyBytes(medium)).isEqualTo(2 << 20);
            assertThat(p.keepEmptyBytes(C3)).isEqualTo(Math.max(8 * (64L << 10), C3.slabBytes()));
            assertThat(Policies.lean(Map.of("lean.keep.slabs", "0")).keepEmptyBytes(medium)).isZero();
        }

        @Test
        void theLargeBoundIsTwiceTheLiveBytesAboveAFloorBeforeOpen() {
            LeanPolicy lean = Policies.lean(Map.of());
            LeanPolicy balanced = Policies.balanced(Map.of());
            assertThat(lean.largeCacheBytes(0)).isEqualTo(10L << 20);
            assertThat(lean.largeCacheBytes(300L << 20)).isEqualTo(600L << 20);
            assertThat(balanced.largeCacheBytes(0)).isEqualTo(64L << 20);
            assertThat(balanced.largeCacheBytes(300L << 20)).isEqualTo(600L << 20);
            assertThat(balanced.largeCacheBytes(Long.MAX_VALUE)).as("no overflow").isPositive();
        }

        @Test
        void theLargeBoundFollowsThePeakOfTheLastOneToTwoWindowsOnTheHandlesClock() {
            FakeReleaseHandle h = Policies.handle();
            LeanPolicy balanced = Policies.balanced(Map.of());
            balanced.onOpen(h);
            assertThat(balanced.largeCacheBytes(100L << 20)).isEqualTo(200L << 20);
            h.advanceMillis(1_000);
            assertThat(balanced.largeCacheBytes(10L << 20)).as("the peak a second ago still counts").isEqualTo(200L << 20);
            h.advanceMillis(10_000); // a new window: the previous one's peak still counts
            assertThat(balanced.largeCacheBytes(10L << 20)).isEqualTo(200L << 20);
            h.advanceMillis(10_000); // two windows on: only what was live since
            assertThat(balanced.largeCacheBytes(10L << 20)).isEqualTo(64L << 20);
            assertThat(balanced.largeCacheBytes(50L << 20)).isEqualTo(100L << 20);
            h.advanceMillis(60_000); // long idle: both buckets gone
            assertThat(balanced.largeCacheBytes(0)).isEqualTo(64L << 20);
        }

        @Test
        void leanDecommitsWhatItCachesBeyondTheHysteresisAndBalancedNothing() {
            FakeReleaseHandle h = Policies.handle();
            Policies.balanced(Map.of()).onLargeCached(4 << 20, h);
            assertThat(h.bytesDecommitted()).isZero();
            LeanPolicy lean = Policies.lean(Map.of());
            lean.onLargeCached(4 << 20, h); // the fake handle has no large cache: the call asks, nothing to release
            assertThat(h.counter("lean_bytes_decommitted")).isZero();
        }
    }
}
