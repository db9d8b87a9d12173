/** A deliberately broken policy for check-policy's tests: its callback throws, its tick interval is two days. */
module hakmem.policy.broken {
    requires hakmem.api;
    provides hakmem.api.spi.PolicyPlugin with hakmem.policy.broken.BrokenPlugin;
}
