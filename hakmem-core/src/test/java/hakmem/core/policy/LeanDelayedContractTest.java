package hakmem.core.policy;

import java.util.Map;

/** {@code lean} with a delay: releases come from the ticker thread, concurrently with the churn. */
class LeanDelayedContractTest extends LeanContractTest {
    @Override
    Map<String, String> options() {
        return Map.of("ss.mem.lean.delay.ms", "20", "lean.keep.slabs", "0");
    }
}
