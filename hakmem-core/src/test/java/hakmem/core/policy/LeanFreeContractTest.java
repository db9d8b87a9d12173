package hakmem.core.policy;

import java.util.Map;

/** {@code lean} with MADV_FREE, where only the shadow OS box can see a release over live data. */
class LeanFreeContractTest extends LeanContractTest {
    @Override
    Map<String, String> options() {
        return Map.of("ss.mem.lean.decommit", "FREE");
    }
}
