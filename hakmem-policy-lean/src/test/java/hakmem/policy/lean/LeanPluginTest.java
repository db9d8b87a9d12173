package hakmem.policy.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.ProvisionException;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeanPluginTest {

    @Test
    void idsAreTheDocumentedOnes() {
        assertThat(new LeanPlugin().id()).isEqualTo("lean").matches("[a-z0-9-]+");
        assertThat(new BalancedPlugin().id()).isEqualTo("balanced").matches("[a-z0-9-]+");
        assertThat(new LeanPlugin().description()).isNotBlank().doesNotContain("\n");
        assertThat(new BalancedPlugin().description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void bothDeclareTheFourLeanCounters() {
        List<String> expected = List.of("lean_decommit", "lean_retire", "lean_bytes_decommitted", "lean_prewarm_skipped");
        assertThat(new LeanPlugin().counters()).containsExactlyElementsOf(expected);
        assertThat(new BalancedPlugin().counters()).containsExactlyElementsOf(expected);
    }

    @Test
    void leanDeclaresItsHysteresisOptionsAndBalancedNone() {
        List<OptionSpec> options = new LeanPlugin().options();
        assertThat(options).extracting(OptionSpec::name).containsExactly("lean.keep.slabs", "lean.keep.idle.ms");
        assertThat(options).allSatisfy(o -> assertThat(o.type()).isEqualTo(OptionSpec.Type.NUMBER));
        assertThat(options).extracting(OptionSpec::defaultValue).containsExactly("8", "1000");
        assertThat(options).extracting(OptionSpec::env).containsExactly("HAKMEM_LEAN_KEEP_SLABS", "HAKMEM_LEAN_KEEP_IDLE_MS");
        // core options (ss.mem.lean.*) are the core's: declaring them again would be a clash
        assertThat(options).noneMatch(o -> o.name().startsWith("ss."));
        assertThat(new BalancedPlugin().options()).isEmpty();
    }

    @Test
    void moduleProvidesBothPluginsAndExportsNothing() {
        ModuleDescriptor d = LeanPlugin.class.getModule().getDescriptor();
        assertThat(d).as("tests must run on the module path").isNotNull();
        assertThat(d.name()).isEqualTo("hakmem.policy.lean");
        assertThat(d.exports()).isEmpty();
        Set<String> provided = d.provides().stream()
                .filter(p -> p.service().equals(PolicyPlugin.class.getName()))
                .flatMap(p -> p.providers().stream()).collect(Collectors.toSet());
        assertThat(provided).containsExactlyInAnyOrder(LeanPlugin.class.getName(), BalancedPlugin.class.getName());
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name).contains("hakmem.api");
    }

    @Test
    void servicesFileListsBothPluginsForTheClassPath() throws IOException {
        try (InputStream in = LeanPlugin.class.getResourceAsStream("/META-INF/services/" + PolicyPlugin.class.getName())) {
            assertThat(in).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertThat(lines).containsExactlyInAnyOrder(LeanPlugin.class.getName(), BalancedPlugin.class.getName());
        }
    }

    @Test
    void pluginsHavePublicNoArgConstructorsForServiceLoader() throws ReflectiveOperationException {
        assertThat(LeanPlugin.class.getConstructor().newInstance()).isInstanceOf(PolicyPlugin.class);
        assertThat(BalancedPlugin.class.getConstructor().newInstance()).isInstanceOf(PolicyPlugin.class);
    }

    @Test
    void leanModuleBuildsTheConfigFromOptions() {
        LeanPolicy p = Policies.lean(Map.of("ss.mem.lean.decommit", "free", "ss.mem.lean.target.mb", "64",
                "ss.mem.lean.delay.ms", "200", "lean.keep.slabs", "3", "lean.keep.idle.ms", "5000"));
        assertThat(p.config()).isEqualTo(new LeanConfig(Decommit.FREE, 64L << 20, 200, 3, 5000));
    }

    @Test
    void leanDefaultsAreDontneedTenMegabytesNoDelayEightSlabsForOneSecond() {
        LeanPolicy p = (LeanPolicy) Policies.build(new LeanPlugin(), Map.of());
        assertThat(p.config()).isEqualTo(new LeanConfig(Decommit.DONTNEED, 10L << 20, 0, 8, 1000));
    }

    @Test
    void balancedIgnoresDecommitAndDelayAndNeedsNoLeanOnlyOption() {
        // FakeOptionValues refuses undeclared names: balanced must not read lean.keep.slabs
        LeanPolicy p = Policies.balanced(Map.of("ss.mem.lean.decommit", "DONTNEED", "ss.mem.lean.delay.ms", "50"));
        assertThat(p.config().decommit()).isEqualTo(Decommit.OFF);
        assertThat(p.config().releases()).isFalse();
        assertThat(p.tickIntervalMillis()).isZero();
    }

    @Test
    void tooManyKeptSlabsFailsNamingOptionValueAndRange() {
        assertThatThrownBy(() -> Policies.lean(Map.of("lean.keep.slabs", "33")))
                .isInstanceOf(ProvisionException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lean.keep.slabs").hasMessageContaining("'33'").hasMessageContaining("0..32");
    }

    @Test
    void eachInjectionGetsItsOwnPolicyState() {
        // two allocators must not share the learned class count or pending counts
        assertThat(Policies.lean(Map.of())).isNotSameAs(Policies.lean(Map.of()));
    }

    @Test
    void everyLeanOptionHasTheDocumentedRange() {
        List<OptionSpec> options = new LeanPlugin().options();
        assertThat(options).extracting(OptionSpec::min).containsExactly(0L, 0L);
        assertThat(options).extracting(OptionSpec::max).containsExactly(32L, 86_400_000L);
        assertThat(options).extracting(OptionSpec::rangeText).containsExactly("0..32", "0..86400000");
    }

    @Test
    void theConfigRejectsEveryValueOutsideItsRangeNamingTheOption() {
        long day = LeanOptions.MAX_MILLIS;
        assertThatThrownBy(() -> new LeanConfig(Decommit.FREE, 1, day + 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value '86400001' for option ss.mem.lean.delay.ms (-Dhakmem.ss.mem.lean.delay.ms): "
                        + "accepted 0..86400000");
        assertThatThrownBy(() -> new LeanConfig(Decommit.FREE, 1, 0, 1, 40_000_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lean.keep.idle.ms").hasMessageContaining("'40000000000000'")
                .hasMessageContaining("0..86400000");
        assertThatThrownBy(() -> new LeanConfig(Decommit.FREE, (1L << 40) + 1, 0, 1, 0))
                .hasMessageContaining("ss.mem.lean.target.mb");
        assertThatThrownBy(() -> new LeanConfig(Decommit.FREE, 1, 0, -1, 0)).hasMessageContaining("lean.keep.slabs");
        // through the module, the value wins over the cast: 2^32 + 1 kept slabs is not 1
        assertThatThrownBy(() -> Policies.lean(Map.of("lean.keep.slabs", String.valueOf((1L << 32) + 1))))
                .isInstanceOf(ProvisionException.class).rootCause()
                .hasMessageContaining("lean.keep.slabs").hasMessageContaining("'4294967297'");
        assertThatThrownBy(() -> Policies.lean(Map.of("lean.keep.idle.ms", "40000000000000")))
                .isInstanceOf(ProvisionException.class).rootCause()
                .hasMessageContaining("lean.keep.idle.ms").hasMessageContaining("0..86400000");
    }

    @Test
    void theTimeArithmeticStaysPositiveAtTheTopOfTheRanges() {
        long day = LeanOptions.MAX_MILLIS;
        LeanConfig slow = new LeanConfig(Decommit.DONTNEED, LeanOptions.MAX_TARGET_BYTES, day, LeanOptions.MAX_KEEP_SLABS, day);
        assertThat(slow.tickIntervalMillis()).isEqualTo(day / 4).isPositive();
        assertThat(slow.delayNanos()).isEqualTo(86_400_000_000_000L);
        assertThat(slow.reapNanos()).isEqualTo(86_400_000_000_000L);
        LeanConfig reapOnly = new LeanConfig(Decommit.DONTNEED, 0, 0, 0, day);
        assertThat(reapOnly.tickIntervalMillis()).isEqualTo(day / 4);
        assertThat(new LeanConfig(Decommit.DONTNEED, 0, 1, 0, 0).tickIntervalMillis()).isEqualTo(LeanConfig.MIN_TICK_MILLIS);
        assertThat(new LeanConfig(Decommit.OFF, 0, day, 0, day).tickIntervalMillis()).isZero();
    }

    @Test
    void anEmptyOrUnknownDecommitModeNamesTheOptionAndTheAcceptedValues() {
        // the core (and the test kit's fake) turn an empty value into the default and reject an unknown one; a policy
        // handed one anyway must not throw valueOf's "No enum constant" (which names neither option nor values)
        hakmem.testkit.FakeOptionValues defaults = hakmem.testkit.FakeOptionValues.defaults(
                java.util.stream.Stream.concat(Policies.CORE.stream(), new LeanPlugin().options().stream()).toList());
        for (String mode : new String[] {"", "SOMETIMES"}) {
            hakmem.api.spi.OptionValues raw = new hakmem.api.spi.OptionValues() {
                public String text(String n) { return defaults.text(n); }
                public boolean flag(String n) { return defaults.flag(n); }
                public long number(String n) { return defaults.number(n); }
                public long bytes(String n) { return defaults.bytes(n); }
                public String choice(String n) { return n.equals("ss.mem.lean.decommit") ? mode : defaults.choice(n); }
                public boolean isSet(String n) { return defaults.isSet(n); }
            };
            assertThatThrownBy(() -> LeanConfig.lean(raw)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid value '" + mode + "' for option ss.mem.lean.decommit: accepted: FREE, DONTNEED, OFF");
        }
        assertThatThrownBy(() -> Policies.lean(Map.of("ss.mem.lean.decommit", "SOMETIMES")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value 'SOMETIMES' for option ss.mem.lean.decommit; accepted: FREE, DONTNEED, OFF");
    }
}
