package hakmem.bench;

import hakmem.bench.sim.SimConfig;
import picocli.CommandLine.Option;

/** The OS a run uses ({@code --os real|sim}) and the simulated OS's parameters; shared by run and compare. */
final class OsOptions {
    @Option(names = "--os", defaultValue = "real", description = "real (the kernel) or sim: a simulated OS box and a virtual "
            + "clock, reproducible on any machine (hakmem policies only; docs/bench.md) (default ${DEFAULT-VALUE})")
    String os;

    @Option(names = "--sim-syscall-ns", description = "sim: virtual ns per mmap/munmap/madvise (default 2000)")
    Long syscallNs;

    @Option(names = "--sim-fault-ns", description = "sim: virtual ns per page fault (default 500)")
    Long faultNs;

    @Option(names = "--sim-op-ns", description = "sim: virtual ns per allocator call of a trace replay (default 50)")
    Long opNs;

    @Option(names = "--sim-memory-mb", description = "sim: memory (MiB) above which MADV_FREE pages are dropped; 0 = no pressure (default 0)")
    Long memoryMb;

    /** The simulated OS's configuration, or null for the real OS. */
    SimConfig resolve() {
        if (os.equals("real")) {
            if (syscallNs != null || faultNs != null || opNs != null || memoryMb != null) {
                throw new IllegalArgumentException("--sim-* options need --os sim");
            }
            return null;
        }
        if (!os.equals("sim")) {
            throw new IllegalArgumentException("--os " + os + ": expected real or sim");
        }
        SimConfig d = SimConfig.DEFAULT;
        if (memoryMb != null && (memoryMb < 0 || memoryMb > (1L << 30))) {
            throw new IllegalArgumentException("--sim-memory-mb " + memoryMb + ": expected 0..2^30");
        }
        return new SimConfig(syscallNs != null ? syscallNs : d.syscallNanos(), faultNs != null ? faultNs : d.faultNanos(),
                opNs != null ? opNs : d.opNanos(), memoryMb != null ? memoryMb << 20 : d.memoryBytes());
    }

    /** The virtual cost per call a trace replay charges. */
    static long opNanos(SimConfig sim) {
        return sim != null ? sim.opNanos() : SimConfig.DEFAULT.opNanos();
    }
}
