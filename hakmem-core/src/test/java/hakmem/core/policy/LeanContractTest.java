package hakmem.core.policy;

import java.util.List;

/** {@code lean} with its defaults: DONTNEED, no delay. */
class LeanContractTest extends ReleasePolicyContractTest {

    static final List<String> LEAN_COUNTERS =
            List.of("lean_decommit", "lean_retire", "lean_bytes_decommitted", "lean_prewarm_skipped");

    @Override
    String policyId() {
        return "lean";
    }

    @Override
    boolean releasesMemory() {
        return true;
    }

    @Override
    List<String> pluginCounters() {
        return LEAN_COUNTERS;
    }
}
