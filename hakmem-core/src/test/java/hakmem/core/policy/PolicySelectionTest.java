package hakmem.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.api.OptionValue;
import hakmem.api.PolicyInfo;
import hakmem.api.spi.PolicyPlugin;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a policy is chosen: {@code -Dhakmem.policy} beats {@code HAKMEM_POLICY} beats the legacy gate
 * {@code HAKMEM_SS_MEM_LEAN} (1 = lean, 0 = speed) beats the default {@code balanced}; how bad ids and values
 * fail. Properties and environment come from a bound {@link MapOptionSource}, never the real ones.
 */
class PolicySelectionTest {

    static String chosen(Map<String, String> properties, Map<String, String> env) {
        try (Allocator a = Allocators.open(null, Map.of(), new MapOptionSource(properties, env))) {
            return a.policy();
        }
    }

    @Test
    void everyBuiltInPolicyIsFoundWithItsModule() {
        List<PolicyInfo> found = Allocators.provider().policies();
        assertThat(found).extracting(PolicyInfo::id).containsExactly("balanced", "keep", "lean", "speed");
        assertThat(found).allSatisfy(p -> assertThat(p.description()).isNotBlank());
        Map<String, String> modules = found.stream()
                .collect(java.util.stream.Collectors.toMap(PolicyInfo::id, PolicyInfo::module));
        assertThat(modules.get("keep")).isEqualTo("hakmem.core");
        // on the module path the module name, on the class path the jar or directory: both name the artifact
        assertThat(modules.get("lean")).containsPattern("hakmem.policy.lean");
        assertThat(modules.get("balanced")).containsPattern("hakmem.policy.lean");
        assertThat(modules.get("speed")).containsPattern("hakmem.policy.speed");
    }

    @Test
    void theDefaultIsBalanced() {
        assertThat(chosen(Map.of(), Map.of())).isEqualTo("balanced");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // property | env HAKMEM_POLICY | env HAKMEM_SS_MEM_LEAN | expected
            "speed |      |   | speed",
            "      | lean |   | lean",
            "      |      | 1 | lean",
            "      |      | 0 | speed",
            "speed | lean | 1 | speed",
            "keep  | lean |   | keep",
            "      | keep | 1 | keep",
            "      | speed| 1 | speed",
            "      | balanced | 1 | balanced",
            "lean  |      | 0 | lean",
    })
    void propertyBeatsEnvBeatsLegacyGateBeatsDefault(String property, String env, String legacy, String expected) {
        Map<String, String> props = new java.util.HashMap<>();
        Map<String, String> envs = new java.util.HashMap<>();
        if (property != null) {
            props.put("hakmem.policy", property);
        }
        if (env != null) {
            envs.put("HAKMEM_POLICY", env);
        }
        if (legacy != null) {
            envs.put("HAKMEM_SS_MEM_LEAN", legacy);
        }
        assertThat(chosen(props, envs)).isEqualTo(expected);
    }

    @Test
    void theLegacyGateAlsoWorksAsAProperty() {
        assertThat(chosen(Map.of("hakmem.ss.mem.lean", "1"), Map.of())).isEqualTo("lean");
        assertThat(chosen(Map.of("hakmem.ss.mem.lean", "0"), Map.of("HAKMEM_SS_MEM_LEAN", "1"))).isEqualTo("speed");
    }

    @Test
    void anExplicitIdAndTheOptionsMapBeatConfiguration() {
        MapOptionSource env = MapOptionSource.env(Map.of("HAKMEM_POLICY", "lean", "HAKMEM_SS_MEM_LEAN", "1"));
        try (Allocator a = Allocators.open("speed", Map.of(), env)) {
            assertThat(a.policy()).isEqualTo("speed");
        }
        try (Allocator a = Allocators.open(null, Map.of("policy", "keep"), env)) {
            assertThat(a.policy()).isEqualTo("keep");
        }
    }

    @Test
    void anUnknownIdListsEveryPolicyFoundAndItsModule() {
        List<PolicyInfo> found = Allocators.provider().policies();
        assertThatThrownBy(() -> Allocators.open("halfhalf", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("halfhalf")
                .satisfies(e -> {
                    for (PolicyInfo p : found) {
                        assertThat(e.getMessage()).contains(p.id()).contains(p.module());
                    }
                });
    }

    @Test
    void anUnknownIdFromTheEnvironmentFailsTheSameWay() {
        assertThatThrownBy(() -> chosen(Map.of(), Map.of("HAKMEM_POLICY", "nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope").hasMessageContaining("balanced").hasMessageContaining("lean")
                .hasMessageContaining("speed").hasMessageContaining("keep");
    }

    @Test
    void twoPluginsWithOneIdFailNamingBothOrigins(@TempDir Path dir) throws Exception {
        String service = "META-INF/services/" + PolicyPlugin.class.getName();
        Path services = dir.resolve(service);
        Files.createDirectories(services.getParent());
        Files.writeString(services, DuplicateLeanPlugin.class.getName() + "\n");
        byte[] bytes;
        try (InputStream in = DuplicateLeanPlugin.class.getResourceAsStream("DuplicateLeanPlugin.class")) {
            bytes = in.readAllBytes();
        }
        String name = DuplicateLeanPlugin.class.getName();
        URL servicesUrl = services.toUri().toURL();
        ClassLoader jar = new ClassLoader("duplicate-lean-jar", PolicySelectionTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String cn, boolean resolve) throws ClassNotFoundException {
                if (!cn.equals(name)) {
                    return super.loadClass(cn, resolve);
                }
                synchronized (getClassLoadingLock(cn)) {
                    Class<?> c = findLoadedClass(cn);
                    return c != null ? c : defineClass(cn, bytes, 0, bytes.length);
                }
            }

            @Override
            protected Enumeration<URL> findResources(String resource) {
                return resource.equals(service) ? Collections.enumeration(List.of(servicesUrl)) : Collections.emptyEnumeration();
            }
        };
        String leanOrigin = Allocators.provider().policies().stream().filter(p -> p.id().equals("lean"))
                .findFirst().orElseThrow().module();
        // discovery looks through the context class loader, as a launcher with a plugin directory would set it
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(jar);
        try {
            for (String id : new String[] {"lean", "speed"}) {
                assertThatThrownBy(() -> Allocators.open(id, Map.of()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'lean'")
                        .hasMessageContaining("unnamed module")
                        .hasMessageContaining(leanOrigin);
            }
            assertThatThrownBy(() -> Allocators.provider().policies()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'lean'");
        } finally {
            self.setContextClassLoader(before);
        }
        assertThat(Allocators.provider().policies()).extracting(PolicyInfo::id).containsOnlyOnce("lean");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "ss.mem.lean.decommit, MAYBE, FREE",
            "ss.mem.lean.target.mb, ten, ",
            "ss.mem.lean.target.mb, -5, ",
            "ss.mem.lean.delay.ms, 1.5, ",
            "ss.mem.lean.delay.ms, -1, ",
            "ss.mem.lean, 2, ",
    })
    void anInvalidCoreOptionFailsNamingOptionAndValue(String option, String value, String accepted) {
        assertThatThrownBy(() -> Allocators.open("lean", Map.of(option, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option)
                .hasMessageContaining("'" + value + "'")
                .satisfies(e -> {
                    if (accepted != null) {
                        assertThat(e.getMessage()).contains("FREE").contains("DONTNEED").contains("OFF");
                    }
                });
    }

    @Test
    void anInvalidValueFromTheEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> Allocators.open("lean", Map.of(),
                MapOptionSource.env(Map.of("HAKMEM_SS_MEM_LEAN_DECOMMIT", "sometimes"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sometimes")
                .hasMessageContaining("ss.mem.lean.decommit")
                .hasMessageContaining("DONTNEED");
    }

    @Test
    void anInvalidPluginOptionFailsNamingOptionValueAndRange() {
        // the range is the option's: the table checks it at open, before the plugin builds its config
        assertThatThrownBy(() -> Allocators.open("lean", Map.of("lean.keep.slabs", "99")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lean.keep.slabs").hasMessageContaining("'99'").hasMessageContaining("(from api)")
                .hasMessageContaining("0..32");
        assertThatThrownBy(() -> Allocators.open("speed", Map.of("speed.prewarm.superslabs", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speed.prewarm.superslabs").hasMessageContaining("many");
    }

    @Test
    void theChosenPolicysOptionsAreInTheTableWithTheirOwner() {
        try (Allocator a = Allocators.open("lean", Map.of("lean.keep.slabs", "2"))) {
            OptionValue keep = a.options().stream().filter(o -> o.name().equals("lean.keep.slabs")).findFirst().orElseThrow();
            assertThat(keep.value()).isEqualTo("2");
            assertThat(keep.owner()).isEqualTo("lean");
            assertThat(keep.source()).isEqualTo("api");
            assertThat(keep.env()).isEqualTo("HAKMEM_LEAN_KEEP_SLABS");
        }
        try (Allocator a = Allocators.open("speed", Map.of())) {
            OptionValue prewarm = a.options().stream().filter(o -> o.name().equals("speed.prewarm.superslabs"))
                    .findFirst().orElseThrow();
            assertThat(prewarm.value()).isEqualTo("1");
            assertThat(prewarm.owner()).isEqualTo("speed");
            assertThat(prewarm.source()).isEqualTo("default");
        }
    }

    @Test
    void theSpeedPrewarmIsAnOption() {
        try (Allocator a = Allocators.open("speed", Map.of("speed.prewarm.superslabs", "2"))) {
            assertThat(a.stats().counter("superslabs_prewarmed")).isEqualTo(16);
        }
        try (Allocator a = Allocators.open(null, Map.of("speed.prewarm.superslabs", "0"),
                MapOptionSource.properties(Map.of("hakmem.policy", "speed")))) {
            assertThat(a.stats().counter("superslabs_prewarmed")).isZero();
        }
    }

    // ---- issue 9 item 4 and 5, issue 12: ranges, empty = unset, choices, misspellings, one plugin's bad value ----

    static OptionValue row(Allocator a, String name) {
        return a.options().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lean.keep.idle.ms", "ss.mem.lean.delay.ms"})
    void theTickerOverflowValueFailsOpenNamingOptionValueSourceAndRange(String option) {
        // accepted before: the ticker period overflowed negative and the ticker thread spun a whole core
        assertThatThrownBy(() -> Allocators.open("lean", Map.of(),
                MapOptionSource.properties(Map.of("hakmem." + option, "40000000000000"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option " + option)
                .hasMessageContaining("'40000000000000'")
                .hasMessageContaining("(from property -Dhakmem." + option + ")")
                .hasMessageContaining("out of range; accepted: a whole number in 0..86400000 (ms)");
    }

    @Test
    void leanOpensAtTheTopOfEveryRange() {
        // the plugin's own checks agree with the table's ranges: the largest accepted values open
        try (Allocator a = Allocators.open("lean", Map.of("ss.mem.lean.delay.ms", "86400000", "lean.keep.idle.ms", "86400000",
                "lean.keep.slabs", "32", "ss.mem.lean.target.mb", "1T"))) {
            assertThat(row(a, "lean.keep.idle.ms").range()).isEqualTo("0..86400000");
            assertThat(row(a, "lean.keep.slabs").range()).isEqualTo("0..32");
            assertThat(row(a, "ss.mem.lean.target.mb").range()).isEqualTo("0..1T");
            long b = a.malloc(100);
            a.free(b);
        }
        try (Allocator a = Allocators.open("speed", Map.of("speed.prewarm.superslabs", "0"))) {
            assertThat(row(a, "speed.prewarm.superslabs").range()).isEqualTo("0..64");
        }
        assertThatThrownBy(() -> Allocators.open("speed", Map.of("speed.prewarm.superslabs", "65")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speed.prewarm.superslabs").hasMessageContaining("'65'").hasMessageContaining("(from api)")
                .hasMessageContaining("0..64");
    }

    @Test
    void anEmptyValueIsUnsetForPropertyAndEnv() {
        try (Allocator a = Allocators.open("lean", Map.of(),
                new MapOptionSource(Map.of("hakmem.lean.keep.slabs", ""), Map.of("HAKMEM_LEAN_KEEP_SLABS", "3")))) {
            assertThat(row(a, "lean.keep.slabs").value()).isEqualTo("3");
            assertThat(row(a, "lean.keep.slabs").source()).isEqualTo("env HAKMEM_LEAN_KEEP_SLABS");
        }
        try (Allocator a = Allocators.open("lean", Map.of(),
                new MapOptionSource(Map.of("hakmem.lean.keep.slabs", ""), Map.of("HAKMEM_LEAN_KEEP_SLABS", " ")))) {
            assertThat(row(a, "lean.keep.slabs").value()).as("the default, not 0").isEqualTo("8");
            assertThat(row(a, "lean.keep.slabs").source()).isEqualTo("default");
        }
        // -Dhakmem.ss.mem.lean.decommit= failed with "No enum constant ...Decommit."; now it is the default
        try (Allocator a = Allocators.open("lean", Map.of(),
                new MapOptionSource(Map.of("hakmem.ss.mem.lean.decommit", ""), Map.of("HAKMEM_SS_MEM_LEAN_DECOMMIT", "")))) {
            assertThat(row(a, "ss.mem.lean.decommit").value()).isEqualTo("DONTNEED");
        }
        // an empty policy falls through to the legacy gate
        assertThat(chosen(Map.of("hakmem.policy", ""), Map.of("HAKMEM_POLICY", "", "HAKMEM_SS_MEM_LEAN", "1"))).isEqualTo("lean");
    }

    @Test
    void aBadChoiceNamesOptionValueSourceAndAcceptedValues() {
        assertThatThrownBy(() -> Allocators.open("lean", Map.of(),
                MapOptionSource.properties(Map.of("hakmem.ss.mem.lean.decommit", "dontneeed"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value 'dontneeed' for option ss.mem.lean.decommit (from property "
                        + "-Dhakmem.ss.mem.lean.decommit); accepted: FREE, DONTNEED, OFF");
    }

    @Test
    void aMisspelledNameLogsOneWarningPerOpenWithTheClosestName() {
        RecordingLogger log = new RecordingLogger();
        MapOptionSource src = new MapOptionSource(Map.of("hakmem.ss.mem.lean.dealy.ms", "5", "hakmem.reliability.tries", "3"),
                Map.of("HAKMEM_JAVA_OPTS", "-Xmx1g", "HAKMEM_JVM_DIRS", "/usr/lib/jvm", "HAKMEM_PLUGIN_PATH", "/tmp"));
        try (Allocator a = Allocators.open("lean", Map.of(), src, log)) {
            a.free(a.malloc(64));
            assertThat(row(a, "ss.mem.lean.delay.ms").value()).isEqualTo("0");
        }
        assertThat(log.entries).containsExactly(new RecordingLogger.Entry(System.Logger.Level.WARNING,
                "hakmem: unknown option -Dhakmem.ss.mem.lean.dealy.ms; did you mean ss.mem.lean.delay.ms?"));
        try (Allocator a = Allocators.open("speed", Map.of(), src, log)) {
            assertThat(a.policy()).isEqualTo("speed");
        }
        assertThat(log.entries).as("one more open, one more warning").hasSize(2);

        RecordingLogger several = new RecordingLogger();
        try (Allocator a = Allocators.open("keep", Map.of(), new MapOptionSource(Map.of("hakmem.polcy", "lean"),
                Map.of("HAKMEM_LEAN_KEEP_SLAB", "2")), several)) {
            assertThat(a.policy()).isEqualTo("keep");
        }
        assertThat(several.entries).as("all of one open's warnings in one record").singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo(
                        "hakmem: unknown option -Dhakmem.polcy; did you mean policy?\n"
                                + "hakmem: unknown option HAKMEM_LEAN_KEEP_SLAB; did you mean lean.keep.slabs "
                                + "(HAKMEM_LEAN_KEEP_SLABS)?"));

        RecordingLogger quiet = new RecordingLogger();
        try (Allocator a = Allocators.open("lean", Map.of(), new MapOptionSource(Map.of("hakmem.lean.keep.slabs", "2",
                "hakmem.reliability.policies", "lean", "hakmem.bench.anything", "x"), Map.of("HAKMEM_POLICY", "speed")), quiet)) {
            assertThat(a.policy()).isEqualTo("lean");
        }
        assertThat(quiet.entries).as("known and reserved names warn about nothing").isEmpty();
    }

    @Test
    void oneBadValueOfOnePluginFailsOnlyThatPlugin() {
        RecordingLogger log = new RecordingLogger();
        MapOptionSource src = MapOptionSource.properties(Map.of("hakmem.lean.keep.slabs", "99"));
        String error = "invalid value '99' for option lean.keep.slabs (from property -Dhakmem.lean.keep.slabs): "
                + "out of range; accepted: a whole number in 0..32 (slabs)";
        for (String other : new String[] {"balanced", "speed", "keep"}) {
            try (Allocator a = Allocators.open(other, Map.of(), src, log)) {
                assertThat(a.policy()).isEqualTo(other);
                a.free(a.malloc(64));
            }
            assertThat(log.entries.getLast().message()).isEqualTo("hakmem: " + error
                    + "; ignored, since the option belongs to policy 'lean' and the policy is '" + other + "'");
        }
        assertThat(log.entries).hasSize(3);
        assertThatThrownBy(() -> Allocators.open("lean", Map.of(), src, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy 'lean'").hasMessageEndingWith(error);
        // the core's options fail every policy
        assertThatThrownBy(() -> Allocators.open("speed", Map.of(),
                MapOptionSource.properties(Map.of("hakmem.ss.mem.lean.delay.ms", "-1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ss.mem.lean.delay.ms");
    }

    @Test
    void theProviderListsTheWarningsOpenWouldLog() {
        // through the real system properties: the API the bench's list prints
        String key = "hakmem.ss.mem.lean.dealy.ms";
        System.setProperty(key, "5");
        try {
            assertThat(Allocators.provider().optionWarnings(Map.of()))
                    .contains("unknown option -D" + key + "; did you mean ss.mem.lean.delay.ms?");
            assertThat(hakmem.api.Hakmem.optionWarnings())
                    .contains("unknown option -D" + key + "; did you mean ss.mem.lean.delay.ms?");
        } finally {
            System.clearProperty(key);
        }
        assertThat(Allocators.provider().optionWarnings(Map.of())).noneMatch(w -> w.contains(key));
    }
}
