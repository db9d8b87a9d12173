package hakmem.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provider;
import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OsBox;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The contract passes a well-behaved policy and names the check each broken one fails. */
class PolicyContractTest {

    static final String KEEP = "good.keep.slabs";
    static final List<OptionSpec> GOOD_OPTIONS = List.of(new OptionSpec(KEEP, OptionSpec.Type.NUMBER, "2", "slabs", "",
            List.of(), "empty slabs per class kept committed (0..32)"));

    /** Keeps N empty slabs per class, decommits the rest at once, counts what it released; thread-safe. */
    static final class Good implements ReleasePolicy {
        final long keep;

        Good(long keep) {
            if (keep > 32) {
                throw new IllegalArgumentException("invalid value '" + keep + "' for option " + KEEP + ": accepted 0..32");
            }
            this.keep = keep;
        }

        @Override
        public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle h) {
            SizeClass c = slab.sizeClass();
            long bytes = h.decommitEmpty(c, keep * c.slabBytes(), 0, Advice.DONTNEED);
            if (bytes > 0) {
                h.count("good_decommits", bytes / c.slabBytes());
                h.count("good_bytes_decommitted", bytes);
            }
            if (superSlabEmpty) {
                int n = h.retireEmptySuperSlabs(c, 1, 0);
                if (n > 0) {
                    h.count("good_retires", n);
                }
            }
        }

        @Override
        public long tickIntervalMillis() {
            return 100;
        }
    }

    static TestPlugin good() {
        return new TestPlugin("good", List.of("good_decommits", "good_bytes_decommitted", "good_retires"), GOOD_OPTIONS,
                o -> new Good(o.number(KEEP)));
    }

    static Map<String, CheckResult> run(TestPlugin plugin) {
        List<CheckResult> results = PolicyContract.of(plugin).run();
        assertThat(results).extracting(CheckResult::check).containsExactlyElementsOf(PolicyContract.CHECKS);
        Map<String, CheckResult> byName = new HashMap<>();
        results.forEach(r -> byName.put(r.check(), r));
        return byName;
    }

    static void assertOnlyFailed(Map<String, CheckResult> results, String... failed) {
        List<String> failing = PolicyContract.CHECKS.stream().filter(c -> !results.get(c).passed()).toList();
        assertThat(failing).as(results.values().toString()).containsExactlyInAnyOrder(failed);
    }

    @Test
    void aWellBehavedPolicyPassesEveryCheck() {
        Map<String, CheckResult> r = run(good());
        assertOnlyFailed(r);
        assertThat(r.get("option-values").reason()).as("0 and 1 accepted, Long.MAX_VALUE rejected")
                .contains(KEEP, "2 value(s) accepted, 1 rejected cleanly");
        assertThat(r.get("claims").reason()).contains("good_decommits", "good_bytes_decommitted", "good_retires");
        assertThat(PolicyContract.allPassed(List.copyOf(r.values()))).isTrue();
    }

    @Test
    void aCallbackThatThrowsFailsCallbacks() {
        TestPlugin p = new TestPlugin(o -> (slab, whole, h) -> {
            throw new IllegalStateException("boom in " + slab.sizeClass().name());
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "callbacks", "thread-safety");
        assertThat(r.get("callbacks").reason()).contains("onSlabEmpty", "IllegalStateException: boom in C");
    }

    @Test
    void aTickIntervalOverADayFailsBounds() {
        TestPlugin p = new TestPlugin(o -> new ReleasePolicy() {
            @Override
            public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
            }

            @Override
            public long tickIntervalMillis() {
                return PolicyContract.MAX_TICK_MILLIS + 1;
            }
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "bounds");
        assertThat(r.get("bounds").reason()).contains("tickIntervalMillis() = 86400001", "outside 0..86400000");
    }

    @Test
    void aPrewarmOver1024FailsBounds() {
        TestPlugin p = new TestPlugin(o -> new ReleasePolicy() {
            @Override
            public int prewarmSuperSlabs(SizeClass c) {
                return c.index() == 5 ? 1025 : 0;
            }

            @Override
            public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
            }
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "bounds");
        assertThat(r.get("bounds").reason()).contains("prewarmSuperSlabs(C5) = 1025");
    }

    @Test
    void countingMoreThanWasReleasedFailsClaims() {
        TestPlugin p = new TestPlugin("liar", List.of("liar_decommits"), List.of(), o -> (slab, whole, h) -> {
            h.decommitEmpty(slab.sizeClass(), 4 * slab.bytes(), 0, Advice.DONTNEED);
            h.count("liar_decommits", 1); // claims one on every event, released or not
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "claims", "thread-safety");
        assertThat(r.get("claims").reason()).contains("counter liar_decommits = ", "slabs decommitted = ");
    }

    @Test
    void usingTheHandleAfterTheCallbackFailsHandleOnly() {
        AtomicReference<ReleaseHandle> kept = new AtomicReference<>();
        TestPlugin p = new TestPlugin(o -> (slab, whole, h) -> {
            ReleaseHandle before = kept.getAndSet(h);
            if (before != null) {
                Thread t = Thread.ofPlatform().unstarted(() -> before.emptyCommittedBytes(slab.sizeClass()));
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "handle-only", "thread-safety");
        assertThat(r.get("handle-only").reason()).contains("outside any policy callback");
    }

    @Test
    void anUndeclaredCounterFailsHandleOnlyAndCallbacks() {
        TestPlugin p = new TestPlugin(o -> (slab, whole, h) -> h.count("not_declared", 1));
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "callbacks", "handle-only", "thread-safety");
        assertThat(r.get("handle-only").reason()).contains("counter 'not_declared' was not declared");
    }

    @Test
    void anOptionValueThatBreaksTheModuleUncleanlyFailsOptionValues() {
        TestPlugin p = new TestPlugin("sloppy", List.of(), GOOD_OPTIONS, o -> {
            long keep = Math.multiplyExact(o.number(KEEP), 64 * 1024); // overflows on a large value
            return (slab, whole, h) -> h.decommitEmpty(slab.sizeClass(), keep, 0, Advice.DONTNEED);
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "option-values");
        assertThat(r.get("option-values").reason())
                .contains(KEEP + "=9223372036854775807", "ArithmeticException", "IllegalArgumentException naming " + KEEP);
    }

    @Test
    void aRejectionThatDoesNotNameTheOptionFailsOptionValues() {
        TestPlugin p = new TestPlugin("vague", List.of(), GOOD_OPTIONS, o -> {
            if (o.number(KEEP) > 32) {
                throw new IllegalArgumentException("too big");
            }
            return (slab, whole, h) -> { };
        });
        Map<String, CheckResult> r = run(p);
        assertOnlyFailed(r, "option-values");
        assertThat(r.get("option-values").reason()).contains("does not name the option: too big");
    }

    @Test
    void anInvalidDefaultFailsOptionsAndNothingElseRuns() {
        TestPlugin p = new TestPlugin("baddefault", List.of(), List.of(new OptionSpec("bad.keep", OptionSpec.Type.NUMBER,
                "many", "slabs", "", List.of(), "kept")), o -> (slab, whole, h) -> { });
        Map<String, CheckResult> r = run(p);
        assertThat(r.get("options").passed()).isFalse();
        assertThat(r.get("options").reason()).contains("bad.keep: the default does not parse", "'many'");
        assertThat(r.get("callbacks").reason()).startsWith("not run");
    }

    @Test
    void aPolicyThatInjectsTheOsBoxFailsBuilds() {
        var osUser = new hakmem.api.spi.PolicyPlugin() {
            public String id() {
                return "osuser";
            }

            public String description() {
                return "calls the OS itself";
            }

            public Module module() {
                return new AbstractModule() {
                    @Override
                    protected void configure() {
                        Provider<OsBox> os = getProvider(OsBox.class);
                        bind(ReleasePolicy.class).toProvider(() -> {
                            os.get();
                            return (slab, whole, h) -> { };
                        });
                    }
                };
            }
        };
        List<CheckResult> r = PolicyContract.of(osUser).run();
        assertThat(r.get(2)).satisfies(b -> {
            assertThat(b.check()).isEqualTo("builds");
            assertThat(b.passed()).isFalse();
            assertThat(b.reason()).contains("injects hakmem.api.spi.OsBox", "ReleaseHandle");
        });
    }

    @Test
    void anUnsynchronizedCounterIsStillJudgedAfterTheThreads() {
        // a policy whose own count is correct single-threaded: the contract's concurrent run must also add up
        AtomicLong released = new AtomicLong();
        Map<String, CheckResult> r = run(new TestPlugin("atomic", List.of("atomic_bytes_decommitted"), List.of(),
                o -> (slab, whole, h) -> {
                    long b = h.decommitEmpty(slab.sizeClass(), slab.bytes(), 0, Advice.FREE);
                    released.addAndGet(b);
                    if (b > 0) {
                        h.count("atomic_bytes_decommitted", b);
                    }
                }));
        assertOnlyFailed(r);
        assertThat(released.get()).isPositive();
    }
}
