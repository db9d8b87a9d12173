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
 * policy, and on lean in its eager configuration and with a delay (decommit and retire from the ticker during the
 * chain). The allocator runs over an {@link AuditingOsBox}, and the chains also <b>inject faults while the model
 * keeps running</b>: ENOMEM on the next k mmap calls or on a later one, a madvise error (EINVAL / EAGAIN / ENOMEM)
 * that disables decommit, heal ({@link FaultModel}). An operation that hits an injected ENOMEM must throw
 * OutOfMemoryError naming the request and change no live block. After every step: stats consistency, usableSize
 * unchanged, no overlap, the contents of every live block, stats against the OS box, and the core's invariant
 * audit; before every free and realloc the block's full pattern is verified. jqwik shrinks a failing chain.
 *
 * <p>Tries per policy: {@code -Dhakmem.reliability.tries=N} (default 40; a quarter of it for each of lean's eager
 * and delayed configurations); chain length
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
    private static final AtomicLong FAULTS_ARMED = new AtomicLong();
    private static final AtomicLong MMAP_FAULTS = new AtomicLong();
    private static final AtomicLong MADVISE_FAULTS = new AtomicLong();
    private static final AtomicLong OOMS = new AtomicLong();
    private static final AtomicLong AUDITS = new AtomicLong();
    private static final AtomicLong DECOMMITS = new AtomicLong();
    private static final AtomicLong RETIRES = new AtomicLong();
    private static final AtomicLong AUDIT_NANOS = new AtomicLong();
    private static final AtomicLong VERIFY_NANOS = new AtomicLong();

    /** Lean releasing from its ticker during the chains: 1 ms delay (10 ms ticks), no hysteresis, reaped after 10 ms. */
    static final Map<String, String> LEAN_DELAYED = AuditUnderTickerTest.LEAN_DELAYED;

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

    @Property(tries = 40)
    void leanEager(@ForAll("leanEagerChains") ActionChain<ModelState> chain) {
        run("lean(eager)", chain);
    }

    @Property(tries = 40)
    void leanDelayed(@ForAll("leanDelayedChains") ActionChain<ModelState> chain) {
        run("lean(delayed)", chain);
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> leanEagerChains() {
        return chains("lean", Reliability.EAGER_DECOMMIT);
    }

    @Provide
    Arbitrary<ActionChain<ModelState>> leanDelayedChains() {
        return chains("lean", LEAN_DELAYED);
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
        f.put("faults_armed", FAULTS_ARMED.get());
        f.put("mmap_faults_injected", MMAP_FAULTS.get());
        f.put("madvise_faults_injected", MADVISE_FAULTS.get());
        f.put("out_of_memory_errors_checked", OOMS.get());
        f.put("audits", AUDITS.get());
        f.put("millis_in_audits", AUDIT_NANOS.get() / 1_000_000);
        f.put("millis_in_step_checks", VERIFY_NANOS.get() / 1_000_000);
        f.put("slabs_decommitted", DECOMMITS.get());
        f.put("superslabs_retired", RETIRES.get());
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
            last.faults.heal();
            last.faults.check("end of chain");
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
        final AuditingOsBox box = new AuditingOsBox();
        final CheckedAllocator ca;
        final FaultModel faults;
        int step;

        ModelState(String policy, Map<String, String> options) {
            ca = new CheckedAllocator(policy, options, box);
            faults = new FaultModel(ca);
            synchronized (OPEN) {
                OPEN.add(this);
            }
        }

        void afterStep() {
            step++;
            faults.check("after step " + step);
        }

        /** An allocating step: an OutOfMemoryError from an injected fault is checked and the chain goes on. */
        void alloc(String call, long request, Runnable r) {
            faults.guard(call, request, r);
        }

        void closeAndReopen() {
            faults.heal(); // a prewarming policy maps at open
            ca.closeAndReopen();
        }

        void collect() {
            var st = ca.allocator().stats();
            DECOMMITS.addAndGet(st.counter("slabs_decommitted"));
            RETIRES.addAndGet(st.counter("superslabs_retired"));
            FAULTS_ARMED.addAndGet(faults.faultsArmed);
            MMAP_FAULTS.addAndGet(box.injected(AuditingOsBox.Op.MMAP));
            MADVISE_FAULTS.addAndGet(box.injected(AuditingOsBox.Op.MADVISE));
            OOMS.addAndGet(faults.oomsChecked);
            AUDITS.addAndGet(faults.audits);
            AUDIT_NANOS.addAndGet(faults.auditNanos);
            VERIFY_NANOS.addAndGet(faults.verifyNanos);
        }

        static void closeAll() {
            synchronized (OPEN) {
                for (ModelState s : OPEN) {
                    OPERATIONS.addAndGet(s.ca.operations);
                    SNAPSHOTS.addAndGet(s.ca.stats.snapshots());
                    BYTES_VERIFIED.addAndGet(s.ca.bytesVerified);
                    s.collect();
                    s.ca.close();
                    if (s.box.mappedBytes() != 0 || !s.box.violations().isEmpty()) {
                        throw new AssertionError("after close: the OS box still holds " + s.box.mappedBytes()
                                + " bytes mapped; violations " + s.box.violations());
                    }
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
        return chains(policy, Map.of());
    }

    static Arbitrary<ActionChain<ModelState>> chains(String policy, Map<String, String> options) {
        ActionChainArbitrary<ModelState> a = ActionChain.<ModelState>startWith(() -> new ModelState(policy, options))
                .withAction(16, independent(mallocs()))
                .withAction(4, independent(callocs()))
                .withAction(6, independent(allocates()))
                .withAction(2, independent(reallocNulls()))
                .withAction(8, new ReallocAction())
                .withAction(16, new FreeAction())
                .withAction(2, Action.just(Transformer.<ModelState>mutate("free(0)", s -> s.ca.allocator().free(0))))
                .withAction(1, Action.just(Transformer.<ModelState>mutate("close and reopen",
                        s -> s.closeAndReopen())))
                .withAction(3, new BurstAction())
                .withAction(4, independent(mmapFaults()))
                .withAction(2, independent(madviseFaults()))
                .withAction(2, Action.just(Transformer.<ModelState>mutate("heal", s -> s.faults.heal())))
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

    /**
     * A burst in one class: up to 2.5 MiB (4 to 160 blocks) of one size, then all but the first 0..2 of them freed,
     * so slabs empty beyond the policy's hysteresis (decommit) and superslabs empty whole (retire) within a chain.
     * An OutOfMemoryError ends the burst's allocations (checked like any other); its frees still run.
     */
    static final class BurstAction implements Action.Independent<ModelState> {
        @Override
        public Arbitrary<Transformer<ModelState>> transformer() {
            Arbitrary<Long> size = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.of(64L, 512L, 1024L, 4096L, 16 * KiB, 30 * KiB)),
                    Tuple.of(1, Arbitraries.longs().between(1, 32 * KiB)));
            return Combinators.combine(size, Arbitraries.integers().between(0, 2)).as((sz, keep) -> {
                int k = (int) Math.max(4, Math.min(160, (5 * MiB / 2 + sz - 1) / sz));
                return Transformer.mutate("burst of " + k + " x malloc(" + sz + "), all but " + keep + " freed", s -> {
                    List<LiveSet.Block> burst = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        if (s.faults.guard("malloc(" + sz + ") in a burst", sz, () -> burst.add(s.ca.malloc(sz)))) {
                            break;
                        }
                    }
                    for (int i = keep; i < burst.size(); i++) {
                        s.ca.free(burst.get(i), false);
                    }
                });
            });
        }
    }

    /** ENOMEM on the next 1..3 mmap calls, on one or two after 1..12 more, or an outage until healed. */
    private static Arbitrary<Transformer<ModelState>> mmapFaults() {
        Arbitrary<Long> times = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(1, 3)),
                Tuple.of(1, Arbitraries.just(Long.MAX_VALUE)));
        Arbitrary<Long> skip = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(1, 12)));
        return Combinators.combine(skip, times).as((k, n) -> Transformer.mutate(
                "arm ENOMEM: skip " + k + " mmap calls, fail " + (n == Long.MAX_VALUE ? "all until healed" : n),
                s -> s.faults.armMmap(k, n)));
    }

    /** A madvise error after 0..4 successful calls; the first error disables decommit for the allocator. */
    private static Arbitrary<Transformer<ModelState>> madviseFaults() {
        return Combinators.combine(Arbitraries.longs().between(0, 4),
                        Arbitraries.of(NativeOsBox.EINVAL, NativeOsBox.EAGAIN, NativeOsBox.ENOMEM))
                .as((k, errno) -> Transformer.mutate("arm madvise errno " + errno + " after " + k + " calls",
                        s -> s.faults.armMadvise(k, errno)));
    }

    private static Arbitrary<Transformer<ModelState>> mallocs() {
        return sizes().map(size -> Transformer.mutate("malloc(" + size + ")",
                s -> s.alloc("malloc(" + size + ")", size, () -> s.ca.malloc(size))));
    }

    private static Arbitrary<Transformer<ModelState>> reallocNulls() {
        return sizes().map(size -> Transformer.mutate("realloc(0, " + size + ")",
                s -> s.alloc("realloc(0, " + size + ")", size, () -> s.ca.reallocNull(size))));
    }

    private static Arbitrary<Transformer<ModelState>> callocs() {
        return Combinators.combine(Arbitraries.longs().between(1, 64), sizes())
                .as((count, total) -> {
                    long size = total / count;
                    return Transformer.<ModelState>mutate("calloc(" + count + ", " + size + ")",
                            s -> s.alloc("calloc(" + count + ", " + size + ")", count * size,
                                    () -> s.ca.calloc(count, size)));
                });
    }

    private static Arbitrary<Transformer<ModelState>> allocates() {
        return Combinators.combine(sizes().map(s -> Math.min(s, 2 * MiB)), Arbitraries.integers().between(0, 20))
                .as((size, shift) -> {
                    long alignment = 1L << shift;
                    return Transformer.<ModelState>mutate("allocate(" + size + ", " + alignment + ")",
                            s -> s.alloc("allocate(" + size + ", " + alignment + ")", size,
                                    () -> s.ca.allocate(size, alignment)));
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
                            LiveSet.Block b = s.ca.live.get(i % s.ca.live.size());
                            s.alloc("realloc(" + b + ", " + size + ")", Math.max(size, 1), () -> s.ca.realloc(b, size));
                        }
                    }));
        }
    }

    /** Sets the tries from {@code -Dhakmem.reliability.tries}, and skips policies not selected by the knob. */
    static final class Knobs implements AroundPropertyHook, SkipExecutionHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            // lean's eager and delayed configurations are extra runs of one policy: a quarter of the tries each
            boolean extra = context.targetMethod().getName().startsWith("lean")
                    && !context.targetMethod().getName().equals("lean");
            context.attributes().setTries(extra ? Math.max(1, TRIES / 4) : TRIES);
            return property.execute();
        }

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            var method = context.optionalElement().filter(e -> e instanceof java.lang.reflect.Method)
                    .map(e -> ((java.lang.reflect.Method) e).getName());
            // keep, lean, leanEager, leanDelayed, balanced, speed: the policy is the method name's prefix
            var policy = method.flatMap(m -> Reliability.BUILT_IN_POLICIES.stream().filter(m::startsWith).findFirst());
            if (policy.isPresent() && !Reliability.policies().contains(policy.get())) {
                return SkipResult.skip("policy " + policy.get() + " not selected by -Dhakmem.reliability.policies");
            }
            return SkipResult.doNotSkip();
        }
    }
}
