package hakmem.policy.lean;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.spi.PolicyPlugin;
import hakmem.testkit.CheckResult;
import hakmem.testkit.PolicyContract;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** lean and balanced pass the test kit's contract checks (what {@code ./hakmem check-policy} runs). */
class LeanContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"lean", "balanced"})
    void passesTheContract(String id) {
        PolicyPlugin plugin = id.equals("lean") ? new LeanPlugin() : new BalancedPlugin();
        List<CheckResult> results = PolicyContract.of(plugin).withCoreOptions(Policies.CORE).run();
        assertThat(results).as(results.toString()).allMatch(CheckResult::passed);
        if (id.equals("lean")) {
            assertThat(results.get(7).reason()).as("lean's release counters are judged")
                    .contains("lean_decommit", "lean_retire", "lean_bytes_decommitted");
        }
    }
}
