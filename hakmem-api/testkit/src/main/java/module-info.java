/**
 * The test kit for release-policy authors (Maven {@code dev.hakmem:hakmem-testkit}). It needs only
 * {@code hakmem.api} and no test framework, so it works from JUnit, TestNG or a plain {@code main}.
 *
 * <ul>
 *   <li>{@link hakmem.testkit.FakeReleaseHandle}: a model of the core's class pools with a manual clock, which
 *       releases what the real core would and records what was asked;</li>
 *   <li>{@link hakmem.testkit.FakeOptionValues}: option values parsed from {@code OptionSpec}s as the core
 *       parses them;</li>
 *   <li>{@link hakmem.testkit.Policies}: builds a plugin's {@code ReleasePolicy} the way the core does;</li>
 *   <li>{@link hakmem.testkit.PolicyContract}: the contract checks every policy must pass (what
 *       {@code ./hakmem check-policy} runs), each giving a {@link hakmem.testkit.CheckResult}.</li>
 * </ul>
 */
module hakmem.testkit {
    requires transitive hakmem.api;

    exports hakmem.testkit;
}
