package hakmem.core.policy;

/** The core's built-in {@code keep}: prewarm nothing, keep everything. */
class KeepContractTest extends ReleasePolicyContractTest {
    @Override
    String policyId() {
        return "keep";
    }

    @Override
    boolean releasesMemory() {
        return false;
    }
}
