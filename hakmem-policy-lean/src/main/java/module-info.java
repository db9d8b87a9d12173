/**
 * hakmem's Memory-Lean release policies: {@code lean} (decommit empty slabs, retire empty superslabs beyond a
 * per-class budget) and {@code balanced} (the production default: no prewarm, keep what was mapped).
 */
module hakmem.policy.lean {
    requires hakmem.api;

    // Guice reads the @Inject constructor and @Provides methods reflectively; nothing is exported.
    opens hakmem.policy.lean to com.google.guice;

    provides hakmem.api.spi.PolicyPlugin with hakmem.policy.lean.LeanPlugin, hakmem.policy.lean.BalancedPlugin;
}
