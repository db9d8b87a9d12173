package hakmem.core.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OptionSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionTableTest {

    record Source(Map<String, String> props, Map<String, String> env) implements OptionSource {
        @Override
        public Optional<String> property(String key) {
            return Optional.ofNullable(props.get(key));
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(env.get(name));
        }

        @Override
        public Set<String> propertyNames() {
            return props.keySet();
        }

        @Override
        public Set<String> envNames() {
            return env.keySet();
        }

        static Source props(Map<String, String> props) {
            return new Source(props, Map.of());
        }

        static Source env(Map<String, String> env) {
            return new Source(Map.of(), env);
        }
    }

    static final Source NONE = new Source(Map.of(), Map.of());

    /** A table with the lean plugin's rows as the plugin declares them (the core test cannot see the plugin). */
    static OptionTable withLeanRows() {
        return new OptionTable()
                .add(new OptionSpec("lean.keep.slabs", OptionSpec.Type.NUMBER, "8", "slabs", "", List.of(), "kept")
                        .withRange(0, 32), "lean")
                .add(new OptionSpec("lean.keep.idle.ms", OptionSpec.Type.NUMBER, "1000", "ms", "", List.of(), "idle")
                        .withRange(0, CoreOptions.MAX_MILLIS), "lean");
    }

    @Test
    void apiBeatsPropertyBeatsEnvBeatsDefault() {
        OptionTable t = new OptionTable();
        var src = new Source(Map.of("hakmem.ss.mem.lean.delay.ms", "20"),
                Map.of("HAKMEM_SS_MEM_LEAN_DELAY_MS", "30", "HAKMEM_SS_MEM_LEAN_DECOMMIT", "free"));
        var r = t.resolve(src, Map.of());
        assertThat(r.number("ss.mem.lean.delay.ms")).isEqualTo(20);
        assertThat(r.source("ss.mem.lean.delay.ms")).isEqualTo("property -Dhakmem.ss.mem.lean.delay.ms");
        assertThat(r.choice("ss.mem.lean.decommit")).isEqualTo("FREE");
        assertThat(r.source("ss.mem.lean.decommit")).isEqualTo("env HAKMEM_SS_MEM_LEAN_DECOMMIT");
        assertThat(r.bytes("ss.mem.lean.target.mb")).isEqualTo(10L << 20);
        assertThat(r.isSet("ss.mem.lean.target.mb")).isFalse();
        var api = t.resolve(src, Map.of("ss.mem.lean.delay.ms", "5"));
        assertThat(api.number("ss.mem.lean.delay.ms")).isEqualTo(5);
        assertThat(api.source("ss.mem.lean.delay.ms")).isEqualTo("api");
    }

    @Test
    void sizesAcceptSuffixes() {
        assertThat(OptionTable.parseSize("10", "M")).isEqualTo(10L << 20);
        assertThat(OptionTable.parseSize("512K", "M")).isEqualTo(512L << 10);
        assertThat(OptionTable.parseSize("2g", "M")).isEqualTo(2L << 30);
        assertThat(OptionTable.parseSize("64MB", "M")).isEqualTo(64L << 20);
        assertThat(OptionTable.parseSize("100", "B")).isEqualTo(100);
    }

    @Test
    void invalidValuesNameOptionValueSourceAndAcceptedValues() {
        OptionTable t = new OptionTable();
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of("HAKMEM_SS_MEM_LEAN_DECOMMIT", "sometimes")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ss.mem.lean.decommit").hasMessageContaining("sometimes")
                .hasMessageContaining("HAKMEM_SS_MEM_LEAN_DECOMMIT").hasMessageContaining("FREE, DONTNEED, OFF");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of("hakmem.ss.mem.lean.target.mb", "ten"), Map.of()), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ten'").hasMessageContaining("512K")
                .hasMessageContaining("0..1T").hasMessageContaining("property -Dhakmem.ss.mem.lean.target.mb");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("ss.mem.lean.delay.ms", "-3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("ss.os.stats", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
        assertThatThrownBy(() -> t.resolve(new Source(Map.of(), Map.of()), Map.of("no.such.option", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.option")
                .hasMessageNotContaining("did you mean");
        assertThatThrownBy(() -> t.resolve(NONE, Map.of("ss.mem.lean.dealy.ms", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option 'ss.mem.lean.dealy.ms' (did you mean ss.mem.lean.delay.ms?); options: ");
    }

    @Test
    void pluginOptionsJoinTheTableAndClashesFail() {
        OptionTable t = new OptionTable();
        t.add(new OptionSpec("my.knob", OptionSpec.Type.NUMBER, "3", "count", "", List.of(), "a knob"), "mine");
        var r = t.resolve(new Source(Map.of(), Map.of("HAKMEM_MY_KNOB", "7")), Map.of());
        assertThat(r.number("my.knob")).isEqualTo(7);
        assertThat(r.rows()).anySatisfy(row -> {
            assertThat(row.name()).isEqualTo("my.knob");
            assertThat(row.owner()).isEqualTo("mine");
            assertThat(row.env()).isEqualTo("HAKMEM_MY_KNOB");
        });
        assertThatThrownBy(() -> t.add(new OptionSpec("policy", OptionSpec.Type.TEXT, "", "id", "", List.of(), "x"), "evil"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("core");
    }

    @Test
    void legacyEnvNameIsHonouredAfterTheNewOne() {
        OptionTable t = new OptionTable();
        t.add(new OptionSpec("new.name", OptionSpec.Type.BOOLEAN, "0", "bool", "OLD_NAME", List.of(), "x"), "p");
        assertThat(t.resolve(new Source(Map.of(), Map.of("OLD_NAME", "1")), Map.of()).flag("new.name")).isTrue();
        assertThat(t.resolve(new Source(Map.of(), Map.of("OLD_NAME", "1", "HAKMEM_NEW_NAME", "0")), Map.of())
                .flag("new.name")).isFalse();
    }

    // ---- ranges ----

    @Test
    void everyNumericCoreOptionHasAnExplicitRange() {
        for (OptionSpec s : new OptionTable().specs()) {
            if (s.type().numeric()) {
                assertThat(s.max()).as(s.name()).isLessThan(Long.MAX_VALUE);
                assertThat(s.rangeText()).as(s.name()).isNotEmpty();
            } else {
                assertThat(s.rangeText()).as(s.name()).isEmpty();
            }
        }
        var r = new OptionTable().resolve(NONE, Map.of());
        assertThat(r.rows()).filteredOn(o -> o.name().equals("ss.mem.lean.delay.ms")).singleElement()
                .satisfies(o -> assertThat(o.range()).isEqualTo("0..86400000"));
        assertThat(r.rows()).filteredOn(o -> o.name().equals("ss.mem.lean.target.mb")).singleElement()
                .satisfies(o -> assertThat(o.range()).isEqualTo("0..1T"));
        assertThat(r.rows()).filteredOn(o -> o.name().equals("policy")).singleElement()
                .satisfies(o -> assertThat(o.range()).isEmpty());
    }

    @Test
    void aValueOutsideItsRangeFailsNamingOptionValueSourceAndRange() {
        OptionTable t = new OptionTable();
        assertThatThrownBy(() -> t.resolve(Source.props(Map.of("hakmem.ss.mem.lean.delay.ms", "86400001")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value '86400001' for option ss.mem.lean.delay.ms (from property "
                        + "-Dhakmem.ss.mem.lean.delay.ms): out of range; accepted: a whole number in 0..86400000 (ms)");
        assertThat(t.resolve(Source.props(Map.of("hakmem.ss.mem.lean.delay.ms", "86400000")), Map.of())
                .number("ss.mem.lean.delay.ms")).isEqualTo(86_400_000L);
        // more than a long holds: still named with the range, not a NumberFormatException
        assertThatThrownBy(() -> t.resolve(Source.env(Map.of("HAKMEM_SS_MEM_LEAN_DELAY_MS", "99999999999999999999")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'99999999999999999999'").hasMessageContaining("env HAKMEM_SS_MEM_LEAN_DELAY_MS")
                .hasMessageContaining("0..86400000");
        assertThatThrownBy(() -> t.resolve(NONE, Map.of("ss.mem.lean.target.mb", "2T")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ss.mem.lean.target.mb").hasMessageContaining("'2T'").hasMessageContaining("(from api)")
                .hasMessageContaining("out of range").hasMessageContaining("0..1T");
        assertThat(t.resolve(NONE, Map.of("ss.mem.lean.target.mb", "1T")).bytes("ss.mem.lean.target.mb")).isEqualTo(1L << 40);
        assertThat(t.resolve(NONE, Map.of("ss.mem.lean.target.mb", "1048576")).bytes("ss.mem.lean.target.mb"))
                .isEqualTo(1L << 40);
    }

    @Test
    void theTickerOverflowValueIsRejectedNamingTheRange() {
        // issue 9 item 4: accepted before, the ticker period overflowed negative and the ticker spun a core
        OptionTable t = withLeanRows();
        var r = t.resolve(Source.props(Map.of("hakmem.lean.keep.idle.ms", "40000000000000")), Map.of());
        String expected = "invalid value '40000000000000' for option lean.keep.idle.ms (from property "
                + "-Dhakmem.lean.keep.idle.ms): out of range; accepted: a whole number in 0..86400000 (ms)";
        assertThatThrownBy(() -> r.requireValid("lean")).isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
        assertThatThrownBy(() -> r.number("lean.keep.idle.ms")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }

    @Test
    void theFirstSpisSevenArgumentConstructorStillWorksWithTheWidestRange() {
        OptionSpec old = new OptionSpec("old.knob", OptionSpec.Type.NUMBER, "3", "count", "", List.of(), "old");
        assertThat(old.min()).isZero();
        assertThat(old.max()).isEqualTo(Long.MAX_VALUE);
        assertThat(old.rangeText()).isEqualTo("0.." + Long.MAX_VALUE);
        OptionSpec text = new OptionSpec("old.text", OptionSpec.Type.TEXT, "", "", "", List.of(), "old");
        assertThat(text.rangeText()).isEmpty();
        var r = new OptionTable().add(old, "old").resolve(Source.env(Map.of("HAKMEM_OLD_KNOB", String.valueOf(Long.MAX_VALUE))),
                Map.of());
        assertThat(r.number("old.knob")).isEqualTo(Long.MAX_VALUE);
        assertThat(old.withRange(1, 5)).isEqualTo(new OptionSpec("old.knob", OptionSpec.Type.NUMBER, "3", "count", "",
                List.of(), "old", 1, 5));
    }

    @Test
    void rangesAreCheckedWhereDeclared() {
        OptionSpec n = new OptionSpec("a.b", OptionSpec.Type.NUMBER, "1", "", "", List.of(), "x");
        assertThatThrownBy(() -> n.withRange(5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.b").hasMessageContaining("5..4");
        assertThatThrownBy(() -> n.withRange(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OptionSpec("a.c", OptionSpec.Type.TEXT, "", "", "", List.of(), "x").withRange(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only for NUMBER and SIZE");
        OptionSpec size = new OptionSpec("a.d", OptionSpec.Type.SIZE, "1", "K", "", List.of(), "x");
        assertThat(size.withRange(512L << 10, 3L << 20).rangeText()).isEqualTo("512K..3M");
        assertThat(size.withRange(1000, 1L << 30).rangeText()).isEqualTo("1000B..1G");
        var t = new OptionTable().add(size.withRange(1L << 10, 4L << 10), "p");
        assertThat(t.resolve(NONE, Map.of("a.d", "4")).bytes("a.d")).isEqualTo(4096);
        var bad = t.resolve(NONE, Map.of("a.d", "5"));
        assertThatThrownBy(() -> bad.requireValid("p")).hasMessageContaining("'5'").hasMessageContaining("1K..4K")
                .hasMessageContaining("a bare number is in K");
    }

    // ---- empty = unset ----

    @Test
    void anEmptyOrBlankValueFallsThroughToTheNextSource() {
        OptionTable t = withLeanRows();
        var propEmpty = t.resolve(new Source(Map.of("hakmem.lean.keep.slabs", ""), Map.of("HAKMEM_LEAN_KEEP_SLABS", "3")),
                Map.of());
        assertThat(propEmpty.number("lean.keep.slabs")).isEqualTo(3);
        assertThat(propEmpty.source("lean.keep.slabs")).isEqualTo("env HAKMEM_LEAN_KEEP_SLABS");
        var bothBlank = t.resolve(new Source(Map.of("hakmem.lean.keep.slabs", ""), Map.of("HAKMEM_LEAN_KEEP_SLABS", "  ")),
                Map.of());
        assertThat(bothBlank.number("lean.keep.slabs")).as("the default, not 0").isEqualTo(8);
        assertThat(bothBlank.source("lean.keep.slabs")).isEqualTo("default");
        assertThat(bothBlank.isSet("lean.keep.slabs")).isFalse();
        var apiEmpty = t.resolve(Source.props(Map.of("hakmem.lean.keep.slabs", "5")), Map.of("lean.keep.slabs", ""));
        assertThat(apiEmpty.number("lean.keep.slabs")).isEqualTo(5);
        // an empty choice is the default, not an enum error
        var choice = t.resolve(Source.props(Map.of("hakmem.ss.mem.lean.decommit", "")), Map.of());
        assertThat(choice.choice("ss.mem.lean.decommit")).isEqualTo("DONTNEED");
        assertThat(choice.source("ss.mem.lean.decommit")).isEqualTo("default");
        // the legacy name is a source like the others
        OptionTable legacy = new OptionTable()
                .add(new OptionSpec("new.name", OptionSpec.Type.BOOLEAN, "0", "bool", "OLD_NAME", List.of(), "x"), "p");
        var r = legacy.resolve(Source.env(Map.of("HAKMEM_NEW_NAME", "", "OLD_NAME", "1")), Map.of());
        assertThat(r.flag("new.name")).isTrue();
        assertThat(r.source("new.name")).isEqualTo("env OLD_NAME (legacy)");
        // an empty legacy gate leaves the policy to the default
        assertThat(t.resolve(Source.env(Map.of("HAKMEM_SS_MEM_LEAN", "")), Map.of()).isSet("ss.mem.lean")).isFalse();
    }

    @Test
    void aBadChoiceNamesOptionValueSourceAndTheAcceptedValues() {
        assertThatThrownBy(() -> new OptionTable().resolve(Source.props(Map.of("hakmem.ss.mem.lean.decommit", "sometimes")),
                Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value 'sometimes' for option ss.mem.lean.decommit (from property "
                        + "-Dhakmem.ss.mem.lean.decommit); accepted: FREE, DONTNEED, OFF");
    }

    // ---- one plugin's bad value ----

    @Test
    void aBadValueOfAPluginsOptionFailsOnlyThatPluginAndWarnsOtherwise() {
        var r = withLeanRows().resolve(Source.props(Map.of("hakmem.lean.keep.slabs", "99")), Map.of());
        String error = "invalid value '99' for option lean.keep.slabs (from property -Dhakmem.lean.keep.slabs): "
                + "out of range; accepted: a whole number in 0..32 (slabs)";
        assertThatThrownBy(() -> r.requireValid("lean")).hasMessage(error);
        r.requireValid("balanced"); // does not throw
        r.requireValid(OptionTable.CORE);
        assertThat(r.warnings("balanced")).containsExactly(error
                + "; ignored, since the option belongs to policy 'lean' and the policy is 'balanced'");
        assertThat(r.warnings("lean")).isEmpty();
        assertThat(r.rows()).filteredOn(o -> o.name().equals("lean.keep.slabs")).singleElement()
                .satisfies(o -> assertThat(o.value()).isEqualTo("99"));
        // a core option still fails at once, whatever the policy
        assertThatThrownBy(() -> withLeanRows().resolve(Source.props(Map.of("hakmem.ss.mem.lean.delay.ms", "-1")), Map.of()))
                .hasMessageContaining("ss.mem.lean.delay.ms").hasMessageContaining("'-1'");
    }

    // ---- misspelled names ----

    @Test
    void unknownHakmemNamesAreReportedWithTheClosestOption() {
        var src = new Source(
                Map.of("hakmem.ss.mem.lean.dealy.ms", "5", "hakmem.policy", "lean", "hakmem.reliability.tries", "9",
                        "hakmem.bench.x", "1", "hakmem.lean.keep.slab", "2", "hakmem.SS.MEM.LEAN.DELAY.MS", "1",
                        "hakmemx", "1", "java.home", "/"),
                Map.of("HAKMEM_SS_MEM_LEAN_DELAY", "1", "HAKMEM_JAVA_OPTS", "-Xmx1g", "HAKMEM_JVM_DIRS", "/usr/lib/jvm",
                        "HAKMEM_PLUGIN_PATH", "/tmp", "HAKMEM_RELIABILITY_TRIES", "3", "HAKMEM_COMPLETELY_DIFFERENT_THING", "1",
                        "HAKMEM_POLICY", "speed", "PATH", "/bin"));
        var r = withLeanRows().resolve(src, Map.of());
        assertThat(r.unknown()).containsExactly(
                "unknown option -Dhakmem.SS.MEM.LEAN.DELAY.MS; did you mean ss.mem.lean.delay.ms?",
                "unknown option -Dhakmem.lean.keep.slab; did you mean lean.keep.slabs?",
                "unknown option -Dhakmem.ss.mem.lean.dealy.ms; did you mean ss.mem.lean.delay.ms?",
                "unknown option HAKMEM_COMPLETELY_DIFFERENT_THING; no option has a similar name",
                "unknown option HAKMEM_SS_MEM_LEAN_DELAY; did you mean ss.mem.lean.delay.ms (HAKMEM_SS_MEM_LEAN_DELAY_MS)?");
        assertThat(r.warnings("lean")).isEqualTo(r.unknown());
        // a legacy variable is a known name
        OptionTable legacy = new OptionTable()
                .add(new OptionSpec("new.name", OptionSpec.Type.BOOLEAN, "0", "bool", "HAKMEM_OLD_NAME", List.of(), "x"), "p");
        assertThat(legacy.resolve(Source.env(Map.of("HAKMEM_OLD_NAME", "1")), Map.of()).unknown()).isEmpty();
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(OptionNames.distance("dealy", "delay")).isEqualTo(1);
        assertThat(OptionNames.distance("keep", "kept")).isEqualTo(2);
        assertThat(OptionNames.distance("kepe", "keep")).isEqualTo(1);
        assertThat(OptionNames.distance("", "abc")).isEqualTo(3);
        assertThat(OptionNames.distance("abc", "abc")).isZero();
        assertThat(OptionNames.closest("polcy", List.of("policy", "ss.mem.lean"))).isEqualTo("policy");
        assertThat(OptionNames.closest("zzzz", List.of("policy", "ss.mem.lean"))).isNull();
    }

    @Test
    void noOptionMayBeDeclaredInAReservedNamespace() {
        for (String name : List.of("reliability.tries", "bench.knob", "java.opts", "jvm.dirs", "plugin.path")) {
            assertThatThrownBy(() -> new OptionTable().add(new OptionSpec(name, OptionSpec.Type.TEXT, "", "", "",
                    List.of(), "x"), "p")).as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name)
                    .hasMessageContaining("reserved");
        }
    }
}
