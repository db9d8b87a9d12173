package hakmem.bench.subject;

import hakmem.api.Hakmem;
import hakmem.api.OptionValue;
import hakmem.api.PolicyInfo;
import java.util.List;
import java.util.Optional;

/**
 * Resolves subject ids: a peer id from {@link #PEERS}, otherwise a hakmem policy id. Subject classes are only
 * named in {@link #create}, one {@code new} per branch, so a JVM loads the one class it runs.
 */
public final class Subjects {
    /** The JVM-baseline subject: the workload's loop with no allocator ({@link NoAllocSubject}); compare runs it itself. */
    public static final String NO_ALLOC = "no-alloc";
    /** The kind of {@link #NO_ALLOC} runs (neither {@code policy} nor {@code peer}). */
    public static final String BASELINE_KIND = "baseline";

    /** The peer ids, in the order reports list them. */
    public static final List<String> PEERS = List.of("ffm-malloc", "ffm-mimalloc", "ffm-jemalloc", "unsafe", "netty", "arena");

    private Subjects() {
    }

    /** Whether a peer can run here, what it uses, and how to install it if it cannot. */
    public record Availability(String id, boolean available, String detail, String install) {
    }

    public static boolean isPeer(String id) {
        return PEERS.contains(id);
    }

    /** The kind a run of {@code id} reports: {@code peer}, {@code baseline} ({@link #NO_ALLOC}) or {@code policy}. */
    public static String kindOf(String id) {
        return isPeer(id) ? "peer" : id.equals(NO_ALLOC) ? BASELINE_KIND : "policy";
    }

    /** Availability of a peer, checked without loading anything (no restricted method, no downcall). */
    public static Availability availability(String id) {
        return switch (id) {
            case "ffm-malloc" -> new Availability(id, true, "libc malloc/free via FFM downcalls, critical(false)", "");
            case "ffm-mimalloc" -> library(id, "libmimalloc.so.2", "libmimalloc2.0");
            case "ffm-jemalloc" -> library(id, "libjemalloc.so.2", "libjemalloc2");
            case "unsafe" -> module(id, "jdk.unsupported", "sun.misc.Unsafe allocateMemory/freeMemory");
            case "netty" -> module(id, "io.netty.buffer", "Netty 4.2 PooledByteBufAllocator direct buffers, FastThreadLocalThread");
            case "arena" -> new Availability(id, true, "Arena.ofConfined() per block (ofShared() where frees cross threads)", "");
            default -> throw new IllegalArgumentException("'" + id + "' is not a peer; peers: " + PEERS);
        };
    }

    private static Availability library(String id, String soname, String debianPackage) {
        Optional<String> path = NativeLibs.locate(soname);
        String install = "apt-get install -y " + debianPackage + "   (Debian/Ubuntu; or hakmem-bench/scripts/install-peers.sh)";
        return path.map(p -> new Availability(id, true, soname + " at " + p + " via FFM downcalls, critical(false)", install))
                .orElseGet(() -> new Availability(id, false, soname + " not found in " + NativeLibs.searchPath(), install));
    }

    private static Availability module(String id, String module, String detail) {
        boolean present = ModuleLayer.boot().findModule(module).isPresent()
                || Subjects.class.getModule().getLayer() == null; // class path: the jar is either there or not
        return new Availability(id, present, present ? detail : "module " + module + " is not on the module path",
                present ? "" : "rebuild: the bench pom copies it to hakmem-bench/target/modules");
    }

    /** The hakmem policies found, or the reason there are none (e.g. hakmem-core not on the module path). */
    public static List<PolicyInfo> policies() {
        try {
            return Hakmem.policies();
        } catch (LinkageError e) {
            throw unavailable(e);
        }
    }

    /** The effective option table (see {@link Hakmem#options()}), with the same error handling as {@link #policies()}. */
    public static List<OptionValue> options() {
        try {
            return Hakmem.options();
        } catch (LinkageError e) {
            throw unavailable(e);
        }
    }

    /** Hakmem's provider failed to load (its static initializer threw): say why, once, as an ordinary exception. */
    private static IllegalStateException unavailable(LinkageError e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root == e && e instanceof NoClassDefFoundError
                ? "the hakmem implementation failed to load earlier in this JVM" : root.getMessage();
        return new IllegalStateException(why, e);
    }

    /**
     * Opens the allocator of a policy subject once and closes it: what a forked run would do first. An unknown
     * policy or an invalid option value throws the {@link IllegalArgumentException} of {@code Hakmem.open}.
     */
    public static void check(SubjectSpec spec) {
        if (spec.isPeer()) {
            return;
        }
        try (var a = Hakmem.open(spec.id(), spec.options())) {
            a.policy();
        } catch (LinkageError e) {
            throw unavailable(e);
        }
    }

    /**
     * Creates a subject.
     *
     * @param id               a peer id, a hakmem policy id, or a policy id with options ({@link SubjectSpec})
     * @param maxLive          the most blocks the workload keeps live at once (sizes handle tables)
     * @param crossThreadFrees whether the workload frees blocks on threads other than the allocating one
     */
    public static Subject create(String id, int maxLive, boolean crossThreadFrees) {
        return create(id, maxLive, crossThreadFrees, null);
    }

    /**
     * Creates a subject, on the simulated OS if {@code sim} is not null (hakmem policies only: a peer calls the real
     * OS itself, so it cannot be simulated, and asking for it is an {@link IllegalArgumentException}).
     */
    public static Subject create(String id, int maxLive, boolean crossThreadFrees, hakmem.bench.sim.SimConfig sim) {
        if (sim != null) {
            if (isPeer(id)) {
                throw new IllegalArgumentException("peer '" + id + "' cannot run on the simulated OS (--os sim): it calls the "
                        + "real OS itself; simulate hakmem policies only");
            }
            return new HakmemSubject(SubjectSpec.parse(id), sim);
        }
        return switch (id) {
            case "ffm-malloc" -> new FfmMallocSubject();
            case "ffm-mimalloc" -> new FfmMimallocSubject();
            case "ffm-jemalloc" -> new FfmJemallocSubject();
            case "unsafe" -> new UnsafeSubject();
            case "netty" -> new NettySubject(maxLive);
            case "arena" -> new ArenaSubject(maxLive, crossThreadFrees);
            case NO_ALLOC -> new NoAllocSubject();
            default -> new HakmemSubject(SubjectSpec.parse(id));
        };
    }
}
