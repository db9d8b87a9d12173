package hakmem.core.reliability;

import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * Differential model check: random action chains of malloc / calloc / realloc / free / allocate(size, alignment)
 * / close run against the real allocator and a model ({@link LiveSet}) of the blocks held, on every built-in
 * policy. After every step: stats consistency, usableSize unchanged, no overlap, pattern edges intact; before
 * every free and realloc the block's full pattern is verified. jqwik shrinks a failing chain to a minimal one.
 *
 * <p>Tries per policy: {@code -Dhakmem.reliability.tries=N} (default 40); chain length
 * {@code -Dhakmem.reliability.steps=N} (default 60).
 */
@AddLifecycleHook(value = ModelCheckTest.Knobs.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ModelCheckTest {

    static final int TRIES = Reliability.knob("tries", 40);
    static final int STEPS = Reliability.knob("steps", 60);

    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong CHAINS = new AtomicLong();
    private static final AtomicLong SNAPSHOTS = new AtomicLong();
    private static final AtomicLong BYTES_VERIFIED = new AtomicLong();
    private static final Map<String, Long> CHAINS_PER_POLICY = new LinkedHashMap<>();

    @Property(tries = 40)
    void keep(@ForAll("keepChains") ActionChain<ModelState> chain) {
        run("keep", chain);
    }

    @Property(tries = 40)
    void lean(@ForAll("leanChains") ActionChain<ModelState> chain) {
        run("lean", chain);
    }

    @Property(tries = 40)
    void balanced(@ForAll("balancedChains") ActionChain<ModelState> chain) {
        run("balanced", chain);
    }

    @Property(tries = 40)
    void speed(@ForAll("speedChains") ActionChain<ModelState> chain) {
        run("speed", chain);
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> keepChains() {
        return chains("keep");
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> leanChains() {
        return chains("lean");
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> balancedChains() {
        return chains("balanced");
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> speedChains() {
        return chains("speed");
    }

    @AfterContainer
    static void figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("chains", CHAINS.get());
        f.put("operations", OPERATIONS.get());
        f.put("stats_snapshots_checked", SNAPSHOTS.get());
        f.put("bytes_verified", BYTES_VERIFIED.get());
        f.put("tries_per_policy", TRIES);
        f.put("max_steps", STEPS);
        synchronized (CHAINS_PER_POLICY) {
            f.put("chains_per_policy", CHAINS_PER_POLICY);
        }
        Reliability.recordFigures("ModelCheckTest", f);
    }

    private static void run(String policy, ActionChain<ModelState> chain) {
        ModelState last = null;
        try {
            last = chain.withInvariant("model", s -> s.afterStep()).run();
            last.ca.verifyAll();
            last.ca.checkStep("end of chain");
        } finally {
            ModelState.closeAll();
            CHAINS.incrementAndGet();
            synchronized (CHAINS_PER_POLICY) {
                CHAINS_PER_POLICY.merge(policy, 1L, Long::sum);
            }
        }
    }

    /** The state of one chain: the checked allocator and its model. */
    static final class ModelState {
        private static final List<ModelState> OPEN = new ArrayList<>();
        final CheckedAllocator ca;
        int step;

        ModelState(String policy) {
            ca = new CheckedAllocator(policy, Map.of(), null);
            synchronized (OPEN) {
                OPEN.add(this);
            }
        }

        void afterStep() {
            step++;
            ca.checkStep("after step " + step);
        }

        static void closeAll() {
            synchronized (OPEN) {
                for (ModelState s : OPEN) {
                    OPERATIONS.addAndGet(s.ca.operations);
                    SNAPSHOTS.addAndGet(s.ca.stats.snapshots());
                    BYTES_VERIFIED.addAndGet(s.ca.bytesVerified);
                    s.ca.close();
                }
                OPEN.clear();
            }
        }

        @Override
        public String toString() {
            return "ModelState[" + ca.policy + ", live " + ca.live.size() + "]";
        }
    }

    // ---------------------------------------------------------------- generators

    static Arbitrary<ActionChain<ModelState>> chains(String policy) {
        ActionChainArbitrary<ModelState> a = ActionChain.<ModelState>startWith(() -> new ModelState(policy))
                .withAction(16, independent(mallocs()))
                .withAction(4, independent(callocs()))
                .withAction(6, independent(allocates()))
                .withAction(2, independent(reallocNulls()))
                .withAction(8, new ReallocAction())
                .withAction(16, new FreeAction())
                .withAction(2, Action.just(Transformer.<ModelState>mutate("free(0)", s -> s.ca.allocator().free(0))))
                .withAction(1, Action.just(Transformer.<ModelState>mutate("close and reopen",
                        s -> s.ca.closeAndReopen())))
                .withMaxTransformations(STEPS);
        return a;
    }

    private static Action.Independent<ModelState> independent(Arbitrary<Transformer<ModelState>> transformers) {
        return () -> transformers;
    }

    /** The sizes every operation draws from: all classes and their edges, 0, and large blocks up to 6 MiB. */
    static Arbitrary<Long> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(28, Arbitraries.longs().between(1, 128)),
                Tuple.of(20, Arbitraries.longs().between(129, 1024)),
                Tuple.of(14, Arbitraries.of(boundaries())),
                Tuple.of(15, Arbitraries.longs().between(1025, 32 * KiB)),
                Tuple.of(8, Arbitraries.longs().between(32 * KiB + 1, MiB)),
                Tuple.of(3, Arbitraries.longs().between(MiB + 1, 6 * MiB)),
                Tuple.of(2, Arbitraries.just(0L)));
    }

    /** Size-class sizes (8 .. 1024, then quarter steps to 1 MiB) and large mapping steps, each -1, +0, +1. */
    static List<Long> boundaries() {
        List<Long> sizes = new ArrayList<>();
        for (long s = 8; s <= 1024; s <<= 1) {
            sizes.add(s);
        }
        for (long base = 1024; base < MiB; base <<= 1) {
            for (int q = 1; q <= 4; q++) {
                sizes.add(base + base * q / 4);
            }
        }
        sizes.add(2 * MiB);
        sizes.add(2 * MiB + 512 * KiB);
        sizes.add(3 * MiB);
        List<Long> out = new ArrayList<>();
        for (long s : sizes) {
            out.add(s - 1);
            out.add(s);
            out.add(s + 1);
        }
        return out;
    }

    private static Arbitrary<Transformer<ModelState>> mallocs() {
        return sizes().map(size -> Transformer.mutate("malloc(" + size + ")", s -> s.ca.malloc(size)));
    }

    private static Arbitrary<Transformer<ModelState>> reallocNulls() {
        return sizes().map(size -> Transformer.mutate("realloc(0, " + size + ")", s -> s.ca.reallocNull(size)));
    }

    private static Arbitrary<Transformer<ModelState>> callocs() {
        return Combinators.combine(Arbitraries.longs().between(1, 64), sizes())
                .as((count, total) -> {
                    long size = total / count;
                    return Transformer.<ModelState>mutate("calloc(" + count + ", " + size + ")",
                            s -> s.ca.calloc(count, size));
                });
    }

    private static Arbitrary<Transformer<ModelState>> allocates() {
        return Combinators.combine(sizes().map(s -> Math.min(s, 2 * MiB)), Arbitraries.integers().between(0, 20))
                .as((size, shift) -> {
                    long alignment = 1L << shift;
                    return Transformer.<ModelState>mutate("allocate(" + size + ", " + alignment + ")",
                            s -> s.ca.allocate(size, alignment));
                });
    }

    /**
     * Picks a live block by position, taken modulo the live count when the step runs. The action is independent of
     * the state (only its precondition looks at it), so removing an earlier step while shrinking does not change
     * what later steps were generated as: jqwik can then drop steps, not only shrink values.
     */
    static final class FreeAction implements Action.Independent<ModelState> {
        @Override
        public boolean precondition(ModelState s) {
            return !s.ca.live.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<ModelState>> transformer() {
            return Combinators.combine(Arbitraries.integers().between(0, 63), Arbitraries.of(false, true))
                    .as((i, viaSegment) -> Transformer.mutate("free[" + i + "]" + (viaSegment ? " via segment" : ""),
                            s -> {
                                if (!s.ca.live.isEmpty()) {
                                    s.ca.free(s.ca.live.get(i % s.ca.live.size()), viaSegment);
                                }
                            }));
        }
    }

    static final class ReallocAction implements Action.Independent<ModelState> {
        @Override
        public boolean precondition(ModelState s) {
            return !s.ca.live.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<ModelState>> transformer() {
            return Combinators.combine(Arbitraries.integers().between(0, 63), sizes()).as((i, size) ->
                    Transformer.mutate("realloc[" + i + "](" + size + ")", s -> {
                        if (!s.ca.live.isEmpty()) {
                            s.ca.realloc(s.ca.live.get(i % s.ca.live.size()), size);
                        }
                    }));
        }
    }

    /** Sets the tries from {@code -Dhakmem.reliability.tries}, and skips policies not selected by the knob. */
    static final class Knobs implements AroundPropertyHook, SkipExecutionHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(TRIES);
            return property.execute();
        }

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            var method = context.optionalElement().filter(e -> e instanceof java.lang.reflect.Method)
                    .map(e -> ((java.lang.reflect.Method) e).getName());
            if (method.isPresent() && Reliability.BUILT_IN_POLICIES.contains(method.get())
                    && !Reliability.policies().contains(method.get())) {
                return SkipResult.skip("policy " + method.get() + " not selected by -Dhakmem.reliability.policies");
            }
            return SkipResult.doNotSkip();
        }
    }
}
