package hakmem.core.policy;

class SpeedContractTest extends ReleasePolicyContractTest {
    @Override
    String policyId() {
        return "speed";
    }

    @Override
    boolean releasesMemory() {
        return false;
    }

    @Override
    int prewarmedSuperSlabs() {
        return 8;
    }
}
