package hakmem.testkit;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The contract every release policy must meet, checked against a {@link FakeReleaseHandle} (no core, no memory):
 * what {@code ./hakmem check-policy ID} runs, and what a policy's own unit test can run with
 * {@code PolicyContract.of(new MyPlugin()).run()}.
 *
 * <p>The checks, in order ({@link #CHECKS}); a check that needs a built policy is failed with "not run" when the
 * policy does not build:
 * <ol>
 *   <li>{@code plugin}: the id is {@code [a-z0-9-]+}, the description one non-blank line, the counters
 *       snake_case and unique, {@code module()} not null.</li>
 *   <li>{@code options}: every declared option has a unique name (also against the core's options given with
 *       {@link #withCoreOptions}), a description, and a default its type parses; CHOICE values are upper case.</li>
 *   <li>{@code builds}: the module yields a {@code ReleasePolicy} with the defaults and nothing but
 *       {@code OptionValues} bound (a policy that injects an {@code OsBox} fails here).</li>
 *   <li>{@code option-values}: for each option the policy declares or reads, the values 0, 1 and the largest its
 *       type accepts (every accepted value of a CHOICE, both of a BOOLEAN): the policy builds, or fails cleanly
 *       with an {@link IllegalArgumentException} naming the option.</li>
 *   <li>{@code bounds}: with every configuration that builds, {@code prewarmSuperSlabs} is 0..1024 for every
 *       class and {@code tickIntervalMillis} is 0..86,400,000 (one day).</li>
 *   <li>{@code callbacks}: with every configuration, a scripted run of events (with decommit working, and with
 *       decommit disabled halfway, as after a madvise error): no callback throws.</li>
 *   <li>{@code handle-only}: in those runs the policy uses the handle only inside the callback it was passed to,
 *       only with the handle's own size classes and slabs, non-negative arguments, and declared counters.</li>
 *   <li>{@code claims}: counters named as release counts match what the handle released: names ending
 *       {@code _bytes_decommitted} equal the bytes decommitted, {@code _decommit}/{@code _decommits}/
 *       {@code _slabs_decommitted} the slabs decommitted, {@code _retire}/{@code _retires}/{@code _retired} the
 *       superslabs retired. Other counters are not judged.</li>
 *   <li>{@code thread-safety}: 4 threads drive events on one policy and one handle at once: nothing throws, the
 *       handle is used correctly, the release counters still match, and it finishes (no deadlock).</li>
 * </ol>
 *
 * <p>What only the real core can show (no live block is ever released, stats stay consistent, close unmaps
 * everything) is checked by hakmem-core's {@code ReleasePolicyContractTest}, which runs these checks too.
 */
public final class PolicyContract {

    /** The largest prewarm the core accepts per class. */
    public static final int MAX_PREWARM = 1024;
    /** The longest tick interval the core accepts: one day. */
    public static final long MAX_TICK_MILLIS = 86_400_000L;

    /** The checks' names, in the order {@link #run()} reports them. */
    public static final List<String> CHECKS = List.of("plugin", "options", "builds", "option-values", "bounds",
            "callbacks", "handle-only", "claims", "thread-safety");

    private static final int STEPS = 2_000;
    private static final int THREADS = 4;
    private static final long THREAD_TIMEOUT_SECONDS = 120;

    private final PolicyPlugin plugin;
    private final List<OptionSpec> coreOptions;

    private PolicyContract(PolicyPlugin plugin, List<OptionSpec> coreOptions) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.coreOptions = List.copyOf(coreOptions);
    }

    /** The contract for one plugin, with no core options (enough for a policy that reads only its own). */
    public static PolicyContract of(PolicyPlugin plugin) {
        return new PolicyContract(plugin, List.of());
    }

    /**
     * The same contract with the core's option rows (e.g. {@code AllocatorProvider.load().coreOptions()}), for a
     * policy that reads core options such as {@code ss.mem.lean.decommit}.
     */
    public PolicyContract withCoreOptions(List<OptionSpec> specs) {
        return new PolicyContract(plugin, specs);
    }

    /** True if every result passed. */
    public static boolean allPassed(List<CheckResult> results) {
        return results.stream().allMatch(CheckResult::passed);
    }

    /** Runs every check; one result per entry of {@link #CHECKS}, in that order. */
    public List<CheckResult> run() {
        List<CheckResult> out = new ArrayList<>();
        Meta meta;
        try {
            meta = new Meta(plugin.id(), plugin.description(), plugin.counters(), plugin.options(), plugin.module());
        } catch (RuntimeException | Error e) {
            out.add(CheckResult.fail("plugin", "calling the plugin's methods threw " + Scenario.describe(e)));
            notRun(out, "the plugin's methods threw");
            return out;
        }
        out.add(checkPlugin(meta));
        if (meta.counters() == null || meta.options() == null || meta.module() == null) {
            notRun(out, "the plugin returned null");
            return out;
        }
        CheckResult options = checkOptions(meta);
        out.add(options);
        if (!options.passed()) {
            notRun(out, "the options are invalid");
            return out;
        }
        List<OptionSpec> specs = new ArrayList<>(coreOptions);
        specs.addAll(meta.options());
        FakeOptionValues defaults = FakeOptionValues.defaults(specs);
        String failure = tryBuild(defaults);
        if (failure != null) {
            out.add(CheckResult.fail("builds", failure));
            notRun(out, "the policy does not build");
            return out;
        }
        out.add(CheckResult.pass("builds", "the module binds a ReleasePolicy, built from OptionValues alone"));

        Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        configurations.put("defaults", Map.of());
        out.add(checkOptionValues(specs, defaults.read(), meta, configurations));
        out.add(checkBounds(specs, configurations));
        out.addAll(checkRuns(specs, meta, configurations));
        out.add(checkThreadSafety(specs, meta));
        return out;
    }

    private record Meta(String id, String description, List<String> counters, List<OptionSpec> options,
                        Object module) {
    }

    private void notRun(List<CheckResult> out, String why) {
        for (String check : CHECKS.subList(out.size(), CHECKS.size())) {
            out.add(CheckResult.fail(check, "not run: " + why));
        }
    }

    // ---- plugin, options, builds ----

    private static CheckResult checkPlugin(Meta m) {
        List<String> problems = new ArrayList<>();
        if (m.id() == null || !m.id().matches("[a-z0-9-]+")) {
            problems.add("id '" + m.id() + "' is not [a-z0-9-]+");
        }
        if (m.description() == null || m.description().isBlank() || m.description().contains("\n")) {
            problems.add("description must be one non-blank line: '" + m.description() + "'");
        }
        if (m.counters() == null || m.options() == null) {
            problems.add("counters() and options() must not return null");
        } else {
            Set<String> seen = new HashSet<>();
            for (String c : m.counters()) {
                if (c == null || !c.matches("[a-z0-9_]+")) {
                    problems.add("counter '" + c + "' is not snake_case [a-z0-9_]+");
                } else if (!seen.add(c)) {
                    problems.add("counter '" + c + "' declared twice");
                }
            }
        }
        if (m.module() == null) {
            problems.add("module() returned null");
        }
        return problems.isEmpty()
                ? CheckResult.pass("plugin", "id '" + m.id() + "', a one-line description, " + m.counters().size()
                        + " counter(s), a module")
                : CheckResult.fail("plugin", String.join("; ", problems));
    }

    private CheckResult checkOptions(Meta m) {
        if (m.options() == null) {
            return CheckResult.fail("options", "options() returned null");
        }
        List<String> problems = new ArrayList<>();
        Set<String> core = new HashSet<>();
        coreOptions.forEach(s -> core.add(s.name()));
        Set<String> seen = new HashSet<>();
        for (OptionSpec s : m.options()) {
            if (s == null) {
                problems.add("a null option");
                continue;
            }
            if (!seen.add(s.name())) {
                problems.add(s.name() + ": declared twice");
            }
            if (core.contains(s.name())) {
                problems.add(s.name() + ": clashes with the core's option of that name");
            }
            if (s.description().isBlank()) {
                problems.add(s.name() + ": no description (hakmem list shows it)");
            }
            for (String a : s.accepted()) {
                if (!a.equals(a.toUpperCase(Locale.ROOT))) {
                    problems.add(s.name() + ": accepted value '" + a + "' must be upper case");
                }
            }
            if (!s.defaultValue().isBlank()) {
                try {
                    FakeOptionValues.parse(s, s.defaultValue().strip());
                } catch (IllegalArgumentException e) {
                    problems.add(s.name() + ": the default does not parse: " + e.getMessage());
                }
            }
        }
        return problems.isEmpty()
                ? CheckResult.pass("options", m.options().size() + " option(s), each with a unique name, a description "
                        + "and a default its type parses")
                : CheckResult.fail("options", String.join("; ", problems));
    }

    /** Null if the policy builds, else why not. */
    private String tryBuild(FakeOptionValues values) {
        try {
            ReleasePolicy p = Policies.build(plugin, values);
            return p == null ? "the module's ReleasePolicy binding yielded null" : null;
        } catch (RuntimeException | Error e) {
            String text = String.valueOf(e.getMessage());
            for (String box : List.of("OsBox", "OptionSource", "StatsSink", "AllocatorProvider")) {
                if (text.contains("hakmem.api.spi." + box)) {
                    return "the policy injects hakmem.api.spi." + box + ", which the core does not give a policy: it "
                            + "may only act through the ReleaseHandle passed to its callbacks (" + firstLine(text) + ")";
                }
            }
            return "building the policy with its defaults threw " + Scenario.describe(root(e)) + " (" + firstLine(text) + ")";
        }
    }

    private ReleasePolicy build(List<OptionSpec> specs, Map<String, String> set) {
        return Policies.build(plugin, new FakeOptionValues(specs, set));
    }

    // ---- option-values, bounds ----

    private CheckResult checkOptionValues(List<OptionSpec> specs, Set<String> readByDefault, Meta m,
                                          Map<String, Map<String, String>> configurations) {
        Set<String> names = new LinkedHashSet<>();
        m.options().forEach(s -> names.add(s.name()));
        names.addAll(readByDefault); // core options the policy reads
        List<String> problems = new ArrayList<>();
        int built = 0;
        int rejected = 0;
        for (OptionSpec s : specs) {
            if (!names.contains(s.name())) {
                continue;
            }
            for (String value : probeValues(s)) {
                Map<String, String> set = Map.of(s.name(), value);
                try {
                    build(specs, set);
                    configurations.put(s.name() + "=" + value, set);
                    built++;
                } catch (RuntimeException | Error e) {
                    Throwable bad = findIllegalArgument(e);
                    if (bad != null && String.valueOf(bad.getMessage()).contains(s.name())) {
                        rejected++;
                    } else if (bad != null) {
                        problems.add(s.name() + "=" + value + " was rejected with a message that does not name the "
                                + "option: " + bad.getMessage());
                    } else {
                        problems.add(s.name() + "=" + value + ": building threw " + Scenario.describe(root(e))
                                + " (expected the policy to accept it, or an IllegalArgumentException naming "
                                + s.name() + ")");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            return CheckResult.fail("option-values", String.join("; ", problems));
        }
        return CheckResult.pass("option-values", names.isEmpty() ? "the policy reads no option"
                : "options " + names + ": " + built + " value(s) accepted, " + rejected
                        + " rejected cleanly (an IllegalArgumentException naming the option)");
    }

    /** 0, 1 and the largest value of a NUMBER or SIZE; every value of a CHOICE or BOOLEAN; the default of a TEXT. */
    static List<String> probeValues(OptionSpec s) {
        return switch (s.type()) {
            case NUMBER -> List.of("0", "1", Long.toString(Long.MAX_VALUE));
            case SIZE -> List.of("0", "1", (Long.MAX_VALUE >> 30) + "G");
            case CHOICE -> s.accepted();
            case BOOLEAN -> List.of("0", "1");
            case TEXT -> List.of(s.defaultValue());
        };
    }

    private CheckResult checkBounds(List<OptionSpec> specs, Map<String, Map<String, String>> configurations) {
        List<String> problems = new ArrayList<>();
        for (var e : configurations.entrySet()) {
            ReleasePolicy p = build(specs, e.getValue());
            try {
                for (SizeClass c : FakeReleaseHandle.CLASSES) {
                    int n = p.prewarmSuperSlabs(c);
                    if (n < 0 || n > MAX_PREWARM) {
                        problems.add(e.getKey() + ": prewarmSuperSlabs(" + c.name() + ") = " + n + ", outside 0.." + MAX_PREWARM);
                        break;
                    }
                }
                long tick = p.tickIntervalMillis();
                if (tick < 0 || tick > MAX_TICK_MILLIS) {
                    problems.add(e.getKey() + ": tickIntervalMillis() = " + tick + ", outside 0.." + MAX_TICK_MILLIS);
                }
            } catch (RuntimeException | Error x) {
                problems.add(e.getKey() + ": asking for prewarm or the tick interval threw " + Scenario.describe(x));
            }
        }
        return problems.isEmpty()
                ? CheckResult.pass("bounds", configurations.size() + " configuration(s): prewarm 0.." + MAX_PREWARM
                        + " per class, tick interval 0.." + MAX_TICK_MILLIS + " ms")
                : CheckResult.fail("bounds", String.join("; ", problems));
    }

    // ---- callbacks, handle-only, claims ----

    private List<CheckResult> checkRuns(List<OptionSpec> specs, Meta m,
                                        Map<String, Map<String, String>> configurations) {
        List<String> thrown = new ArrayList<>();
        List<String> misuse = new ArrayList<>();
        List<String> claims = new ArrayList<>();
        long callbacks = 0;
        long released = 0;
        long seed = 0x9E3779B97F4A7C15L;
        for (var e : configurations.entrySet()) {
            for (boolean disableHalfway : new boolean[] {false, true}) {
                String label = e.getKey() + (disableHalfway ? ", decommit disabled halfway" : "");
                FakeReleaseHandle h = FakeReleaseHandle.forPlugin(plugin);
                h.guardCallbacks();
                Scenario s = new Scenario(build(specs, e.getValue()), h);
                long tick = s.open();
                s.events(new SplittableRandom(seed++), STEPS, disableHalfway ? STEPS / 2 : -1, tick);
                callbacks += s.callbacks();
                released += h.bytesDecommitted() + h.superSlabsRetired();
                s.thrown().forEach(t -> thrown.add(label + ": " + t));
                h.violations().forEach(v -> misuse.add(label + ": " + v));
                claims.addAll(mismatches(label, m.counters(), h));
            }
        }
        int runs = configurations.size() * 2;
        List<String> judged = m.counters().stream().filter(c -> ReleaseKind.of(c) != null).toList();
        return List.of(
                thrown.isEmpty()
                        ? CheckResult.pass("callbacks", runs + " scripted runs, " + callbacks + " callbacks: none threw")
                        : CheckResult.fail("callbacks", thrown.size() + " callback(s) threw: " + summary(thrown)),
                misuse.isEmpty()
                        ? CheckResult.pass("handle-only", "every handle call came from inside a callback, with the "
                                + "handle's classes and slabs, valid arguments and declared counters")
                        : CheckResult.fail("handle-only", summary(misuse)),
                !claims.isEmpty() ? CheckResult.fail("claims", summary(claims))
                        : CheckResult.pass("claims", judged.isEmpty()
                                ? "no release counter to compare (counters ending _decommits, _bytes_decommitted or "
                                        + "_retires are compared with what the handle released); the runs released "
                                        + (released > 0 ? "memory" : "nothing")
                                : "counters " + judged + " equal what the handle released in every run"));
    }

    /** The kinds of release a counter's name can claim. */
    enum ReleaseKind {
        BYTES("bytes decommitted", FakeReleaseHandle::bytesDecommitted),
        SLABS("slabs decommitted", FakeReleaseHandle::slabsDecommitted),
        SUPERSLABS("superslabs retired", FakeReleaseHandle::superSlabsRetired);

        final String what;
        final Function<FakeReleaseHandle, Long> actual;

        ReleaseKind(String what, Function<FakeReleaseHandle, Long> actual) {
            this.what = what;
            this.actual = actual;
        }

        static ReleaseKind of(String counter) {
            if (counter.endsWith("_bytes_decommitted") || counter.endsWith("_decommitted_bytes")) {
                return BYTES;
            }
            if (counter.endsWith("_decommit") || counter.endsWith("_decommits") || counter.endsWith("_slabs_decommitted")) {
                return SLABS;
            }
            if (counter.endsWith("_retire") || counter.endsWith("_retires") || counter.endsWith("_retired")) {
                return SUPERSLABS;
            }
            return null;
        }
    }

    private static List<String> mismatches(String label, List<String> counters, FakeReleaseHandle h) {
        List<String> out = new ArrayList<>();
        for (String c : counters) {
            ReleaseKind kind = ReleaseKind.of(c);
            if (kind != null && h.counter(c) != kind.actual.apply(h)) {
                out.add(label + ": counter " + c + " = " + h.counter(c) + " but the handle's " + kind.what + " = "
                        + kind.actual.apply(h));
            }
        }
        return out;
    }

    // ---- thread-safety ----

    private CheckResult checkThreadSafety(List<OptionSpec> specs, Meta m) {
        FakeReleaseHandle h = FakeReleaseHandle.forPlugin(plugin);
        h.guardCallbacks();
        Scenario s = new Scenario(build(specs, Map.of()), h);
        long tick = s.open();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Throwable> harness = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 0xD1B54A32D192ED03L * (t + 1);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    s.events(new SplittableRandom(seed), STEPS, -1, tick);
                } catch (InterruptedException | RuntimeException | Error e) {
                    synchronized (harness) {
                        harness.add(e);
                    }
                } finally {
                    done.countDown();
                }
            }, "policy-contract-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        start.countDown();
        boolean finished;
        try {
            finished = done.await(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("thread-safety", "interrupted while waiting for the threads");
        }
        if (!finished) {
            return CheckResult.fail("thread-safety", THREADS + " threads of " + STEPS + " events did not finish in "
                    + THREAD_TIMEOUT_SECONDS + " s: a deadlock or a livelock in the policy?");
        }
        List<String> problems = new ArrayList<>();
        synchronized (harness) {
            harness.forEach(e -> problems.add("the harness failed: " + Scenario.describe(e)));
        }
        s.thrown().forEach(problems::add);
        h.violations().forEach(problems::add);
        problems.addAll(mismatches(THREADS + " threads", m.counters(), h));
        return problems.isEmpty()
                ? CheckResult.pass("thread-safety", THREADS + " threads, " + s.callbacks() + " concurrent callbacks "
                        + "on one policy: nothing threw, the handle was used correctly, the counters add up")
                : CheckResult.fail("thread-safety", summary(problems));
    }

    // ---- helpers ----

    private static String summary(List<String> lines) {
        int shown = Math.min(3, lines.size());
        return String.join("; ", lines.subList(0, shown)) + (lines.size() > shown ? "; and " + (lines.size() - shown)
                + " more" : "");
    }

    private static Throwable root(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static Throwable findIllegalArgument(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
