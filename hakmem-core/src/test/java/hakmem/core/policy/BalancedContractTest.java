package hakmem.core.policy;

import java.util.List;

class BalancedContractTest extends ReleasePolicyContractTest {
    @Override
    String policyId() {
        return "balanced";
    }

    @Override
    boolean releasesMemory() {
        return false;
    }

    @Override
    List<String> pluginCounters() {
        return LeanContractTest.LEAN_COUNTERS;
    }
}
