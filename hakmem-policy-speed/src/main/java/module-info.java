/**
 * The {@code speed} release policy: hakmem's FAST mode. It prewarms the tiny classes' superslabs when the
 * allocator opens and keeps every byte it ever mapped, so steady state makes no system calls.
 */
module hakmem.policy.speed {
    requires hakmem.api;

    // Guice reads the @Inject constructor and @Provides method reflectively; nothing is exported.
    opens hakmem.policy.speed to com.google.guice;

    provides hakmem.api.spi.PolicyPlugin with hakmem.policy.speed.SpeedPlugin;
}
