package hakmem.policy.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import hakmem.testkit.FakeReleaseHandle;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeedPolicyTest {

    static final long SLAB = FakeReleaseHandle.SLAB;
    /** The test kit's class table (C0..C27 with the core's geometry). */
    static final List<SizeClass> CLASSES = FakeReleaseHandle.CLASSES;

    /** Option values with only the speed option declared; reading anything else fails, as in the core. */
    static OptionValues options(String prewarm) {
        return (OptionValues) Proxy.newProxyInstance(SpeedPolicyTest.class.getClassLoader(),
                new Class<?>[] {OptionValues.class}, (proxy, method, args) -> {
                    if (!SpeedPlugin.PREWARM_OPTION.equals(args[0])) {
                        throw new IllegalArgumentException("undeclared option " + args[0]);
                    }
                    return switch (method.getName()) {
                        case "number" -> Long.parseLong(prewarm);
                        case "text" -> prewarm;
                        case "isSet" -> true;
                        default -> throw new IllegalArgumentException(args[0] + " is a NUMBER");
                    };
                });
    }

    static ReleasePolicy policy(String prewarm) {
        OptionValues values = options(prewarm);
        return Guice.createInjector(new SpeedPlugin().module(),
                binder -> binder.bind(OptionValues.class).toInstance(values)).getInstance(ReleasePolicy.class);
    }

    /** A handle that records every call: speed must make none. */
    static ReleaseHandle recording(List<String> calls) {
        return (ReleaseHandle) Proxy.newProxyInstance(SpeedPolicyTest.class.getClassLoader(),
                new Class<?>[] {ReleaseHandle.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    throw new AssertionError("speed called ReleaseHandle." + method.getName());
                });
    }

    @Test
    void pluginMetadata() {
        PolicyPlugin p = new SpeedPlugin();
        assertThat(p.id()).isEqualTo("speed");
        assertThat(p.description()).isNotBlank().doesNotContain("\n");
        assertThat(p.counters()).isEmpty();
        assertThat(p.options()).singleElement().satisfies(o -> {
            assertThat(o.name()).isEqualTo("speed.prewarm.superslabs");
            assertThat(o.type()).isEqualTo(OptionSpec.Type.NUMBER);
            assertThat(o.defaultValue()).isEqualTo("1");
            assertThat(o.env()).isEqualTo("HAKMEM_SPEED_PREWARM_SUPERSLABS");
            assertThat(o.min()).isZero();
            assertThat(o.max()).isEqualTo(64);
            assertThat(o.rangeText()).isEqualTo("0..64");
        });
    }

    @Test
    void moduleProvidesThePluginAndExportsNothing() {
        ModuleDescriptor d = SpeedPlugin.class.getModule().getDescriptor();
        assertThat(d).as("tests must run on the module path").isNotNull();
        assertThat(d.name()).isEqualTo("hakmem.policy.speed");
        assertThat(d.exports()).isEmpty();
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(PolicyPlugin.class.getName());
            assertThat(p.providers()).containsExactly(SpeedPlugin.class.getName());
        });
    }

    @Test
    void servicesFileNamesThePluginForTheClassPath() throws IOException {
        try (InputStream in = SpeedPlugin.class.getResourceAsStream("/META-INF/services/" + PolicyPlugin.class.getName())) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(SpeedPlugin.class.getName());
        }
    }

    @Test
    void prewarmsOneSuperSlabOfEachTinyClassByDefault() {
        ReleasePolicy p = policy("1");
        assertThat(p).isInstanceOf(SpeedPolicy.class);
        for (SizeClass c : CLASSES) {
            assertThat(p.prewarmSuperSlabs(c)).as(c.name()).isEqualTo(c.index() < 8 ? 1 : 0);
        }
        assertThat(CLASSES.stream().mapToInt(p::prewarmSuperSlabs).sum()).isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 64})
    void thePrewarmCountIsAnOption(int n) {
        ReleasePolicy p = policy(Integer.toString(n));
        assertThat(CLASSES.stream().mapToInt(p::prewarmSuperSlabs).sum()).isEqualTo(8 * n);
        assertThat(p.prewarmSuperSlabs(CLASSES.get(8))).isZero();
    }

    @Test
    void tooLargeAPrewarmFailsNamingOptionValueAndRange() {
        assertThatThrownBy(() -> policy("65"))
                .isInstanceOf(ProvisionException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speed.prewarm.superslabs").hasMessageContaining("'65'")
                .hasMessageContaining("0..64");
    }

    @Test
    void neverReleasesAnythingAndRunsNoTicker() {
        ReleasePolicy p = policy("1");
        List<String> calls = new ArrayList<>();
        ReleaseHandle h = recording(calls);
        for (SizeClass c : CLASSES) {
            p.onSlabEmpty(new EmptySlab(c, 0x7f00_0000_0000L, SLAB, 0, true), true, h);
            p.onSlabEmpty(new EmptySlab(c, 0x7f00_0001_0000L, SLAB, 0, true), false, h);
            p.onTick(h);
        }
        assertThat(calls).isEmpty();
        assertThat(p.tickIntervalMillis()).isZero();
        assertThat(p.residentBudget(CLASSES.getFirst())).isEqualTo(Long.MAX_VALUE);
    }
}
