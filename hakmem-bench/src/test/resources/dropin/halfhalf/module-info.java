/**
 * A researcher's release policy, built outside hakmem-j: it depends on hakmem.api only. Its jar goes on the module
 * path next to the others; -Dhakmem.policy=halfhalf selects it. (docs/policies.md walks through it.)
 */
module hakmem.policy.halfhalf {
    requires hakmem.api;

    // Guice builds HalfHalfPolicy through its @Inject constructor, reflectively: open the package to it.
    opens hakmem.policy.halfhalf to com.google.guice;

    provides hakmem.api.spi.PolicyPlugin with hakmem.policy.halfhalf.HalfHalfPlugin;
}
