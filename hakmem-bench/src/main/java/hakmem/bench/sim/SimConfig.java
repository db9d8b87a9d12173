package hakmem.bench.sim;

/**
 * The simulated OS's parameters (compare/run {@code --os sim} and the {@code --sim-*} options).
 *
 * @param syscallNanos virtual time one mmap, munmap or madvise costs
 * @param faultNanos   virtual time one page fault costs (a page that was not resident being written)
 * @param opNanos      virtual time one allocator call costs (the CPU work around the system calls)
 * @param memoryBytes  the simulated machine's memory for the allocator: while resident pages exceed it, pages given
 *                     {@code MADV_FREE} are dropped, oldest first; 0 = no memory pressure (they stay resident)
 */
public record SimConfig(long syscallNanos, long faultNanos, long opNanos, long memoryBytes) {
    public static final SimConfig DEFAULT = new SimConfig(2_000, 500, 50, 0);

    public SimConfig {
        if (syscallNanos < 0 || faultNanos < 0 || opNanos < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("simulated costs and memory must be >= 0: " + this);
        }
    }

    /** The command-line arguments that give a forked run this configuration. */
    public java.util.List<String> args() {
        return java.util.List.of("--os=sim", "--sim-syscall-ns=" + syscallNanos, "--sim-fault-ns=" + faultNanos,
                "--sim-op-ns=" + opNanos, "--sim-memory-mb=" + (memoryBytes >> 20));
    }
}
